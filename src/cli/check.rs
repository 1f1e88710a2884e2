use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::knowledge::check::{check_against, Summary};
use crate::knowledge::{embedded_files, read_dir, Knowledge};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Also check that every figure and date occurs in this source text.
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
}

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let files = match dir {
        Some(dir) => read_dir(dir)?,
        None => embedded_files(),
    };
    let (knowledge, mut problems) = Knowledge::parse(&files);
    if let Some(path) = &args.against {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the source text {}", path.display()))?;
        problems.extend(check_against(
            &knowledge,
            &path.display().to_string(),
            &text,
        ));
    }
    let summary = Summary::of(&knowledge);
    if problems.is_empty() {
        println!(
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
        );
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
