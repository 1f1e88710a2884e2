use std::io::{self, Write};
use std::process::ExitCode;

use crate::engine::Engine;

const HELP: &str = "Type a question. Start it with `?` to see why it matched (the top candidates and their scores). `:q` or Ctrl-D quits.";

/// An interactive loop for curators.
pub fn run(engine: &Engine) -> anyhow::Result<ExitCode> {
    let stdin = io::stdin();
    let mut out = io::stdout();
    writeln!(out, "{HELP}")?;
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
            _ => {}
        }
        let (why, question) = match line.strip_prefix('?') {
            Some(q) => (true, q.trim()),
            None => (false, line),
        };
        let explanation = engine.explain(question, None);
        writeln!(out, "{}\n", explanation.reply.to_plain())?;
        if why {
            let r = &explanation.ranking;
            writeln!(
                out,
                "  lang {} · asks {:?} · intent {:?} · overview {:?} · confidence {:.2}",
                explanation.reply.lang,
                r.asks,
                r.intent,
                r.overview.map(|t| &engine.knowledge().topics[t].id),
                explanation.reply.confidence
            )?;
            for c in r.candidates.iter().take(5) {
                writeln!(
                    out,
                    "  {:.3}  {}  (coverage {:.2}, anchored {}, form fits {:?}, rest fits {})",
                    c.score,
                    engine.knowledge().facts[c.fact].id,
                    c.coverage,
                    c.anchored,
                    c.form_fits,
                    c.rest_fits
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
