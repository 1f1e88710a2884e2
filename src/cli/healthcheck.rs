use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::{Store, StoreError};

#[derive(Debug, clap::Args)]
pub struct HealthcheckArgs {
    /// The bot's SQLite file.
    #[arg(long, default_value = crate::store::DEFAULT_DB, value_name = "PATH")]
    pub db: PathBuf,
}

/// For container and service health checks: healthy when the knowledge
/// loads (it did, to get here) and the database exists and takes writes.
pub fn run(args: &HealthcheckArgs) -> anyhow::Result<ExitCode> {
    if !args.db.exists() {
        return Err(StoreError::Missing {
            path: args.db.display().to_string(),
        }
        .into());
    }
    Store::open(&args.db)?.writable()?;
    println!("healthy");
    Ok(ExitCode::SUCCESS)
}
