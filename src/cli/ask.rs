use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use serde_json::json;

use crate::answer::Reply;
use crate::conversation::{Context, Turn};
use crate::engine::Engine;
use crate::lang::Lang;
use crate::matcher::{Anchor, Ranking};

/// How many of the best candidates `--explain` shows.
const EXPLAINED: usize = 5;

#[derive(Debug, clap::Args)]
pub struct AskArgs {
    /// The question; without one, questions are read from standard input,
    /// one per line, and each answer is written (and flushed) as soon as it
    /// is known, so another program can converse line by line.
    pub question: Option<String>,
    /// Print one JSON object per question.
    #[arg(long)]
    pub json: bool,
    /// Answer in this language (en, zh-Hans, zh-Hant) instead of the question's.
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Read standard input as conversations: each line may follow up on the
    /// answers before it, and a blank line starts a new conversation. Each
    /// answer resolved from the conversation says how it was understood
    /// (`resolved` in JSON).
    #[arg(long, conflicts_with = "question")]
    pub conversation: bool,
    /// With --json, add why each reply was given: the question's frame,
    /// the subjects found and the best candidates with what went into
    /// their scores (`ranking`).
    #[arg(long, requires = "json")]
    pub explain: bool,
}

/// The machine-readable form of a reply, one line per question.
pub fn reply_json(reply: &Reply) -> serde_json::Value {
    json!({
        "answered": reply.answered(),
        "outcome": reply.outcome,
        "intent": reply.intent,
        "reason": reply.reason,
        "facts": reply.facts,
        "confidence": (f64::from(reply.confidence) * 1000.0).round() / 1000.0,
        "lang": reply.lang,
        "reply": reply.to_plain(),
        "suggestions": reply.suggestions,
        "sources": reply.sources,
    })
}

/// Why a reply was given: what `chat` shows after `?`, for scripts.
fn ranking_json(engine: &Engine, ranking: &Ranking) -> serde_json::Value {
    let k = engine.knowledge();
    let anchor = |a: Anchor| match a {
        Anchor::Topic(t) => json!({ "topic": k.topics[t].id }),
        Anchor::Fact(f) => json!({ "fact": k.facts[f].id }),
    };
    let frame = &ranking.frame;
    json!({
        "intent": ranking.intent,
        "overview": ranking.overview.map(|t| &k.topics[t].id),
        "frame": {
            "asks": frame.attributes.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>(),
            "events": frame.events.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>(),
            "qualifiers": frame.qualifiers.iter().map(|q| format!("{q:?}")).collect::<Vec<_>>(),
            "ordinals": frame.ordinals,
            "years": frame.years,
        },
        "subjects": ranking.subjects.iter().map(|h| json!({
            "anchor": anchor(h.anchor),
            "how": format!("{:?}", h.how),
            "strength": h.strength,
        })).collect::<Vec<_>>(),
        "candidates": ranking.candidates.iter().take(EXPLAINED).map(|c| json!({
            "fact": k.facts[c.fact].id,
            "score": c.score,
            "coverage": c.coverage,
            "subject": c.subject,
            "directness": format!("{:?}", c.directness),
            "named": c.named,
            "kind_asked": c.kind_asked,
            "part": c.part,
            "residue": c.residue,
            "stray": c.stray,
            "unspoken": c.unspoken,
            "fit": c.fit,
        })).collect::<Vec<_>>(),
    })
}

pub fn run(engine: &Engine, args: &AskArgs) -> anyhow::Result<ExitCode> {
    let mut context: Option<Context> = None;
    let mut answer = |question: &str| {
        if args.conversation && question.trim().is_empty() {
            context = None;
            return String::new();
        }
        let turn = if args.conversation {
            engine.converse(question, context.as_ref(), args.lang)
        } else {
            let reply = engine.ask_in(question, args.lang);
            Turn {
                reply,
                context: None,
                resolved: None,
            }
        };
        context = turn.context;
        match (args.json, &turn.resolved) {
            (true, _) => {
                let mut value = reply_json(&turn.reply);
                if args.conversation {
                    value["resolved"] = json!(turn.resolved);
                }
                if args.explain {
                    let asked = turn.resolved.as_deref().unwrap_or(question);
                    value["ranking"] =
                        ranking_json(engine, &engine.explain(asked, args.lang).ranking);
                }
                format!("{value}\n")
            }
            (false, Some(resolved)) => {
                format!("(understood as: {resolved})\n{}\n\n", turn.reply.to_plain())
            }
            (false, None) => format!("{}\n\n", turn.reply.to_plain()),
        }
    };
    let mut out = io::stdout().lock();
    let mut emit = |text: String| -> io::Result<()> {
        out.write_all(text.as_bytes())?;
        out.flush()
    };
    match &args.question {
        Some(q) => emit(answer(q))?,
        None => {
            let mut input = io::stdin().lock();
            let mut number = 0;
            while let Some(line) = read_line(&mut input)? {
                number += 1;
                emit(match line {
                    Ok(question) => answer(&question),
                    // One bad line is reported and the batch goes on.
                    Err(why) if args.json => {
                        format!("{}\n", json!({ "error": format!("line {number}: {why}") }))
                    }
                    Err(why) => format!("line {number}: {why}\n\n"),
                })?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The next line of input without its line ending: `None` at the end, or
/// the line, or why it cannot be read as text.
pub(super) fn read_line(input: &mut impl BufRead) -> io::Result<Option<Result<String, String>>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    Ok(Some(String::from_utf8(bytes).map_err(|_| {
        "not valid UTF-8 text; send questions as UTF-8".to_string()
    })))
}
