//! Replies as Telegram HTML: every interpolated string escaped, the source
//! under the answer, suggestions as buttons, and messages split at
//! Telegram's 4,096-character limit on line boundaries. This is the only
//! place the bot builds HTML.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::utils::html::{bold, escape, italic};

use crate::answer::{source_sentence, Reply, MAX_REPLY_CHARS};

/// The message texts of a reply, in order, each within Telegram's limit.
pub fn html(reply: &Reply) -> Vec<String> {
    let mut text = escape(&reply.body);
    for source in &reply.sources {
        text.push_str("\n\n");
        text.push_str(&italic(&escape(&source_sentence(source, reply.lang))));
    }
    split(&text, MAX_REPLY_CHARS)
}

/// A fact's title, bold, then its reply: for inline results and cards.
pub fn titled(title: &str, reply: &Reply) -> String {
    format!("{}\n{}", bold(&escape(title)), html(reply).join("\n"))
}

/// The reply's suggestions as one button per row.
pub fn keyboard(reply: &Reply) -> Option<InlineKeyboardMarkup> {
    (!reply.suggestions.is_empty()).then(|| {
        InlineKeyboardMarkup::new(reply.suggestions.iter().map(|s| {
            vec![InlineKeyboardButton::callback(
                s.title.clone(),
                s.target.key(),
            )]
        }))
    })
}

/// Splits text into pieces of at most `limit` characters, preferring line
/// breaks, never cutting inside an HTML entity or tag.
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if current.chars().count() + line.chars().count() > limit && !current.is_empty() {
            pieces.push(std::mem::take(&mut current).trim_end().to_string());
        }
        if line.chars().count() > limit {
            let mut rest = line;
            while rest.chars().count() > limit {
                let mut cut = rest
                    .char_indices()
                    .nth(limit)
                    .map_or(rest.len(), |(i, _)| i);
                // Back off to before an entity (&amp;) or tag (<i>) that the cut would split.
                if let Some(open) = rest[..cut].rfind(['&', '<']) {
                    if !rest[open..cut].contains([';', '>']) && open > 0 {
                        cut = open;
                    }
                }
                pieces.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            current.push_str(rest);
        } else {
            current.push_str(line);
        }
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim_end().to_string());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_lines_within_the_limit() {
        let text = "aaaa\nbbbb\ncccc";
        assert_eq!(split(text, 8), vec!["aaaa", "bbbb", "cccc"]);
        assert_eq!(split(text, 9), vec!["aaaa", "bbbb\ncccc"]);
        assert_eq!(split(text, 10), vec!["aaaa\nbbbb", "cccc"]);
    }

    #[test]
    fn every_interpolated_field_is_escaped() {
        use crate::answer::{Outcome, SourceLine};
        use crate::lang::Lang;
        let hostile = r#"<b>R&D</b> "x" 'y' >"#;
        let reply = Reply {
            outcome: Outcome::Fact,
            lang: Lang::En,
            confidence: 1.0,
            intent: None,
            reason: None,
            facts: vec![],
            body: hostile.to_string(),
            sources: vec![SourceLine {
                citation: hostile.to_string(),
                as_of: Some(hostile.to_string()),
                url: Some(format!("https://example.org/?a=1&b={hostile}")),
            }],
            suggestions: vec![],
        };
        let html = titled(hostile, &reply);
        // The only tags are the ones the renderer adds.
        let tags: Vec<&str> = html
            .match_indices('<')
            .map(|(i, _)| &html[i..html[i..].find('>').map_or(html.len(), |j| i + j + 1)])
            .collect();
        assert!(
            tags.iter()
                .all(|t| ["<b>", "</b>", "<i>", "</i>"].contains(t)),
            "{html}"
        );
        assert_eq!(
            html.matches("&lt;b&gt;R&amp;D&lt;/b&gt;").count(),
            5,
            "{html}"
        );
        assert!(!html.contains("&b=") && html.contains("&amp;b="), "{html}");
    }

    #[test]
    fn never_cuts_an_entity() {
        let text = format!("{}&amp;b", "a".repeat(8));
        for piece in split(&text, 10) {
            assert!(piece.chars().count() <= 10);
            assert!(!piece.ends_with('&') && !piece.ends_with("&am"), "{piece}");
        }
        assert_eq!(split(&text, 10).concat(), text);
    }
}
