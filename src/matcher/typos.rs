//! Forgiving English typing: a word the knowledge does not know is read as
//! the known word one or two edits away ("sceince" → science), and two
//! words that the knowledge writes as one are joined ("cyber port"). Digits
//! are never corrected. Chinese slips are homophones, handled with names in
//! `subjects`.

use rustc_hash::FxHashSet as HashSet;

use crate::normalize::Normalized;

pub struct Speller {
    /// Known words, sorted, for correction.
    words: Vec<String>,
    known: HashSet<String>,
}

impl Speller {
    pub fn new(words: impl IntoIterator<Item = String>) -> Speller {
        let mut words: Vec<String> = words
            .into_iter()
            .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        words.sort();
        words.dedup();
        let known = words.iter().cloned().collect();
        Speller { words, known }
    }

    pub fn knows(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// The known word closest to an unknown one, forgiving a typo or two.
    fn correct(&self, word: &str) -> Option<String> {
        if word.len() < 4 || self.knows(word) || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let budget = if word.len() >= 7 { 2 } else { 1 };
        self.words
            .iter()
            .filter(|w| w.len().abs_diff(word.len()) <= budget)
            .map(|w| (strsim::damerau_levenshtein(w, word), w))
            .filter(|(d, _)| *d <= budget)
            .min_by_key(|(d, w)| (*d, w.len()))
            .map(|(_, w)| w.clone())
    }

    /// The question with unknown words corrected and split names joined;
    /// `keep` says which words are fine as they are (stop words, lexicon words).
    pub fn mend(&self, n: &Normalized, keep: &dyn Fn(&str) -> bool) -> Normalized {
        let mut mended = n.clone();
        let mut words = Vec::with_capacity(n.words.len());
        let mut i = 0;
        while i < n.words.len() {
            if let Some(next) = n.words.get(i + 1) {
                let joined = format!("{}{}", n.words[i], next);
                if self.knows(&joined) && !self.knows(&n.words[i]) {
                    words.push(joined);
                    i += 2;
                    continue;
                }
            }
            let w = &n.words[i];
            words.push(if keep(w) {
                w.clone()
            } else {
                self.correct(w).unwrap_or_else(|| w.clone())
            });
            i += 1;
        }
        mended.words = words;
        mended
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn corrects_typos_and_joins_split_names() {
        // Words are compared as stems: "science" is "scienc".
        let s = Speller::new(["scienc", "cyberport", "park"].map(String::from));
        let m = s.mend(&normalize("sceince cyber port 2025"), &|_| false);
        assert_eq!(m.words, vec!["scienc", "cyberport", "2025"]);
        let kept = s.mend(&normalize("sciense"), &|w| w == "sciens");
        assert_eq!(kept.words, vec!["sciens"], "words to keep are kept");
    }
}
