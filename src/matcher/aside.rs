//! What a question sets aside ("besides Science Park, what else…", "on top
//! of the initial money", "除咗科學園以外") is not what it asks about. The
//! set-aside clause is not read, so the names and qualifiers in it do not
//! choose the answer: the later injections, not the initial one.

use crate::knowledge::Besides;

/// Characters that end a clause, in either width.
const CLAUSE_ENDS: &str = ",，、;；?？!！.。";

pub struct SetAside {
    openers: Vec<String>,
    closers: Vec<String>,
    ends_before: Vec<String>,
}

impl SetAside {
    pub fn new(besides: &Besides) -> SetAside {
        let lower = |words: &[String]| words.iter().map(|w| w.to_lowercase()).collect();
        SetAside {
            openers: lower(&besides.openers),
            closers: lower(&besides.closers),
            ends_before: lower(&besides.ends_before),
        }
    }

    /// The question without the first thing it sets aside, and that
    /// thing, if it sets something aside.
    pub fn remove(&self, question: &str) -> Option<(String, String)> {
        // ASCII lower case keeps every byte offset of the question.
        let lower = question.to_ascii_lowercase();
        let (start, from) = self
            .openers
            .iter()
            .filter_map(|o| find_word(&lower, o, 0).map(|at| (at, at + o.len())))
            .min()?;
        let clause_end = lower[from..]
            .char_indices()
            .find(|(_, c)| CLAUSE_ENDS.contains(*c))
            .map_or(lower.len(), |(at, _)| from + at);
        let closed = self
            .closers
            .iter()
            .filter_map(|c| find_word(&lower, c, from).map(|at| at + c.len()));
        let before = self
            .ends_before
            .iter()
            .filter_map(|w| find_word(&lower, w, from));
        let end = closed
            .chain(before)
            .filter(|&at| at > from)
            .fold(clause_end, usize::min);
        let set_aside = &question[from..end];
        set_aside.chars().any(char::is_alphanumeric).then(|| {
            (
                format!("{} {}", &question[..start], &question[end..]),
                set_aside.to_string(),
            )
        })
    }
}

/// Where `word` first stands in `text` at or after `from`: as a whole word
/// when it begins or ends with a letter or digit (not "besides" in
/// "besidestep"), anywhere when it is Chinese.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let ascii_word = |c: char| c.is_ascii_alphanumeric();
    text[from..]
        .match_indices(word)
        .map(|(at, _)| from + at)
        .find(|&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !(word.starts_with(ascii_word) && before.is_some_and(ascii_word)
                || word.ends_with(ascii_word) && after.is_some_and(ascii_word))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_aside() -> SetAside {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        SetAside::new(&Besides {
            openers: words(&["besides", "on top of", "除了", "除咗"]),
            closers: words(&["以外", "之外"]),
            ends_before: words(&["what", "還", "还"]),
        })
    }

    #[test]
    fn the_clause_set_aside_is_not_read() {
        let s = set_aside();
        let removed = |q: &str| s.remove(q).expect("something set aside").0;
        assert_eq!(
            removed("How much went into the ITF on top of the initial money?"),
            "How much went into the ITF  ?"
        );
        assert_eq!(
            removed("Besides Science Park what does HKSTP run?"),
            " what does HKSTP run?"
        );
        assert_eq!(
            removed("香港科技園除咗科學園以外還有幾多土地?"),
            "香港科技園 還有幾多土地?"
        );
        assert_eq!(
            removed("ITC 除了支援應用研發,還致力提升甚麼?"),
            "ITC  ,還致力提升甚麼?"
        );
    }

    #[test]
    fn an_opener_alone_or_inside_a_word_sets_nothing_aside() {
        let s = set_aside();
        assert_eq!(s.remove("Besides?"), None);
        assert_eq!(s.remove("What stands besidestep the river?"), None);
    }

    #[test]
    fn the_thing_set_aside_ends_with_its_clause() {
        let s = set_aside();
        let aside = |q: &str| s.remove(q).expect("something set aside").1;
        assert_eq!(aside("besides Science Park, what else?"), " Science Park");
        assert_eq!(aside("除咗科學園以外仲有咩?"), "科學園以外");
    }
}
