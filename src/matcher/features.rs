//! The features a normalised text is matched by: English word stems,
//! Chinese characters and bigrams, and the lexicon's concepts (so that
//! "firms", "企業" and "companies" meet). Stop words are not features, and
//! neither are digits: numbers alone never make a match.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use super::phrases::{PhraseIndex, Span};
use crate::knowledge::{Concept, Lexicon};
use crate::normalize::{stem, Normalized, Normalizer};

/// Feature kinds, by prefix.
pub const WORD: &str = "w:";
pub const CHAR: &str = "c:";
pub const BIGRAM: &str = "b:";
pub const CONCEPT: &str = "k:";

/// A feature of the kind `kind` (a prefix above) naming `text`; what
/// `format!` makes, without its machinery: a question makes hundreds.
pub fn feature(kind: &str, text: &str) -> String {
    let mut f = String::with_capacity(kind.len() + text.len());
    f.push_str(kind);
    f.push_str(text);
    f
}

/// A feature of the kind `kind` naming a character or a bigram.
fn chars_feature(kind: &str, chars: &[char]) -> String {
    let mut f = String::with_capacity(kind.len() + 4 * chars.len());
    f.push_str(kind);
    f.extend(chars);
    f
}

/// The features of a run of Han characters: each character, then each
/// bigram.
pub fn han_features(chars: &[char]) -> impl Iterator<Item = String> + '_ {
    chars
        .chunks(1)
        .map(|c| chars_feature(CHAR, c))
        .chain(chars.windows(2).map(|pair| chars_feature(BIGRAM, pair)))
}

pub struct Vocabulary {
    stop_en: HashSet<String>,
    stop_zh: Option<AhoCorasick>,
    concepts: PhraseIndex<usize>,
    concept_ids: Vec<String>,
    outside: HashSet<String>,
    elsewhere: HashSet<String>,
    narrowing: HashSet<String>,
    kinds: HashSet<String>,
    areas: HashSet<String>,
    fields: HashSet<String>,
    paid_out: HashSet<String>,
    persons: HashSet<String>,
    bodies: HashSet<String>,
    includes: HashMap<String, Vec<String>>,
    kind_of: HashMap<String, Vec<String>>,
}

/// Whether `later` starts at most two words (or two Chinese characters)
/// after `earlier` ends, in the same script.
fn near(earlier: &Span, later: &Span) -> bool {
    const WORDS_BETWEEN: usize = 2;
    const TEXT_BETWEEN: usize = 2 * '哪'.len_utf8();
    match (earlier, later) {
        (Span::Words(a), Span::Words(b)) => b.start >= a.end && b.start - a.end <= WORDS_BETWEEN,
        (Span::Text(a), Span::Text(b)) => b.start >= a.end && b.start - a.end <= TEXT_BETWEEN,
        _ => false,
    }
}

/// The ids of the lexicon's concepts that are marked so.
fn ids_where(lexicon: &Lexicon, marked: impl Fn(&Concept) -> bool) -> HashSet<String> {
    lexicon
        .concepts
        .iter()
        .filter(|c| marked(c))
        .map(|c| c.id.clone())
        .collect()
}

/// The lists of concept ids that the lexicon's concepts name, by concept.
fn lists_where(
    lexicon: &Lexicon,
    list: impl Fn(&Concept) -> &Vec<String>,
) -> HashMap<String, Vec<String>> {
    lexicon
        .concepts
        .iter()
        .filter(|c| !list(c).is_empty())
        .map(|c| (c.id.clone(), list(c).clone()))
        .collect()
}

impl Vocabulary {
    pub fn new(lexicon: &Lexicon, normalizer: &Normalizer) -> Vocabulary {
        let stop_en = lexicon
            .stop_en
            .iter()
            .flat_map(|w| {
                let w = w.to_lowercase();
                [stem(&w), w]
            })
            .collect();
        let stop_zh: Vec<String> = lexicon
            .stop_zh
            .iter()
            .map(|w| normalizer.normalize(w).text)
            .filter(|w| !w.is_empty())
            .collect();
        let stop_zh = (!stop_zh.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&stop_zh)
                .expect("stop words build an automaton")
        });
        let concepts = PhraseIndex::new(
            normalizer,
            lexicon
                .concepts
                .iter()
                .enumerate()
                .flat_map(|(i, c)| c.words.iter().map(move |w| (w.clone(), i))),
        );
        Vocabulary {
            stop_en,
            stop_zh,
            concepts,
            concept_ids: lexicon.concepts.iter().map(|c| c.id.clone()).collect(),
            outside: ids_where(lexicon, |c| c.outside),
            elsewhere: ids_where(lexicon, |c| c.elsewhere),
            narrowing: ids_where(lexicon, |c| c.narrows),
            kinds: ids_where(lexicon, |c| c.kinds),
            areas: ids_where(lexicon, |c| c.area),
            fields: ids_where(lexicon, |c| c.field),
            paid_out: ids_where(lexicon, |c| c.paid_out),
            persons: ids_where(lexicon, |c| c.persons),
            bodies: ids_where(lexicon, |c| c.body),
            includes: lists_where(lexicon, |c| &c.includes),
            kind_of: lists_where(lexicon, |c| &c.kind_of),
        }
    }

    /// Whether a concept is a thing the factsheet does not give.
    pub fn is_outside(&self, concept: &str) -> bool {
        self.outside.contains(concept)
    }

    /// Whether a concept is a place other than Hong Kong.
    pub fn is_elsewhere(&self, concept: &str) -> bool {
        self.elsewhere.contains(concept)
    }

    /// Whether a concept is one part of a whole the factsheet counts (a
    /// district, one university).
    pub fn narrows(&self, concept: &str) -> bool {
        self.narrowing.contains(concept)
    }

    /// Whether a concept is the kinds of a thing ("types").
    pub fn is_kinds(&self, concept: &str) -> bool {
        self.kinds.contains(concept)
    }

    /// The concepts a general one stands for (people: users, researchers).
    pub fn included(&self, concept: &str) -> &[String] {
        self.includes.get(concept).map_or(&[], Vec::as_slice)
    }

    /// Whether a concept is a kind of another (unicorns of companies).
    pub fn is_kind_of(&self, concept: &str, general: &str) -> bool {
        self.generals(concept).iter().any(|g| g == general)
    }

    /// The concepts a concept is a kind of.
    pub fn generals(&self, concept: &str) -> &[String] {
        self.kind_of.get(concept).map_or(&[], Vec::as_slice)
    }

    /// Whether a concept is a field of technology or industry (AI, biotech).
    pub fn is_field(&self, concept: &str) -> bool {
        self.fields.contains(concept)
    }

    /// Whether a concept is what a scheme has handed out (approved, granted).
    pub fn is_paid_out(&self, concept: &str) -> bool {
        self.paid_out.contains(concept)
    }

    /// Whether a concept is people of some kind (students).
    pub fn is_persons(&self, concept: &str) -> bool {
        self.persons.contains(concept)
    }

    /// Whether a concept is a kind of body (an office, a committee).
    pub fn is_body(&self, concept: &str) -> bool {
        self.bodies.contains(concept)
    }

    /// Whether a concept is a kind of area (land, floor space).
    pub fn is_area(&self, concept: &str) -> bool {
        self.areas.contains(concept)
    }

    pub fn is_stop(&self, word: &str) -> bool {
        self.stop_en.contains(word)
    }

    /// The concepts a text names, by id. A thing the factsheet does not
    /// give, or a single character, inside a longer word of another
    /// concept is part of that word: 主管 in 主管部门 is no head, and 款
    /// in 拨款 is no kind.
    pub fn concepts(&self, n: &Normalized) -> Vec<&str> {
        let hits = self.concepts.find(n);
        let mut ids: Vec<&str> = hits
            .iter()
            .filter(|h| {
                let id = self.concept_ids[h.value].as_str();
                let one_character =
                    matches!(&h.span, Span::Text(s) if n.text[s.clone()].chars().count() == 1);
                !((self.is_outside(id) || one_character)
                    && hits
                        .iter()
                        .any(|o| o.value != h.value && h.span.strictly_inside(&o.span)))
            })
            .map(|h| self.concept_ids[h.value].as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every concept a text names, with where: found once per question,
    /// asked of by its cues.
    pub fn concept_hits(&self, n: &Normalized) -> ConceptHits<'_> {
        ConceptHits(
            self.concepts
                .find(n)
                .into_iter()
                .map(|h| (self.concept_ids[h.value].as_str(), h.span))
                .collect(),
        )
    }

    /// The concepts a name ends with: the kind of thing it names
    /// ("Scheme", "办公室").
    pub fn heads(&self, n: &Normalized) -> Vec<&str> {
        self.concept_hits(n)
            .0
            .into_iter()
            .filter(|(_, span)| match span {
                Span::Words(s) => s.end == n.words.len(),
                Span::Text(s) => s.end == n.text.len(),
            })
            .map(|(c, _)| c)
            .collect()
    }

    /// Literal features: words, characters and bigrams.
    pub fn literal(&self, n: &Normalized) -> Vec<String> {
        let mut out = Vec::new();
        for w in &n.words {
            if !self.is_stop(w) && !w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push(feature(WORD, w));
            }
            // A name joined by "@" (Health@InnoHK) also says its words:
            // it is the health cluster of InnoHK.
            if w.contains('@') {
                for part in w.split('@').filter(|p| !p.is_empty() && !self.is_stop(p)) {
                    out.push(feature(WORD, &stem(part)));
                }
            }
        }
        for run in &n.han_runs {
            let cleaned = match &self.stop_zh {
                Some(stop) => stop.replace_all(run, &vec![" "; stop.patterns_len()]),
                None => run.clone(),
            };
            for piece in cleaned.split_whitespace() {
                let chars: Vec<char> = piece.chars().collect();
                out.extend(han_features(&chars));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Literal features and concepts.
    pub fn features(&self, n: &Normalized) -> Vec<String> {
        let mut out = self.literal(n);
        out.extend(self.concepts(n).into_iter().map(|c| feature(CONCEPT, c)));
        out.sort();
        out.dedup();
        out
    }
}

/// The concepts a question names, with where (by id).
pub struct ConceptHits<'v>(Vec<(&'v str, Span)>);

impl<'v> ConceptHits<'v> {
    /// The concepts named just after `cue`, at most two words or
    /// characters on (the kind of thing a "which" asks for: "which
    /// government office", "哪个配对资助计划"), in the same script.
    pub fn after(&self, cue: &Span) -> Vec<&'v str> {
        self.0
            .iter()
            .filter(|(_, span)| near(cue, span))
            .map(|(c, _)| *c)
            .collect()
    }

    /// Every concept named, with where.
    pub fn iter(&self) -> impl Iterator<Item = &(&'v str, Span)> {
        self.0.iter()
    }

    /// The concepts named right after `cue`, with nothing between.
    pub fn right_after<'a>(&'a self, cue: &'a Span) -> impl Iterator<Item = &'a (&'v str, Span)> {
        self.0.iter().filter(move |(_, span)| match (cue, span) {
            (Span::Words(a), Span::Words(b)) | (Span::Text(a), Span::Text(b)) => b.start == a.end,
            _ => false,
        })
    }

    /// Whether `general` is named only just after `kind` ("start-up
    /// companies", 初創科技公司), as the word a kind is said with, never
    /// apart from it ("startups and ICT companies").
    pub fn only_with(&self, general: &str, kind: &str) -> bool {
        self.0
            .iter()
            .filter(|(c, _)| *c == general)
            .all(|(_, at)| self.0.iter().any(|(k, span)| *k == kind && near(span, at)))
    }

    /// The concepts named just before `cue`, at most two words or
    /// characters back: what "其中"/"入面有" break down ("项目入面有几多个").
    pub fn before<'a>(&'a self, cue: &'a Span) -> impl Iterator<Item = &'a (&'v str, Span)> {
        self.0.iter().filter(move |(_, span)| near(span, cue))
    }

    /// The concepts a question names only within the given spans (the
    /// question's cues: "deal" in "what's the deal with").
    pub fn only_within(&self, spans: &[&Span]) -> Vec<String> {
        let within = |span: &Span| spans.iter().any(|s| span.inside(s));
        let mut ids: Vec<String> = self
            .0
            .iter()
            .filter(|(_, span)| within(span))
            .filter(|(c, _)| !self.0.iter().any(|(o, span)| o == c && !within(span)))
            .map(|(c, _)| feature(CONCEPT, c))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Concept;

    #[test]
    fn numbers_stop_words_and_concepts() {
        let lexicon = Lexicon {
            stop_en: vec!["what".into(), "is".into(), "the".into(), "of".into()],
            stop_zh: vec!["是".into(), "多少".into()],
            concepts: vec![Concept {
                id: "company".into(),
                words: vec!["firm".into(), "企業".into()],
                ..Concept::default()
            }],
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        let v = Vocabulary::new(&lexicon, &n);
        assert!(v
            .features(&n.normalize("what is the 78701 of the"))
            .is_empty());
        assert!(v.features(&n.normalize("是多少？")).is_empty());
        let f = v.features(&n.normalize("firms 企業"));
        assert!(f.contains(&"k:company".to_string()), "{f:?}");
        assert!(f.contains(&"w:firm".to_string()) && f.contains(&"b:企业".to_string()));
    }

    #[test]
    fn an_outside_word_inside_a_longer_concept_word_is_part_of_it() {
        let concept = |id: &str, words: &[&str], outside: bool| Concept {
            id: id.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
            outside,
            ..Concept::default()
        };
        let lexicon = Lexicon {
            concepts: vec![
                concept("leader", &["主管", "head"], true),
                concept("authority", &["主管部门"], false),
                concept("company", &["公司"], false),
                concept("branch", &["分公司"], false),
            ],
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        let v = Vocabulary::new(&lexicon, &n);
        assert_eq!(v.concepts(&n.normalize("科技主管部门")), vec!["authority"]);
        assert_eq!(v.concepts(&n.normalize("谁是主管")), vec!["leader"]);
        // Only what the factsheet does not give is absorbed.
        assert_eq!(
            v.concepts(&n.normalize("分公司")),
            vec!["branch", "company"]
        );
    }

    #[test]
    fn the_kind_a_which_asks_for_and_the_kind_a_name_ends_with() {
        let concept = |id: &str, words: &[&str]| Concept {
            id: id.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
            ..Concept::default()
        };
        let lexicon = Lexicon {
            concepts: vec![
                concept("scheme", &["scheme", "计划"]),
                concept("internship", &["internship", "实习"]),
            ],
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        let v = Vocabulary::new(&lexicon, &n);
        let which = |q: &str, cue: Span| v.concept_hits(&n.normalize(q)).after(&cue);
        // Two words may come between: "which two-year pilot scheme".
        assert_eq!(
            which("which pilot 2 scheme funds it", Span::Words(0..1)),
            vec!["scheme"]
        );
        assert!(which("which is the best of the schemes", Span::Words(0..1)).is_empty());
        // 哪个 is bytes 0..6: 实习 follows it, 计划 two characters on.
        assert_eq!(
            which("哪个实习计划", Span::Text(0..6)),
            vec!["internship", "scheme"]
        );
        assert_eq!(
            v.heads(&n.normalize("STEM Internship Scheme")),
            vec!["scheme"]
        );
        assert!(v.heads(&n.normalize("Research Talent Hub")).is_empty());
    }
}
