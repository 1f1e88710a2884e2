use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::knowledge::check::{check_against, Summary};
use crate::knowledge::{digest, embedded_files, read_dir, Knowledge};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Also check every figure and date against this source document's
    /// text, and that the shipped digest of it is up to date.
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// The id (in sources.toml) of the document given to --against; needed
    /// only when the knowledge has more than one source.
    #[arg(long, value_name = "ID", requires = "against")]
    pub source: Option<String>,
    /// Write the digest of the --against document into the knowledge folder
    /// (source-digest.toml), so that `factbot check` verifies figures
    /// without the document.
    #[arg(long, requires = "against")]
    pub write_digest: bool,
}

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let files = match dir {
        Some(dir) => read_dir(dir)?,
        None => embedded_files(),
    };
    let (knowledge, mut problems) = Knowledge::parse(&files);
    let mut out = std::io::stdout().lock();
    if let Some(path) = &args.against {
        let source = source_id(&knowledge, args.source.as_deref())?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the source text {}", path.display()))?;
        let (digest, against) =
            check_against(&knowledge, &source, &path.display().to_string(), &text);
        if args.write_digest {
            let dir = dir.context(
                "--write-digest needs --knowledge DIR: the folder to write source-digest.toml into",
            )?;
            let mut digests: Vec<_> = knowledge
                .digests
                .iter()
                .filter(|d| d.source != source)
                .cloned()
                .collect();
            digests.push(digest);
            let target = dir.join(digest::FILE);
            std::fs::write(&target, digest::file_text(&digests))
                .with_context(|| format!("cannot write {}", target.display()))?;
            writeln!(out, "wrote {}", target.display())?;
            // The digest just written is the one the knowledge now has.
            problems.extend(
                against
                    .into_iter()
                    .filter(|p| !p.place.ends_with(digest::FILE)),
            );
        } else {
            problems.extend(against);
        }
    }
    let summary = Summary::of(&knowledge);
    if problems.is_empty() {
        let unchecked: Vec<&str> = knowledge
            .sources
            .iter()
            .filter(|s| knowledge.digest(&s.id).is_none())
            .map(|s| s.id.as_str())
            .collect();
        writeln!(
            out,
            "knowledge OK: {} facts, {} topics, {} intents, {} figures, {} milestones checked{}",
            summary.facts,
            summary.topics,
            summary.intents,
            summary.figures,
            summary.milestones,
            match &args.against {
                Some(path) => format!(" against {}", path.display()),
                None => String::new(),
            }
        )?;
        if !unchecked.is_empty() && args.against.is_none() {
            writeln!(
                out,
                "note: no digest of {}, so figures were not checked against the source; see `factbot check --help`",
                unchecked.join(", ")
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    eprintln!(
        "{} problem(s) in {} facts, {} topics, {} intents; fix them and run `factbot check` again",
        problems.len(),
        summary.facts,
        summary.topics,
        summary.intents
    );
    Ok(ExitCode::FAILURE)
}

/// The source an --against document is: the one asked for, or the only one.
fn source_id(k: &Knowledge, asked: Option<&str>) -> anyhow::Result<String> {
    match (asked, k.sources.as_slice()) {
        (Some(id), _) if k.source(id).is_some() => Ok(id.to_string()),
        (Some(id), _) => bail!("--source {id}: no source has that id in sources.toml"),
        (None, [only]) => Ok(only.id.clone()),
        (None, []) => bail!("the knowledge has no source to check against"),
        (None, _) => bail!("the knowledge has several sources: say which with --source ID"),
    }
}
