//! Finding curated phrases in a normalised question: English phrases as
//! whole stemmed words in order, Chinese ones as runs of characters. Used
//! for the lexicon's entries and for concepts.

use rustc_hash::FxHashMap as HashMap;
use std::collections::hash_map::Entry;

use aho_corasick::AhoCorasick;

use crate::normalize::{Normalized, Normalizer};
use crate::script::is_han;

/// A phrase found in a question: its value and the question text it covers
/// (English words by position, Chinese characters by byte range of `text`).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Words(std::ops::Range<usize>),
    Text(std::ops::Range<usize>),
}

impl Span {
    /// Whether this span lies within `other`.
    pub fn inside(&self, other: &Span) -> bool {
        match (self, other) {
            (Span::Words(a), Span::Words(b)) | (Span::Text(a), Span::Text(b)) => {
                b.start <= a.start && a.end <= b.end
            }
            _ => false,
        }
    }

    /// Whether this span lies within `other` and is shorter.
    pub fn strictly_inside(&self, other: &Span) -> bool {
        match (self, other) {
            (Span::Words(a), Span::Words(b)) | (Span::Text(a), Span::Text(b)) => {
                b.start <= a.start && a.end <= b.end && a.len() < b.len()
            }
            _ => false,
        }
    }
}

pub struct PhraseIndex<T> {
    /// First stemmed word → the phrases that start with it.
    english: HashMap<String, Vec<(Vec<String>, T)>>,
    chinese: Option<AhoCorasick>,
    /// The values of each pattern: a phrase may say two things (全名 asks
    /// a name, and its full form).
    chinese_values: Vec<Vec<T>>,
}

impl<T: Clone> PhraseIndex<T> {
    pub fn new(normalizer: &Normalizer, phrases: impl IntoIterator<Item = (String, T)>) -> Self {
        let mut english: HashMap<String, Vec<(Vec<String>, T)>> = HashMap::default();
        let mut patterns = Vec::new();
        let mut chinese_values: Vec<Vec<T>> = Vec::new();
        let mut pattern_index: HashMap<String, usize> = HashMap::default();
        for (phrase, value) in phrases {
            let n = normalizer.normalize(&phrase);
            if n.text.chars().any(is_han) {
                match pattern_index.entry(n.text) {
                    Entry::Occupied(at) => chinese_values[*at.get()].push(value),
                    Entry::Vacant(slot) => {
                        patterns.push(slot.key().clone());
                        slot.insert(chinese_values.len());
                        chinese_values.push(vec![value]);
                    }
                }
            } else if let Some(first) = n.words.first() {
                english
                    .entry(first.clone())
                    .or_default()
                    .push((n.words.clone(), value));
            }
        }
        let chinese = (!patterns.is_empty())
            .then(|| AhoCorasick::new(&patterns).expect("phrases build an automaton"));
        PhraseIndex {
            english,
            chinese,
            chinese_values,
        }
    }

    /// Every phrase the question contains, overlapping ones included.
    pub fn find(&self, n: &Normalized) -> Vec<Hit<T>> {
        let mut hits = Vec::new();
        for (i, word) in n.words.iter().enumerate() {
            for (words, value) in self.english.get(word).into_iter().flatten() {
                if n.words[i..].starts_with(words) {
                    hits.push(Hit {
                        value: value.clone(),
                        span: Span::Words(i..i + words.len()),
                    });
                }
            }
        }
        if let Some(automaton) = &self.chinese {
            for m in automaton.find_overlapping_iter(&n.text) {
                for value in &self.chinese_values[m.pattern().as_usize()] {
                    hits.push(Hit {
                        value: value.clone(),
                        span: Span::Text(m.start()..m.end()),
                    });
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_in_order_and_characters_anywhere() {
        let n = Normalizer::plain();
        let index = PhraseIndex::new(
            &n,
            [
                ("how big".to_string(), 1),
                ("areas".to_string(), 2),
                ("面積".to_string(), 3),
            ],
        );
        let found = |q: &str| -> Vec<i32> {
            let mut v: Vec<i32> = index
                .find(&n.normalize(q))
                .into_iter()
                .map(|h| h.value)
                .collect();
            v.sort();
            v
        };
        assert_eq!(found("How big is the area?"), vec![1, 2]);
        assert_eq!(found("big how"), Vec::<i32>::new());
        assert_eq!(
            found("科学园面积"),
            vec![3],
            "Traditional phrases match Simplified text"
        );
        assert_eq!(found("bigger"), Vec::<i32>::new());
    }

    #[test]
    fn a_phrase_may_say_two_things() {
        let n = Normalizer::plain();
        let index = PhraseIndex::new(&n, [("全名".to_string(), 1), ("全名".to_string(), 2)]);
        let found: Vec<i32> = index
            .find(&n.normalize("生產力局嘅全名"))
            .into_iter()
            .map(|h| h.value)
            .collect();
        assert_eq!(found, vec![1, 2]);
    }

    #[test]
    fn strictly_inside_is_shorter_and_within() {
        assert!(Span::Text(1..3).strictly_inside(&Span::Text(1..5)));
        assert!(!Span::Text(1..5).strictly_inside(&Span::Text(1..5)));
        assert!(!Span::Text(0..3).strictly_inside(&Span::Text(1..5)));
        assert!(!Span::Words(1..2).strictly_inside(&Span::Text(0..5)));
    }
}
