//! Finding the subject a question is about: a topic's or a fact's name found
//! whole; a long name found nearly whole (a wrong character); a Chinese name
//! typed with a homophone from the input method (科學圓 for 科學園, 數碼崗
//! for 數碼港), found through toneless pinyin; or a description (the
//! government's digital ID app) found by its content words.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::features::{feature, han_features, Vocabulary, CONCEPT};
use super::sound::{sound, Sound};
use super::span_features;
use crate::normalize::{Normalized, Normalizer};
use crate::script::is_han;

/// What a name or description names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    Topic(usize),
    Fact(usize),
}

/// How a subject was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Name,
    NearName,
    Homophone,
    Description,
}

/// A subject found in a question.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectHit {
    pub anchor: Anchor,
    pub how: How,
    /// 1 for a name found whole, less for the looser ways.
    pub strength: f32,
    /// The question's features the subject accounts for.
    pub features: Vec<String>,
    /// Found as a phrase whose one content word is common ("fund of
    /// funds"): a fact holding that word does not speak of the subject.
    pub phrase: bool,
    /// The name's own features, where the question writes it with a slip
    /// (智方辨): what a fact that names the subject holds.
    pub mended: Option<Vec<String>>,
    /// A description found only through concepts the question names in
    /// other words: resemblance, not naming (a follow-up's words that
    /// resemble another subject are still about the last one).
    pub in_other_words: bool,
}

struct Name {
    anchor: Anchor,
    features: Vec<String>,
    /// The name's English words (stems, stop words left out), in order.
    words: Vec<String>,
    /// Found only as all its words, stop words included, side by side:
    /// a name whose one content word is common ("Inno HK").
    phrase: bool,
    /// Han characters of the name, for wrong-character and homophone matching.
    chars: Vec<char>,
    /// Their sounds (`sound`), worked out once.
    sounds: Vec<Option<Sound>>,
    /// The informative weight of all its features.
    weight: f32,
}

/// Words the question may hold between two words of a name ("Science and
/// Technology Parks" for "Science Parks" does not count).
const NAME_GAP: usize = 2;

/// Where a name's words were read in a question: the places of its first
/// and last word, and whether other words came between. A name of no
/// English words (a Chinese one) is read at no place: the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Reading {
    first: usize,
    last: usize,
    gapped: bool,
}

impl Reading {
    /// Whether this reading, across a gap, ends inside the start of
    /// `other`, a longer one read side by side and begun after it.
    fn reaches_into(self, other: Reading) -> bool {
        self.gapped
            && !other.gapped
            && self.first < other.first
            && (other.first..other.last).contains(&self.last)
    }
}

/// Where `name` occurs in `words` in order, with small gaps (the first
/// reading).
fn in_order(name: &[String], words: &[String]) -> Option<Reading> {
    let Some(first) = name.first() else {
        return Some(Reading::default());
    };
    words.iter().enumerate().find_map(|(start, w)| {
        if w != first {
            return None;
        }
        let mut last = start;
        for n in &name[1..] {
            let offset = words[last + 1..]
                .iter()
                .take(NAME_GAP + 1)
                .position(|w| w == n)?;
            last += offset + 1;
        }
        Some(Reading {
            first: start,
            last,
            gapped: last - start + 1 > name.len(),
        })
    })
}

/// Where `name` occurs in `words` with nothing between its words.
fn side_by_side(name: &[String], words: &[String]) -> Option<Reading> {
    if name.is_empty() {
        return None;
    }
    let start = words.windows(name.len()).position(|w| w == name)?;
    Some(Reading {
        first: start,
        last: start + name.len() - 1,
        gapped: false,
    })
}

/// A name with a number in it ("14th Five-Year Plan", 十四五规划, 5G), split
/// around the number: the same words around another number ("the 15th
/// Five-Year Plan", 6G) name another of the series, which the factsheet
/// does not speak of.
struct NumberedName {
    anchor: Anchor,
    before: String,
    number: String,
    after: String,
}

const CHINESE_NUMERALS: &str = "零〇一二两三四五六七八九十百千";

fn is_digit_run(run: &str) -> bool {
    run.starts_with(|c: char| c.is_ascii_digit())
}

/// The number a run of numerals says: digits by value (2 is 2.0), Chinese
/// numerals as written (十四五 is no one value).
fn same_number(a: &str, b: &str) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The runs of numerals in a text, as byte ranges: digits with a decimal
/// point, or Chinese numerals.
fn numeral_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let digits = c.is_ascii_digit();
        if !digits && !CHINESE_NUMERALS.contains(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            let continues = if digits {
                next.is_ascii_digit()
                    || (next == '.' && text[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
            } else {
                CHINESE_NUMERALS.contains(next)
            };
            if !continues {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        runs.push((start, end));
    }
    runs
}

impl NumberedName {
    /// A name holding one number that is no year (a year is a period, read
    /// elsewhere) and no lone Chinese numeral (一站通 is a word, not a
    /// series), with words around it.
    fn of(anchor: Anchor, text: &str) -> Option<NumberedName> {
        let runs: Vec<(usize, usize)> = numeral_runs(text)
            .into_iter()
            .filter(|&(s, e)| {
                let run = &text[s..e];
                if is_digit_run(run) {
                    run.parse::<f64>().is_ok_and(|v| v < 1000.0)
                } else {
                    run.chars().count() >= 2
                }
            })
            .collect();
        let [(start, end)] = runs.as_slice() else {
            return None;
        };
        let (before, after) = (&text[..*start], &text[*end..]);
        (!before.trim().is_empty() || !after.trim().is_empty()).then(|| NumberedName {
            anchor,
            before: before.to_string(),
            number: text[*start..*end].to_string(),
            after: after.to_string(),
        })
    }

    /// Whether the text, whose numeral runs are `runs`, holds this name's
    /// words around another number, and not the name itself.
    fn sibling_in(&self, text: &str, runs: &[(usize, usize)]) -> bool {
        // The numbers written where this name's number stands.
        let in_place: Vec<&str> = runs
            .iter()
            .filter(|&&(s, e)| {
                text[..s].ends_with(&self.before) && text[e..].starts_with(&self.after)
            })
            .map(|&(s, e)| &text[s..e])
            .filter(|run| is_digit_run(run) == is_digit_run(&self.number))
            .collect();
        let itself = |run: &&str| same_number(run, &self.number);
        !in_place.iter().any(itself) && in_place.iter().any(|run| !itself(run))
    }
}

struct Description {
    anchor: Anchor,
    features: Vec<String>,
    /// The informative weight of all its features, fixed once the index is built.
    weight: f32,
    /// Each rare concept it names, with the features of the words that
    /// name it there: a question naming the concept in other words (課程
    /// for 培訓, "course" for "training") holds those too.
    synonyms: Vec<(String, Vec<String>)>,
}

impl Description {
    /// Its features the question holds.
    fn present<'d>(&'d self, features: &'d HashSet<&str>) -> impl Iterator<Item = &'d String> {
        self.features
            .iter()
            .filter(|f| features.contains(f.as_str()))
    }

    /// The weight of its features the question holds; none where the
    /// question holds fewer than two (a shared character is no
    /// description). Nothing is copied: most descriptions looked at are
    /// not found.
    fn held(&self, features: &HashSet<&str>, idf: &dyn Fn(&str) -> f32) -> Option<f32> {
        self.present(features).nth(1)?;
        Some(self.present(features).map(|f| idf(f)).sum())
    }

    /// The description found, holding `share` of its weight (a sum stated
    /// may take it past the whole) through the question's `features`.
    fn hit(&self, share: f32, features: Vec<String>, in_other_words: bool) -> SubjectHit {
        SubjectHit {
            anchor: self.anchor,
            how: How::Description,
            strength: 0.5 + 0.4 * share.min(1.0),
            features,
            phrase: false,
            mended: None,
            in_other_words,
        }
    }
}

pub struct Subjects {
    names: Vec<Name>,
    /// Names by their rarest feature: only names sharing it with a question are checked.
    names_by_feature: HashMap<String, Vec<usize>>,
    /// Chinese names by the sound of their first character.
    names_by_sound: HashMap<Sound, Vec<usize>>,
    /// The Han characters that some name writes.
    name_chars: HashSet<char>,
    descriptions: Vec<Description>,
    descriptions_by_feature: HashMap<String, Vec<usize>>,
    numbered: Vec<NumberedName>,
    /// The places and fields each subject's names hold ("Hong Kong-Shenzhen",
    /// "AI"), by concept id: named with the subject, they are not a
    /// narrowing.
    places: HashMap<Anchor, Vec<String>>,
    /// The features each topic's names and descriptions hold, for telling
    /// the asker's words for a topic (`speaks_of`).
    topic_features: HashMap<usize, HashSet<String>>,
}

/// A one-feature name must be at least this rare to name anything.
const MIN_SINGLE_NAME_IDF: f32 = 2.5;
/// Least share of a long name's features that must be present for a
/// near match (one wrong character in a name of five or more).
const NEAR_NAME_SHARE: f32 = 0.75;
/// Names this long may be found near (most of their weight present).
const NEAR_NAME_CHARS: usize = 5;
/// Room for rounding when a near name is indexed by its heaviest features.
const INDEX_MARGIN: f32 = 0.01;
/// Least share of a description's weight that must be present.
const DESCRIPTION_SHARE: f32 = 0.6;
/// A description's concepts named in other words count only where the
/// question holds this much of it word for word.
const SYNONYMS_FROM_SHARE: f32 = 0.45;
/// Only a concept few facts hold (records, training, an internship), not a
/// broad one (government, funding, innovation and technology), names a
/// thing in other words.
const SYNONYM_IDF: f32 = 2.5;
/// A sum the question states that the described subject's facts give
/// ("the HK$10 billion scheme for university start-ups") counts as this
/// share of the description's weight: a description said in part and
/// dated by its sum is as sure as one said whole.
const STATED_SUM_SHARE: f32 = 0.2;

/// A phrase's heaviest features, enough that a question holding `share` of
/// its `weight` holds one of them: the features to index it under.
fn heaviest<'a>(
    features: &'a [String],
    weight: f32,
    share: f32,
    idf: &dyn Fn(&str) -> f32,
) -> Vec<&'a String> {
    let mut heaviest: Vec<&String> = features.iter().collect();
    heaviest.sort_by(|a, b| idf(b).total_cmp(&idf(a)));
    let missable = if share < 1.0 {
        (1.0 - share + INDEX_MARGIN) * weight
    } else {
        0.0
    };
    let mut held = 0.0;
    let mut taken = 0;
    for f in &heaviest {
        taken += 1;
        held += idf(f);
        if held > missable {
            break;
        }
    }
    heaviest.truncate(taken);
    heaviest
}

impl Subjects {
    /// `named` lists every (name or description text, anchor, is a description).
    /// `common` says which words are too common to be a name on their own
    /// (the lexicon's words: "most", "loop" in "how long").
    pub fn new(
        named: Vec<(String, Anchor, bool)>,
        vocabulary: &Vocabulary,
        normalizer: &Normalizer,
        idf: &dyn Fn(&str) -> f32,
        common: &dyn Fn(&str) -> bool,
    ) -> Subjects {
        let mut names = Vec::new();
        let mut descriptions = Vec::new();
        let mut numbered = Vec::new();
        let mut places: HashMap<Anchor, Vec<String>> = HashMap::default();
        for (text, anchor, is_description) in named {
            let n = normalizer.normalize(&text);
            if is_description {
                let features = vocabulary.features(&n);
                if features.len() >= 2 {
                    let weight = features.iter().map(|f| idf(f)).sum();
                    let synonyms = vocabulary
                        .concept_hits(&n)
                        .iter()
                        .map(|(c, span)| (feature(CONCEPT, c), span))
                        .filter(|(concept, _)| idf(concept) >= SYNONYM_IDF)
                        .map(|(concept, span)| (concept, span_features(&n, span)))
                        .collect();
                    descriptions.push(Description {
                        anchor,
                        features,
                        weight,
                        synonyms,
                    });
                }
            } else {
                numbered.extend(NumberedName::of(anchor, &n.text));
                let held = vocabulary.concepts(&n).into_iter();
                places.entry(anchor).or_default().extend(
                    held.filter(|c| vocabulary.narrows(c) || vocabulary.is_field(c))
                        .map(str::to_string),
                );
                let features = vocabulary.literal(&n);
                // A name that comes down to one common word ("fund of funds",
                // "MOST") would name everything that mentions it: one word
                // names a subject only as an acronym or a rare word.
                let acronym = text.trim().len() >= 2
                    && text.trim().chars().all(|c| {
                        c.is_ascii_uppercase() || c.is_ascii_digit() || "&+.-@".contains(c)
                    });
                let distinctive = features.len() > 1
                    || features.first().is_some_and(|f| {
                        let word = f.strip_prefix("w:");
                        word.is_none_or(|w| !common(w))
                            && (acronym || word.is_none() || idf(f) >= MIN_SINGLE_NAME_IDF)
                    });
                // Written out in several words, stop words and all, it is
                // distinctive as a phrase: "Inno HK" is not "inno" alone.
                let phrase = !distinctive && features.len() == 1 && n.words.len() > 1;
                if distinctive || phrase {
                    let chars: Vec<char> = n.text.chars().filter(|c| is_han(*c)).collect();
                    let words = n
                        .words
                        .iter()
                        .filter(|w| phrase || !vocabulary.is_stop(w))
                        .cloned()
                        .collect();
                    let sounds = chars.iter().map(|c| sound(*c)).collect();
                    let weight = features.iter().map(|f| idf(f)).sum();
                    names.push(Name {
                        anchor,
                        features,
                        words,
                        phrase,
                        chars,
                        sounds,
                        weight,
                    });
                }
            }
        }
        let mut names_by_feature: HashMap<String, Vec<usize>> = HashMap::default();
        let mut names_by_sound: HashMap<Sound, Vec<usize>> = HashMap::default();
        for (i, name) in names.iter().enumerate() {
            // A name is found whole only where its rarest feature is; a near
            // name holds three quarters of its weight, so the question holds
            // one of its heaviest features that together weigh more than
            // the rest may miss. It is indexed under those alone.
            let share = if name.chars.len() >= NEAR_NAME_CHARS {
                NEAR_NAME_SHARE
            } else {
                1.0
            };
            for f in heaviest(&name.features, name.weight, share, idf) {
                names_by_feature.entry(f.clone()).or_default().push(i);
            }
            if let Some(first) = name.chars.first().and_then(|c| sound(*c)) {
                names_by_sound.entry(first).or_default().push(i);
            }
        }
        let name_chars = names.iter().flat_map(|n| n.chars.iter().copied()).collect();
        for list in names_by_feature.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        // A description is found where the question holds most of its
        // weight: it is indexed under its heaviest features, enough that
        // such a question holds one of them.
        let mut descriptions_by_feature: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, d) in descriptions.iter().enumerate() {
            for f in heaviest(&d.features, d.weight, DESCRIPTION_SHARE, idf) {
                descriptions_by_feature
                    .entry(f.clone())
                    .or_default()
                    .push(i);
            }
        }
        places.retain(|_, held| !held.is_empty());
        let mut topic_features: HashMap<usize, HashSet<String>> = HashMap::default();
        let held = names
            .iter()
            .map(|n| (n.anchor, &n.features))
            .chain(descriptions.iter().map(|d| (d.anchor, &d.features)));
        for (anchor, features) in held {
            if let Anchor::Topic(t) = anchor {
                topic_features
                    .entry(t)
                    .or_default()
                    .extend(features.iter().cloned());
            }
        }
        Subjects {
            names,
            names_by_feature,
            names_by_sound,
            name_chars,
            descriptions,
            descriptions_by_feature,
            numbered,
            places,
            topic_features,
        }
    }

    /// The subjects whose numbered names the question holds with another
    /// number: "the 15th Five-Year Plan" is not the 14th.
    pub fn numbered_siblings(&self, n: &Normalized) -> Vec<Anchor> {
        let runs = numeral_runs(&n.text);
        if runs.is_empty() {
            return Vec::new();
        }
        self.numbered
            .iter()
            .filter(|name| name.sibling_in(&n.text, &runs))
            .map(|name| name.anchor)
            .collect()
    }

    /// The English words of each name, in order.
    pub fn name_words(&self) -> impl Iterator<Item = &[String]> {
        self.names.iter().map(|n| n.words.as_slice())
    }

    /// The places and fields (concept ids) that some name of the subject holds.
    pub fn places(&self, anchor: Anchor) -> &[String] {
        self.places.get(&anchor).map_or(&[], Vec::as_slice)
    }

    /// Whether a name or description of `topic` holds `feature`: the
    /// asker's words for it ("哪个政策局" of the ITIB).
    pub fn speaks_of(&self, topic: usize, feature: &str) -> bool {
        self.topic_features
            .get(&topic)
            .is_some_and(|held| held.contains(feature))
    }

    /// Each topic's distinctive names, by their features (a name read only
    /// as a phrase of common words is left out).
    pub fn topic_names(&self) -> impl Iterator<Item = (usize, &[String])> {
        self.names
            .iter()
            .filter(|n| !n.phrase)
            .filter_map(|n| match n.anchor {
                Anchor::Topic(t) => Some((t, n.features.as_slice())),
                Anchor::Fact(_) => None,
            })
    }

    /// Whether a name of `topic` holds every word of a name found: "the
    /// blueprint" within the Smart City Blueprint's name.
    pub fn within(&self, hit: &SubjectHit, topic: usize) -> bool {
        hit.how != How::Description
            && self.names.iter().any(|n| {
                n.anchor == Anchor::Topic(topic)
                    && hit.features.iter().all(|f| n.features.contains(f))
            })
    }

    /// Every subject the question names or describes, strongest first per anchor.
    /// `typed` is the question's Chinese as typed, before homophone slips
    /// were mended: a character mended into a known pair may have been a
    /// slip of the pen instead (科枝 read as 科资).
    pub fn find(
        &self,
        n: &Normalized,
        typed: &[String],
        features: &HashSet<&str>,
        idf: &dyn Fn(&str) -> f32,
    ) -> Vec<SubjectHit> {
        // Each name found with the places of its words, if read whole.
        let mut named: Vec<(SubjectHit, Option<Reading>)> = Vec::new();
        let mut checked = HashSet::default();
        // In a fixed order, so that equal hits come out the same every time.
        let mut ordered: Vec<&str> = features.iter().copied().collect();
        ordered.sort_unstable();
        for f in ordered {
            for &i in self.names_by_feature.get(f).into_iter().flatten() {
                if !checked.insert(i) {
                    continue;
                }
                let name = &self.names[i];
                let present = || {
                    name.features
                        .iter()
                        .filter(|f| features.contains(f.as_str()))
                };
                let whole = name.features.iter().all(|f| features.contains(f.as_str()));
                let found = if name.phrase {
                    side_by_side(&name.words, &n.words)
                } else {
                    in_order(&name.words, &n.words)
                };
                let (how, strength) = if whole && found.is_some() {
                    (How::Name, 1.0)
                } else if name.chars.len() >= NEAR_NAME_CHARS
                    && present().map(|f| idf(f)).sum::<f32>() / name.weight.max(f32::EPSILON)
                        >= NEAR_NAME_SHARE
                {
                    (How::NearName, 0.85)
                } else {
                    continue;
                };
                let hit = SubjectHit {
                    anchor: name.anchor,
                    how,
                    strength,
                    features: present().cloned().collect(),
                    phrase: name.phrase,
                    mended: None,
                    in_other_words: false,
                };
                named.push((hit, found.filter(|_| how == How::Name)));
            }
        }
        // A name read across a gap that ends inside the start of a longer
        // one read side by side takes that word out of its own name:
        // "opened earlier, the Data Technology Hub" names no open data.
        super::drop_marked(&mut named, |all, (hit, at)| {
            at.is_some_and(|at| {
                all.iter().any(|(other, other_at)| {
                    other.anchor != hit.anchor && other_at.is_some_and(|o| at.reaches_into(o))
                })
            })
        });
        let mut hits: Vec<SubjectHit> = named.into_iter().map(|(hit, _)| hit).collect();
        hits.extend(self.slipped_names(&n.han_runs, &n.han_runs));
        if typed != n.han_runs.as_slice() {
            hits.extend(self.slipped_names(typed, &n.han_runs));
        }
        // Named, the subject is the one named, not one its words resemble
        // in other words.
        let words_may_differ = hits.is_empty();
        hits.extend(self.described(features, idf, words_may_differ));
        hits
    }

    /// Chinese names typed with same-sounding characters, or long ones
    /// with one character slipped.
    /// The names are looked for in `typed`; a name found holds the
    /// question's features at the same places of `read`, the runs as the
    /// question's features were drawn from (the same characters, or some
    /// mended one for one).
    fn slipped_names(&self, typed: &[String], read: &[String]) -> Vec<SubjectHit> {
        let mut hits = Vec::new();
        for (run, read) in typed.iter().zip(read) {
            let chars: Vec<char> = run.chars().collect();
            let mended: Vec<char> = if read == run {
                Vec::new()
            } else {
                read.chars().collect()
            };
            let read = if mended.len() == chars.len() {
                &mended
            } else {
                &chars
            };
            let sounds: Vec<Option<Sound>> = chars.iter().map(|c| sound(*c)).collect();
            for start in 0..chars.len() {
                let Some(first) = &sounds[start] else {
                    continue;
                };
                for &i in self.names_by_sound.get(first).into_iter().flatten() {
                    let name = &self.names[i];
                    let len = name.chars.len();
                    if len < 3 || start + len > chars.len() {
                        continue;
                    }
                    let window = &chars[start..start + len];
                    let same_sound = name
                        .sounds
                        .iter()
                        .zip(&sounds[start..start + len])
                        .all(|(own, s)| s.is_some() && own == s);
                    let exact = name
                        .chars
                        .iter()
                        .zip(window)
                        .filter(|(a, b)| a == b)
                        .count();
                    // Most characters right, the rest sounding right: a slip
                    // of the input method. Or a long name with one character
                    // that no name writes in its place (科枝 for 科技): a
                    // slip of the pen. One a name writes may be another
                    // name (创新科技署, 创新科技局).
                    let sounds_right = same_sound && exact < len && exact * 2 >= len;
                    let one_slip = len >= NEAR_NAME_CHARS
                        && exact + 1 == len
                        && window
                            .iter()
                            .zip(&name.chars)
                            .all(|(c, own)| c == own || !self.name_chars.contains(c));
                    if sounds_right || one_slip {
                        let window = &read[start..start + len];
                        let features = han_features(window).collect();
                        let (how, strength) = if sounds_right {
                            (How::Homophone, 0.9)
                        } else {
                            (How::NearName, 0.85)
                        };
                        hits.push(SubjectHit {
                            anchor: name.anchor,
                            how,
                            strength,
                            features,
                            phrase: false,
                            mended: Some(name.features.clone()),
                            in_other_words: false,
                        });
                    }
                }
            }
        }
        hits
    }

    /// Descriptions of subjects whose sum the question states (`gives_sum`),
    /// found with that sum counted as part of what it says: the question
    /// may say less of the description word for word.
    pub fn described_with_sum(
        &self,
        features: &HashSet<&str>,
        idf: &dyn Fn(&str) -> f32,
        gives_sum: &dyn Fn(Anchor) -> bool,
    ) -> Vec<SubjectHit> {
        self.descriptions
            .iter()
            .filter(|d| gives_sum(d.anchor))
            .filter_map(|d| {
                let literal = d.held(features, idf)?;
                let share = literal / d.weight.max(f32::EPSILON) + STATED_SUM_SHARE;
                (share >= DESCRIPTION_SHARE)
                    .then(|| d.hit(share, d.present(features).cloned().collect(), false))
            })
            .collect()
    }

    /// Descriptions whose content words the question mostly holds.
    fn described(
        &self,
        features: &HashSet<&str>,
        idf: &dyn Fn(&str) -> f32,
        words_may_differ: bool,
    ) -> Vec<SubjectHit> {
        let mut listed: Vec<usize> = features
            .iter()
            .filter_map(|f| self.descriptions_by_feature.get(*f))
            .flatten()
            .copied()
            .collect();
        listed.sort_unstable();
        listed.dedup();
        listed
            .into_iter()
            .filter_map(|i| {
                let d = &self.descriptions[i];
                let literal = d.held(features, idf)?;
                let mut found = literal;
                if words_may_differ && literal >= SYNONYMS_FROM_SHARE * d.weight {
                    let named: HashSet<&str> = d
                        .synonyms
                        .iter()
                        .filter(|(concept, _)| features.contains(concept.as_str()))
                        .flat_map(|(_, words)| words.iter().map(String::as_str))
                        .collect();
                    found += d
                        .features
                        .iter()
                        .filter(|f| !features.contains(f.as_str()) && named.contains(f.as_str()))
                        .map(|f| idf(f))
                        .sum::<f32>();
                }
                let share = found / d.weight.max(f32::EPSILON);
                (share >= DESCRIPTION_SHARE).then(|| {
                    let in_other_words = literal < DESCRIPTION_SHARE * d.weight;
                    d.hit(
                        share,
                        d.present(features).cloned().collect(),
                        in_other_words,
                    )
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_in_order_with_small_gaps() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let at = |name: &str, words: &str| in_order(&w(name), &w(words));
        let read = |first, last, gapped| {
            Some(Reading {
                first,
                last,
                gapped,
            })
        };
        assert_eq!(
            at("science park", "how big is science park"),
            read(3, 4, false)
        );
        assert_eq!(at("science park", "science hk park"), read(0, 2, true));
        assert_eq!(at("science park", "park science"), None);
        assert_eq!(at("science park", "science a b c park"), None);
        // "opened earlier the data technology hub": open … data reaches
        // into the hub's name; a name inside another does not.
        let open_data = at("open data", "open earlier the data technology hub").unwrap();
        let hub = at(
            "data technology hub",
            "open earlier the data technology hub",
        )
        .unwrap();
        assert!(open_data.reaches_into(hub));
        assert!(!hub.reaches_into(open_data));
        let whole = Reading {
            first: 0,
            last: 4,
            gapped: false,
        };
        assert!(!open_data.reaches_into(whole));
    }

    #[test]
    fn a_phrase_name_is_read_whole() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let at = |name: &str, words: &str| side_by_side(&w(name), &w(words));
        let read = Reading {
            first: 2,
            last: 3,
            gapped: false,
        };
        assert_eq!(at("inno hk", "researchers in inno hk"), Some(read));
        assert_eq!(at("inno hk", "inno carnival in hk"), None);
        assert_eq!(at("inno hk", "hk inno"), None);
        assert_eq!(side_by_side(&[], &w("inno hk")), None);
    }

    #[test]
    fn another_number_names_another_of_the_series() {
        let name = |t: &str| NumberedName::of(Anchor::Topic(0), t);
        let sibling = |name: &NumberedName, text: &str| name.sibling_in(text, &numeral_runs(text));
        let plan = name("14th five-year plan").unwrap();
        assert!(sibling(&plan, "what does the 15th five-year plan say"));
        assert!(!sibling(&plan, "what does the 14th five-year plan say"));
        assert!(!sibling(&plan, "the 15th and the 14th five-year plan"));
        let plan = name("十四五规划").unwrap();
        assert!(sibling(&plan, "十五五规划对香港有什么定位"));
        assert!(!sibling(&plan, "十四五规划对香港有什么定位"));
        assert!(!sibling(&plan, "五年规划"));
        let blueprint = name("smart city blueprint 2.0").unwrap();
        assert!(sibling(
            &blueprint,
            "when will smart city blueprint 3.0 come out"
        ));
        assert!(!sibling(&blueprint, "smart city blueprint 2 measures"));
        assert!(sibling(&name("5g").unwrap(), "how many 6g base stations"));
        assert!(name("一站通").is_none(), "a lone numeral is a word");
        assert!(name("2024年施政报告").is_none(), "a year is a period");
        assert!(name("十四五").is_none(), "no words around the number");
    }
}
