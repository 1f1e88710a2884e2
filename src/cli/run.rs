use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::store::Store;
use crate::telegram::run::{bot_from_env, run, Listen};
use crate::telegram::App;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The SQLite file for chat settings and the unanswered-questions log.
    #[arg(long, default_value = "factbot.sqlite3", value_name = "PATH")]
    pub db: PathBuf,
    /// Receive updates through a webhook at this public URL instead of long polling.
    #[arg(long, value_name = "URL", requires = "webhook_secret")]
    pub webhook_url: Option<url::Url>,
    /// The address the webhook server listens on.
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// The secret Telegram sends with each webhook call (1-256 of A-Z a-z 0-9 _ -).
    #[arg(long, env = "FACTBOT_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct UnansweredArgs {
    #[arg(long, default_value = "factbot.sqlite3", value_name = "PATH")]
    pub db: PathBuf,
    /// How many groups to list.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

pub fn run_bot(knowledge: Knowledge, args: RunArgs) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let bot = bot_from_env()?;
    let store = Store::open(&args.db)?;
    let app = App::new(Engine::new(knowledge), store);
    let listen = match args.webhook_url {
        Some(url) => Listen::Webhook {
            url,
            address: args.listen,
            secret: args
                .webhook_secret
                .context("--webhook-url needs --webhook-secret")?,
        },
        None => Listen::Polling,
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(run(bot, app, listen, args.db))?;
    Ok(ExitCode::SUCCESS)
}

pub fn unanswered(args: &UnansweredArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open(&args.db)?;
    let groups = store.unanswered(args.limit)?;
    if groups.is_empty() {
        println!("no unanswered questions recorded in {}", args.db.display());
    }
    for g in groups {
        println!(
            "{:>5}  {:8} {}  (last {})",
            g.count, g.lang, g.question, g.last_asked
        );
    }
    Ok(ExitCode::SUCCESS)
}
