use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::store::Store;
use crate::telegram::outbound::{Limits, DEFAULT_MESSAGES_PER_SECOND};
use crate::telegram::run::{bot_from_env, run, webhook_secret, Lifecycle, Listen, Operations};
use crate::telegram::App;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The SQLite file for chat settings and the unanswered-questions log.
    #[arg(long, default_value = crate::store::DEFAULT_DB, value_name = "PATH")]
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
    /// On Ctrl-C or SIGTERM, updates in hand may finish within this many
    /// seconds; the rest wait in the database for the next start.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub stop_within: u64,
    /// Messages per second across all chats (Telegram allows about 30;
    /// more only with paid broadcasts).
    #[arg(long, default_value_t = DEFAULT_MESSAGES_PER_SECOND as u32, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub messages_per_second: u32,
    /// Serve Prometheus metrics at /metrics and a health check at /healthz
    /// on this address (for example 127.0.0.1:9464).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    #[command(flatten)]
    pub log: LogArgs,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// For people: one line per event.
    Text,
    /// For log collectors: one JSON object per line, the same fields.
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// How to write the log (to standard error; levels from RUST_LOG, info by default).
    #[arg(long, value_enum, default_value_t = LogFormat::Text, env = "FACTBOT_LOG_FORMAT")]
    pub log_format: LogFormat,
}

/// Logs to standard error, at RUST_LOG's levels (info by default).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Panics are logged with their place only: their message may quote what a
/// user wrote, so it goes to the debug level.
fn log_panics_without_user_text() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        tracing::error!(at = location.as_deref().unwrap_or("?"), "panic");
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned());
        tracing::debug!(message = message.as_deref().unwrap_or("?"), "panic message");
    }));
}

/// Runs the bot on `knowledge`, read from `dir` (re-read on SIGHUP) or built in.
pub fn run_bot(
    dir: Option<&std::path::Path>,
    knowledge: Knowledge,
    args: RunArgs,
) -> anyhow::Result<ExitCode> {
    let bot = bot_from_env()?;
    let listen = match args.webhook_url {
        Some(url) => Listen::Webhook {
            url,
            address: args.listen,
            secret: webhook_secret(
                &args
                    .webhook_secret
                    .context("--webhook-url needs --webhook-secret")?,
            )?,
        },
        None => Listen::Polling,
    };
    init_logging(args.log.log_format);
    log_panics_without_user_text();
    let store = Store::open(&args.db)?;
    let limits = Limits::telegram(args.messages_per_second as usize);
    let app = App::new(Engine::new(knowledge), store, limits);
    let lifecycle = Lifecycle {
        stop_within: std::time::Duration::from_secs(args.stop_within),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(run(
        bot,
        app,
        listen,
        args.db,
        lifecycle,
        Operations {
            metrics_listen: args.metrics_listen,
            knowledge_dir: dir.map(std::path::Path::to_path_buf),
        },
    ))?;
    Ok(ExitCode::SUCCESS)
}
