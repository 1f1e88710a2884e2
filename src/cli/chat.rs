use std::io::{self, Write};
use std::process::ExitCode;

use crate::engine::Engine;

const HELP: &str = "Type a question; follow-ups (\"and Cyberport?\", \"source?\") build on the answers before. Start a question with `?` to see why it matched (the top candidates and their scores). `:new` starts a new conversation; `:q` or Ctrl-D quits.";

/// An interactive loop for curators.
pub fn run(engine: &Engine) -> anyhow::Result<ExitCode> {
    let stdin = io::stdin();
    let mut out = io::stdout();
    writeln!(out, "{HELP}")?;
    let mut context = None;
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let line = match super::ask::read_line(&mut stdin.lock())? {
            None => break,
            Some(Ok(line)) => line,
            Some(Err(why)) => {
                writeln!(out, "That line is {why}\n")?;
                continue;
            }
        };
        let line = line.trim();
        match line {
            "" => continue,
            ":q" | ":quit" => break,
            ":new" => {
                context = None;
                continue;
            }
            _ => {}
        }
        let (why, question) = match line.strip_prefix('?') {
            Some(q) => (true, q.trim()),
            None => (false, line),
        };
        let turn = engine.converse(question, context.as_ref(), None);
        context = turn.context;
        if let Some(resolved) = &turn.resolved {
            writeln!(out, "(understood as: {resolved})")?;
        }
        writeln!(out, "{}\n", turn.reply.to_plain())?;
        if why {
            let explanation = engine.explain(turn.resolved.as_deref().unwrap_or(question), None);
            let r = &explanation.ranking;
            let k = engine.knowledge();
            writeln!(
                out,
                "  lang {} · facts {:?} · reason {:?} · intent {:?} · overview {:?} · confidence {:.2}",
                explanation.reply.lang,
                explanation.reply.facts,
                explanation.reply.reason,
                r.intent,
                r.overview.map(|t| &k.topics[t].id),
                explanation.reply.confidence
            )?;
            writeln!(
                out,
                "  asks {:?} · events {:?} · qualifiers {:?} · ordinals {:?} · years {:?}",
                r.frame.attributes,
                r.frame.events,
                r.frame.qualifiers,
                r.frame.ordinals,
                r.frame.years
            )?;
            for hit in &r.subjects {
                let name = match hit.anchor {
                    crate::matcher::Anchor::Topic(t) => format!("topic {}", k.topics[t].id),
                    crate::matcher::Anchor::Fact(f) => format!("fact {}", k.facts[f].id),
                };
                writeln!(out, "  subject {name} ({:?}, {:.2})", hit.how, hit.strength)?;
            }
            for c in r.candidates.iter().take(5) {
                writeln!(
                    out,
                    "  {:.3}  {}  (coverage {:.2}, subject {:.2} {:?}, residue {:.2} stray {:.2}, fit {:?})",
                    c.score,
                    k.facts[c.fact].id,
                    c.coverage,
                    c.subject,
                    c.directness,
                    c.residue,
                    c.stray,
                    c.fit
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
