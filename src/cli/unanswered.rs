use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct UnansweredArgs {
    /// The bot's SQLite file (opened read-only).
    #[arg(long, default_value = crate::store::DEFAULT_DB, value_name = "PATH")]
    pub db: PathBuf,
    /// How many groups to list.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

pub fn run(args: &UnansweredArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let groups = store.unanswered(args.limit)?;
    let mut out = std::io::stdout().lock();
    if groups.is_empty() {
        writeln!(
            out,
            "no unanswered questions recorded in {}",
            args.db.display()
        )?;
    }
    for g in groups {
        writeln!(
            out,
            "{:>5}  {:8} {}  (last {})",
            g.count,
            g.lang,
            super::printable(&g.question),
            g.last_asked
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
