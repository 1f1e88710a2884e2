use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use time::Date;

use crate::announce::{
    card, deliver, due_on, sender::TelegramSender, would_post, Doubt, Outcome, Release,
    DEFAULT_WINDOW_DAYS, SENDING_GRACE,
};
use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::store::{Store, DEFAULT_DB};
use crate::telegram::outbound::{Limits, Outbound, DEFAULT_MESSAGES_PER_SECOND};
use crate::telegram::run::bot_from_env;

#[derive(Debug, clap::Args)]
pub struct AnnounceArgs {
    /// The day to announce for (Hong Kong date), YYYY-MM-DD.
    #[arg(long, value_parser = parse_date, required_unless_present_any = ["status", "release"])]
    pub date: Option<Date>,
    /// List the announcements in doubt (`sending`, `unknown`) and count the
    /// ledger's rows by state; sends nothing.
    #[arg(long, conflicts_with_all = ["date", "release", "dry_run"])]
    pub status: bool,
    /// Settle announcements in doubt, by the ids `--status` lists, after
    /// checking the chat: `--as pending` posts them again on the next run,
    /// `--as sent` never does.
    #[arg(long, value_name = "ID", num_args = 1.., conflicts_with_all = ["date", "dry_run"], requires = "release_as")]
    pub release: Vec<i64>,
    #[command(flatten)]
    pub log: super::run::LogArgs,
    /// What the released rows become.
    #[arg(long = "as", value_enum, value_name = "STATE", requires = "release")]
    pub release_as: Option<Release>,
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
    let db = args.db.as_deref().unwrap_or(Path::new(DEFAULT_DB));
    if args.status {
        return status(&Store::open_read_only(db)?);
    }
    if let Some(to) = args.release_as {
        return release(&Store::open(db)?, &args.release, to);
    }
    let Some(date) = args.date else {
        anyhow::bail!("give --date YYYY-MM-DD, --status or --release");
    };
    if args.dry_run {
        return dry_run(k, args, date);
    }
    super::run::init_logging(args.log.log_format);
    let store = Store::open(db)?;
    let sender = TelegramSender {
        bot: bot_from_env()?,
        outbound: Arc::new(Outbound::new(Limits::telegram(DEFAULT_MESSAGES_PER_SECOND))),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let report = runtime.block_on(deliver(&store, k, &sender, date, None, args.window_days))?;
    let mut out = std::io::stdout().lock();
    for o in &report.sent {
        writeln!(
            out,
            "sent {} ({}) to {}",
            o.milestone, o.occasion, o.chat_id
        )?;
    }
    let mut list = |label: &str, outcomes: &[Outcome]| -> std::io::Result<()> {
        for o in outcomes {
            writeln!(
                out,
                "{label} {} ({}) to {}: {}",
                o.milestone, o.occasion, o.chat_id, o.why
            )?;
        }
        Ok(())
    };
    list("deferred", &report.deferred)?;
    list("unknown", &report.unknown)?;
    list("failed", &report.failed)?;
    for (chat, why) in &report.ended {
        writeln!(out, "ended the subscription of {chat}: {why}")?;
    }
    writeln!(
        out,
        "{} sent, {} deferred to a later run, {} in doubt, {} failed",
        report.sent.len(),
        report.deferred.len(),
        report.unknown.len(),
        report.failed.len()
    )?;
    if !report.in_doubt.is_empty() {
        writeln!(
            out,
            "{} announcement(s) in doubt in the ledger, never resent automatically: see `factbot announce --status`",
            report.in_doubt.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn status(store: &Store) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let counts = store.ledger_counts()?;
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    writeln!(
        out,
        "ledger: {}",
        if counts.is_empty() {
            "empty".to_string()
        } else {
            counts.join(", ")
        }
    )?;
    let doubt = store.in_doubt()?;
    if doubt.is_empty() {
        writeln!(out, "nothing in doubt")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "\nin doubt (check the chat, then `factbot announce --release ID --as pending|sent`):"
    )?;
    for Doubt {
        id,
        chat_id,
        milestone,
        occasion,
        state,
        since,
        error,
    } in &doubt
    {
        writeln!(
            out,
            "  {id}: {state} since {}, chat {chat_id}, {milestone} ({occasion}){}",
            since.as_deref().unwrap_or("an unknown time"),
            error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        )?;
    }
    writeln!(
        out,
        "rows `sending` for more than {} minutes become `unknown` on the next run",
        SENDING_GRACE.as_secs() / 60
    )?;
    Ok(ExitCode::SUCCESS)
}

fn release(store: &Store, ids: &[i64], to: Release) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut missing = Vec::new();
    for &id in ids {
        if store.release(id, to)? {
            writeln!(out, "released {id}")?;
        } else {
            missing.push(id.to_string());
        }
    }
    if !missing.is_empty() {
        anyhow::bail!(
            "no announcement in doubt with id {}: list them with `factbot announce --status`",
            missing.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dry_run(k: &Knowledge, args: &AnnounceArgs, date: Date) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let due = due_on(k, date);
    writeln!(out, "{} announcement(s) due on {}:", due.len(), date)?;
    for d in &due {
        let fact = k.fact(&d.fact).expect("planned from the knowledge");
        let text = card(k, fact, &d.occasion, Lang::En, d.on, date).unwrap_or_default();
        writeln!(out, "\n[{}: {}]\n{text}", d.fact, d.occasion)?;
    }
    // A dry run changes nothing: it reads the database given, or none.
    let store = match &args.db {
        Some(path) => Store::open_read_only(path)?,
        None => Store::in_memory()?,
    };
    let posts = would_post(&store, k, date, args.window_days)?;
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
