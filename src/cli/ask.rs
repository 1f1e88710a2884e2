use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use serde_json::json;

use crate::answer::Reply;
use crate::engine::Engine;
use crate::lang::Lang;

#[derive(Debug, clap::Args)]
pub struct AskArgs {
    /// The question; without one, questions are read from standard input, one per line.
    pub question: Option<String>,
    /// Print one JSON object per question.
    #[arg(long)]
    pub json: bool,
    /// Answer in this language (en, zh-Hans, zh-Hant) instead of the question's.
    #[arg(long)]
    pub lang: Option<Lang>,
}

/// The machine-readable form of a reply, one line per question.
pub fn reply_json(reply: &Reply) -> serde_json::Value {
    json!({
        "answered": reply.answered(),
        "outcome": reply.outcome,
        "intent": reply.intent,
        "facts": reply.facts,
        "confidence": (f64::from(reply.confidence) * 1000.0).round() / 1000.0,
        "lang": reply.lang,
        "reply": reply.to_plain(),
        "suggestions": reply.suggestions,
        "sources": reply.sources,
    })
}

pub fn run(engine: &Engine, args: &AskArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let answer = |question: &str, out: &mut dyn Write| -> io::Result<()> {
        let reply = engine.ask_in(question, args.lang);
        if args.json {
            writeln!(out, "{}", reply_json(&reply))
        } else {
            writeln!(out, "{}\n", reply.to_plain())
        }
    };
    match &args.question {
        Some(q) => answer(q, &mut out)?,
        None => {
            for line in io::stdin().lock().lines() {
                // Invalid UTF-8 is replaced rather than fatal: a batch never stops halfway.
                let line = line.unwrap_or_else(|e| format!("{e}"));
                answer(&line, &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
