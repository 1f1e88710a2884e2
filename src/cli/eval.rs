use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::engine::Engine;
use crate::eval::{self, Report, Thresholds};
use crate::lang::Lang;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Labelled evaluation files (TSV: expected, lang, question).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Minimum share of answerable questions answered correctly, in each language.
    #[arg(long, value_parser = eval::share)]
    pub min_accuracy: Option<f64>,
    /// Minimum share of must-decline questions declined.
    #[arg(long, value_parser = eval::share)]
    pub min_decline_recall: Option<f64>,
    /// Maximum share of questions answered with a wrong entry.
    #[arg(long, value_parser = eval::share)]
    pub max_wrong: Option<f64>,
    /// Read the files as conversations: blocks of lines separated by a
    /// blank line, each line following up on the ones before it (a line
    /// tagged `no-context` is asked as if the conversation had expired).
    #[arg(long)]
    pub conversations: bool,
}

pub fn run(engine: &Engine, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let mut thresholds = Thresholds::default();
    let mut cases = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the evaluation file {}", path.display()))?;
        cases.extend(eval::parse(
            &path.display().to_string(),
            &text,
            &mut thresholds,
        )?);
    }
    if cases.is_empty() {
        anyhow::bail!(
            "no labelled questions in {}: an evaluation set needs at least one",
            args.files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let unknown = eval::unknown_labels(&cases, engine.knowledge());
    if !unknown.is_empty() {
        let lines: Vec<String> = unknown.iter().map(ToString::to_string).collect();
        anyhow::bail!("{}", lines.join("\n"));
    }
    // The command line overrides what the files say.
    if let Some(v) = args.min_accuracy {
        thresholds.min_accuracy = v;
    }
    if let Some(v) = args.min_decline_recall {
        thresholds.min_decline_recall = v;
    }
    if let Some(v) = args.max_wrong {
        thresholds.max_wrong = v;
    }
    let report = eval::run(engine, &cases, args.conversations);
    let mut out = std::io::stdout().lock();
    print_report(&mut out, &report)?;
    let failures = report.failures(&thresholds);
    if failures.is_empty() {
        writeln!(out, "PASS")?;
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &failures {
            writeln!(out, "FAIL: {f}")?;
        }
        Ok(ExitCode::FAILURE)
    }
}

fn print_report(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for miss in &report.wrong {
        writeln!(
            out,
            "WRONG {}: {:?} [{}] expected {}, got {} ({:.2}); top: {}",
            miss.case.place,
            miss.case.question,
            miss.case.lang,
            expected_text(&miss.case.expected),
            miss.got.as_deref().unwrap_or("-"),
            miss.confidence,
            candidates_text(&miss.candidates)
        )?;
    }
    for miss in &report.missed {
        let reason = if miss.got.is_some() {
            format!(
                "answered in {} instead of {}",
                miss.got_lang, miss.case.lang
            )
        } else {
            format!("not answered ({:.2})", miss.confidence)
        };
        writeln!(
            out,
            "MISS {}: {:?} [{}] expected {}, {reason}; top: {}",
            miss.case.place,
            miss.case.question,
            miss.case.lang,
            expected_text(&miss.case.expected),
            candidates_text(&miss.candidates)
        )?;
    }
    writeln!(out)?;
    for lang in Lang::ALL {
        let score = report.by_lang.get(&lang).cloned().unwrap_or_default();
        writeln!(
            out,
            "{:8} accuracy {:5.1}% ({}/{})",
            lang.code(),
            report.accuracy(lang) * 100.0,
            score.correct,
            score.answerable
        )?;
    }
    for (tag, score) in &report.by_tag {
        writeln!(
            out,
            "  {tag:24} {:5.1}% ({}/{})",
            ratio(score.right, score.total) * 100.0,
            score.right,
            score.total
        )?;
    }
    writeln!(
        out,
        "offered  {} of {} missed as the first suggestion",
        report.offered,
        report.missed.len()
    )?;
    writeln!(
        out,
        "decline  recall {:5.1}% ({}/{}), precision {:5.1}% ({}/{})",
        report.decline_recall() * 100.0,
        report.declined_correctly,
        report.must_decline,
        report.decline_precision() * 100.0,
        report.declined_correctly,
        report.declined_total
    )?;
    writeln!(
        out,
        "wrong    {:5.1}% ({}/{} questions)",
        report.wrong_rate() * 100.0,
        report.wrong.len(),
        report.total
    )?;
    Ok(())
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn expected_text(expected: &eval::Expected) -> String {
    match expected {
        eval::Expected::Decline => "decline".to_string(),
        eval::Expected::Answer(keys) => keys.join("|"),
    }
}

fn candidates_text(candidates: &[(String, f32)]) -> String {
    candidates
        .iter()
        .map(|(id, s)| format!("{id} {s:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}
