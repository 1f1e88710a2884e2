use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use time::Date;

use crate::announce::{
    card, deliver, due_on, sender::TelegramSender, would_post, DEFAULT_WINDOW_DAYS,
};
use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::store::{Store, DEFAULT_DB};
use crate::telegram::outbound::{Limits, Outbound, DEFAULT_MESSAGES_PER_SECOND};
use crate::telegram::run::bot_from_env;

#[derive(Debug, clap::Args)]
pub struct AnnounceArgs {
    /// The day to announce for (Hong Kong date), YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub date: Date,
    /// Print what would be sent to which chats, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The bot's SQLite file (the same as `factbot run --db`; default
    /// factbot.sqlite3). A dry run opens it read-only, and without it lists
    /// no subscribers.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Announcements missed up to this many days ago are still posted.
    #[arg(long, default_value_t = DEFAULT_WINDOW_DAYS)]
    pub window_days: u32,
}

fn parse_date(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, format).map_err(|_| format!("{s:?} is not a date: write YYYY-MM-DD"))
}

pub fn run(k: &Knowledge, args: &AnnounceArgs) -> anyhow::Result<ExitCode> {
    if args.dry_run {
        return dry_run(k, args);
    }
    let store = Store::open(args.db.as_deref().unwrap_or(Path::new(DEFAULT_DB)))?;
    let sender = TelegramSender {
        bot: bot_from_env()?,
        outbound: Arc::new(Outbound::new(Limits::telegram(DEFAULT_MESSAGES_PER_SECOND))),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let mut out = std::io::stdout().lock();
    let report = runtime.block_on(deliver(
        &store,
        k,
        &sender,
        args.date,
        None,
        args.window_days,
    ))?;
    for (chat, fact, occasion) in &report.sent {
        writeln!(out, "sent {fact} ({occasion}) to {chat}")?;
    }
    for (chat, why) in &report.ended {
        writeln!(out, "ended the subscription of {chat}: {why}")?;
    }
    writeln!(
        out,
        "{} sent, {} deferred to a later run, {} failed",
        report.sent.len(),
        report.deferred,
        report.failed
    )?;
    Ok(ExitCode::SUCCESS)
}

fn dry_run(k: &Knowledge, args: &AnnounceArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let due = due_on(k, args.date);
    writeln!(out, "{} announcement(s) due on {}:", due.len(), args.date)?;
    for d in &due {
        let fact = k.fact(&d.fact).expect("planned from the knowledge");
        let text = card(k, fact, &d.occasion, Lang::En).unwrap_or_default();
        writeln!(out, "\n[{}: {}]\n{text}", d.fact, d.occasion)?;
    }
    // A dry run changes nothing: it reads the database given, or none.
    let store = match &args.db {
        Some(path) => Store::open_read_only(path)?,
        None => Store::in_memory()?,
    };
    let posts = would_post(&store, k, args.date, args.window_days)?;
    writeln!(out, "\nwould send {} message(s):", posts.len())?;
    for (chat, d) in posts {
        writeln!(
            out,
            "  to {chat}: {} ({}, due {})",
            d.fact, d.occasion, d.on
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
