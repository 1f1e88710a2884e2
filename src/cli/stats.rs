use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The bot's SQLite file (opened read-only).
    #[arg(long, default_value = crate::store::DEFAULT_DB, value_name = "PATH")]
    pub db: PathBuf,
    /// The last this many days, today included.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=36500))]
    pub days: u32,
    /// As one JSON document, for tooling.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let stats = Store::open_read_only(&args.db)?.stats(args.days)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} questions in the last {} days",
        stats.total, stats.days
    )?;
    writeln!(out, "\nper day:")?;
    for (day, n) in &stats.per_day {
        writeln!(out, "  {day}  {n:>6}")?;
    }
    writeln!(out, "\nanswered, by language:")?;
    for l in &stats.by_lang {
        let share = 100.0 * l.answered as f64 / l.asked.max(1) as f64;
        writeln!(
            out,
            "  {:8} {:>5.1}%  ({} of {})",
            l.lang, share, l.answered, l.asked
        )?;
    }
    writeln!(out, "\nby outcome:")?;
    for (outcome, n) in &stats.by_outcome {
        writeln!(out, "  {outcome:18} {n:>6}")?;
    }
    writeln!(out, "\nmost asked for:")?;
    for (answer, n) in &stats.top_answers {
        writeln!(out, "  {n:>6}  {answer}")?;
    }
    writeln!(out, "\nmost frequent declined questions:")?;
    for g in &stats.top_declined {
        writeln!(
            out,
            "  {:>6}  {:8} {}",
            g.count,
            g.lang,
            super::printable(&g.question)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
