//! The command line: one subcommand per job, each a thin layer over the library.

mod announce;
mod ask;
mod chat;
mod check;
mod eval;
mod run;
mod stats;
mod unanswered;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::knowledge::Knowledge;

/// `factbot --version`: the release, the commit it was built from and the
/// built-in knowledge's version.
static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (git {}, knowledge {})",
        env!("CARGO_PKG_VERSION"),
        env!("FACTBOT_GIT_REVISION"),
        crate::knowledge::version_of(&crate::knowledge::embedded_files())
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "factbot",
    version = VERSION.as_str(),
    about = "Sourced answers about Hong Kong's innovation, technology and industry"
)]
pub struct Cli {
    /// Read the knowledge from this folder instead of the copy built into the binary.
    #[arg(long, global = true, env = "FACTBOT_KNOWLEDGE", value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the knowledge and list every problem.
    Check(check::CheckArgs),
    /// Ask a question, as a person would read the answer (or --json).
    Ask(ask::AskArgs),
    /// Ask questions interactively; `?question` shows why it matched.
    Chat,
    /// Run labelled evaluation sets and check accuracy thresholds.
    Eval(eval::EvalArgs),
    /// Run the Telegram bot (token from TELOXIDE_TOKEN, API at TELOXIDE_API_URL).
    Run(run::RunArgs),
    /// List the questions the bot could not answer, most frequent first.
    Unanswered(unanswered::UnansweredArgs),
    /// Usage statistics for curators: questions per day, answer rates,
    /// outcomes, the facts most asked for, the declined questions that recur.
    Stats(stats::StatsArgs),
    /// Post the milestone announcements due on a day, once (or --dry-run).
    Announce(announce::AnnounceArgs),
    /// Print the loaded knowledge.
    Knowledge {
        /// As one JSON document (the only format for now).
        #[arg(long)]
        json: bool,
    },
}

/// Runs a parsed command line; errors are printed here, once. A reader
/// that stops reading (`factbot knowledge --json | head`) is not an error.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("factbot: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Text from users as a terminal may show it: control characters and
/// direction overrides are written as escapes, so that nothing a Telegram
/// user sent can drive the operator's terminal.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let invisible = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || invisible {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let dir = cli.knowledge.as_deref();
    match cli.command {
        Command::Check(args) => check::run(dir, &args),
        Command::Ask(args) => ask::run(&crate::Engine::new(load(dir)?), &args),
        Command::Chat => chat::run(&crate::Engine::new(load(dir)?)),
        Command::Eval(args) => eval::run(&crate::Engine::new(load(dir)?), &args),
        Command::Run(args) => run::run_bot(dir, load(dir)?, args),
        Command::Unanswered(args) => unanswered::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Announce(args) => announce::run(&load(dir)?, &args),
        Command::Knowledge { json: _ } => {
            let knowledge = load(dir)?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&knowledge.to_json())?
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads checked knowledge or explains why not; every command but `check` starts here.
pub fn load(dir: Option<&std::path::Path>) -> anyhow::Result<Knowledge> {
    Knowledge::load_from(dir).with_context(|| match dir {
        Some(dir) => format!("refusing to start on the knowledge in {}", dir.display()),
        None => "refusing to start on the built-in knowledge".to_string(),
    })
}
