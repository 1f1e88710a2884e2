//! Matches a question against the knowledge. The question is normalised
//! (script, width, colloquial forms), its English typos mended, and read
//! three ways: as features (word stems, Chinese characters and bigrams,
//! concepts) scored against each fact's bag of features by how much of the
//! question's informative weight the fact explains; as subjects (names,
//! near names, homophones, descriptions: `subjects`); and as a frame (what
//! it asks, for which event, year, batch: `crate::frame`) fitted against
//! what each fact can answer (`scoring`).
//!
//! The matcher never does I/O and never sees Telegram; it is built once per
//! knowledge base and then answers in microseconds.

pub mod aside;
pub mod fact_set;
pub mod features;
pub mod phrases;
pub mod scoring;
pub mod sound;
pub mod subjects;
pub mod typos;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::frame::{Cue, Frame, FrameReader, STATED_FIGURE_MIN};
use crate::knowledge::{Attribute, FigureValue, Knowledge, Milestone, Qualifier, Topic};
use crate::normalize::{Normalized, Normalizer};
use crate::numbers;
use aho_corasick::AhoCorasick;
use aside::SetAside;
use fact_set::FactSet;
use features::{feature, han_features, ConceptHits, Vocabulary, BIGRAM, CHAR, CONCEPT, WORD};
use phrases::{PhraseIndex, Span};
use scoring::{FactFrame, FigureFrame, Fit, Places, SubjectDate};
use subjects::Subjects;
pub use subjects::{Anchor, How, SubjectHit};
use typos::Speller;

/// Feature weights by where a fact's phrase comes from.
const W_NAME: f32 = 1.0;
const W_TOPIC: f32 = 0.85;
const W_EXAMPLE: f32 = 0.7;
const W_DESCRIPTION: f32 = 0.6;
const W_TEXT: f32 = 0.45;

/// How much a cue word (how many, when, per project…) counts among the
/// question's content: it says what is asked, which the frame reads.
const CUE_WEIGHT: f32 = 0.3;
/// How much a word the knowledge never uses counts towards the residue.
const UNKNOWN_WEIGHT: f32 = 0.6;
/// ... and in what the question asks, this share of a rare word's weight.
const UNSEEN_WEIGHT: f32 = 0.5;

/// How much a concept the fact does not speak of counts towards its residue,
/// against the rarest word.
const CONCEPT_RESIDUE: f32 = 1.5;

/// How much a subject counts for a fact that only mentions it (a fact of
/// e-government that speaks of iAM Smart).
const MENTION: f32 = 0.7;

/// How much a fact about a named part of a topic counts when only the topic is named.
const SUB_THING: f32 = 0.8;

/// Of no subject named, a fact must hold this much of the question
/// besides the things such a factsheet does not give (staff, population)
/// to speak of them.
const OUTSIDE_ALONE: f32 = 0.1;
/// Words known elsewhere, as a share of the question, that name a part a
/// breakdown into shares does not give.
const OTHER_PART: f32 = 0.15;

/// How many candidates a ranking keeps, best first.
const MAX_CANDIDATES: usize = 32;
/// How near the top a fact of something yearly must be able to score, as
/// a share of the best a fact can, for "every year" to pick it out.
const YEARLY_NEAR: f32 = 0.3;
/// How surely a subject must be found for a body named beside it to be
/// read as its owner.
const PART_NAMED: f32 = 0.75;
/// What naming the fact itself (not its topic) multiplies its score by.
const OWN_NAME: f32 = 1.2;
/// A figure the question states describes the fact that gives it this
/// strongly, when no more than `STATED_FIGURE_FACTS` facts give it.
const STATED_FIGURE: f32 = 0.8;
const STATED_FIGURE_FACTS: usize = 2;
/// A name whose words weigh this share of the question's own words is
/// all the question says (beside how it asks).
const ALL_IT_SAYS: f32 = 0.95;

/// A scored fact, with what went into its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub fact: usize,
    /// The ranking score; above 1 when every signal agrees.
    pub score: f32,
    /// Share of the question's weight the fact explains.
    pub coverage: f32,
    /// How surely the question names the fact's subject (its topic or
    /// itself): 1 for a name, less for a homophone or description, 0 if not.
    pub subject: f32,
    /// How directly the subject found is the fact's.
    pub directness: Directness,
    /// The question names the fact's subject (by a name or a homophone of
    /// it), not only describes it.
    pub named: bool,
    /// The question asks which thing of the fact's subject's kind (a
    /// scheme, an office) does what it says.
    pub kind_asked: bool,
    /// The fact is about a part of its topic with a name of its own
    /// (Building 18W), and the question names the topic, not the part.
    pub part: bool,
    pub fit: Fit,
    /// Share of the question's content the fact does not account for.
    pub residue: f32,
    /// The part of the residue that the knowledge knows elsewhere: words
    /// and concepts that point to something this fact does not say.
    pub stray: f32,
    /// Some of that is a kind of thing (a concept: the elderly, fintech)
    /// the fact does not speak of.
    pub unspoken: bool,
}

/// How directly a question's subject is a fact's, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Directness {
    /// No subject of the question is the fact's.
    None,
    /// The fact speaks of a subject the question names.
    Mention,
    /// The question names the fact's topic.
    Topic,
    /// The question names the fact itself.
    Own,
}

/// What the matcher makes of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Best first.
    pub candidates: Vec<Candidate>,
    /// The topic the question names and asks nothing more about, or only
    /// what it is or does.
    pub overview: Option<usize>,
    /// The topic the question names, asking what it is or does in words of
    /// its summary ("what does TechTAS fast-track?"): its overview answers
    /// when no one fact does.
    pub summarised: Option<usize>,
    /// The topic the question names, asking what it has under it: its
    /// overview lists the topics within it.
    pub parts_of: Option<usize>,
    /// The topic the question describes, not names, asking which one it
    /// is ("which scheme pays for STEM internships?"), with the strength
    /// of the description.
    pub which_described: Option<(usize, f32)>,
    /// A conversational intent, when that is all the question is.
    pub intent: Option<String>,
    pub frame: Frame,
    /// Subjects found, the strongest hit per anchor.
    pub subjects: Vec<SubjectHit>,
    /// True when the question has nothing the knowledge could know.
    pub empty: bool,
    /// True when the question says only how it asks ("谁可以申请?",
    /// "when?"), nothing of what it is about.
    pub only_cues: bool,
    /// The question names a place other than Hong Kong.
    pub elsewhere: bool,
}

impl Ranking {
    /// The topics the question names or describes, strongest first.
    pub fn topics(&self, k: &Knowledge) -> Vec<(usize, f32)> {
        topics_of(k, self.subjects.iter())
    }

    /// The facts the question names by a name of their own.
    pub fn named_facts(&self) -> Vec<usize> {
        self.subjects
            .iter()
            .filter(|h| h.how != How::Description)
            .filter_map(|h| match h.anchor {
                Anchor::Fact(f) => Some(f),
                Anchor::Topic(_) => None,
            })
            .collect()
    }

    /// The topics the question names (by a name, not a description).
    pub fn named_topics(&self, k: &Knowledge) -> Vec<(usize, f32)> {
        topics_of(
            k,
            self.subjects.iter().filter(|h| h.how != How::Description),
        )
    }
}

/// Drops the items `marked` picks, each judged against all of them as
/// they were: dropping one does not change the verdict on another.
pub(crate) fn drop_marked<T>(items: &mut Vec<T>, marked: impl Fn(&[T], &T) -> bool) {
    let marks: Vec<bool> = items.iter().map(|i| marked(items, i)).collect();
    let mut marks = marks.into_iter();
    items.retain(|_| !marks.next().unwrap_or(false));
}

/// The topics of subject hits, each at its strongest, strongest first.
fn topics_of<'a>(k: &Knowledge, hits: impl Iterator<Item = &'a SubjectHit>) -> Vec<(usize, f32)> {
    let mut topics: Vec<(usize, f32)> = Vec::new();
    for hit in hits {
        let topic = match hit.anchor {
            Anchor::Topic(t) => t,
            Anchor::Fact(f) => match k.topics.iter().position(|t| t.id == k.facts[f].topic) {
                Some(t) => t,
                None => continue,
            },
        };
        match topics.iter_mut().find(|(t, _)| *t == topic) {
            Some((_, s)) => *s = s.max(hit.strength),
            None => topics.push((topic, hit.strength)),
        }
    }
    topics.sort_by(|a, b| b.1.total_cmp(&a.1));
    topics
}

pub struct Matcher {
    normalizer: Normalizer,
    vocabulary: Vocabulary,
    reader: FrameReader,
    speller: Speller,
    subjects: Subjects,
    postings: HashMap<String, Vec<(usize, f32)>>,
    idf: HashMap<String, f32>,
    unknown_idf: f32,
    frames: Vec<FactFrame>,
    fact_topic: Vec<usize>,
    topic_facts: Vec<Vec<usize>>,
    /// The facts of other topics whose text names a topic, by any of its
    /// names, in fact order: "創科署" asked, the fact that says "the ITC
    /// holds InnoCarnival" speaks of it.
    named_in: Vec<Vec<usize>>,
    intents: Vec<IntentPhrase>,
    /// The intents' phrases, found in a question in one pass: most
    /// questions hold none.
    intent_texts: Option<AhoCorasick>,
    /// The features of the lexicon's request words, which may surround
    /// an intent's phrase.
    requests: HashSet<String>,
    /// The lexicon's words that ask what came after.
    later: PhraseIndex<()>,
    set_aside: SetAside,
    /// The lexicon's words that ask which one, right before a kind.
    kind_askers: PhraseIndex<()>,
    /// Words of the lexicon's phrases: known words, never "corrected".
    lexicon_words: HashSet<String>,
    /// The facts that count each concept (its keys: the concepts some
    /// fact counts).
    counted: HashMap<String, FactSet>,
    /// The facts that name each field.
    fielded: HashMap<String, FactSet>,
    /// The batches and editions each topic's facts speak of.
    topic_ordinals: Vec<Vec<u8>>,
    /// Facts about a thing with a name of its own (they have aliases).
    own_names: Vec<bool>,
    /// Those whose title is that name: the fact is the thing's own, not
    /// one that mentions another (the ICT Awards' fact names APICTA).
    titled_by_name: Vec<bool>,
    /// The kinds of thing each topic is, by the concepts its names end
    /// with (a scheme, an office).
    topic_kinds: Vec<Vec<String>>,
    /// The topics each topic is within (the bodies that run it).
    topic_owners: Vec<Vec<usize>>,
    /// The features of each topic's summary, in all its scripts.
    topic_summaries: Vec<HashSet<String>>,
}

/// An intent's phrase, normalised once.
struct IntentPhrase {
    text: String,
    literal: Vec<String>,
    intent: String,
}

/// One word of a question's content, with what scoring each candidate
/// asks of it.
struct ContentWord<'a> {
    feature: &'a str,
    /// The facts that hold it, or count or name as a field a concept it
    /// includes.
    held_by: FactSet,
    /// Its share of the residue when unexplained.
    weight: f32,
    /// A concept: unexplained, it is a thing the fact does not speak of.
    concept: bool,
    /// Known to the knowledge elsewhere: unexplained, it is stray.
    known: bool,
    /// The subjects whose names found in the question hold it.
    named_by: Vec<Anchor>,
    /// The same, of bodies named only as a subject's owner.
    owner_named_by: Vec<Anchor>,
}

/// How a question names one fact's subject.
struct Standing<'h> {
    /// The subject's own name or its topic's, found in the question.
    subject_hits: Vec<&'h SubjectHit>,
    /// Subjects named whose every word the fact holds.
    mentions: Vec<&'h SubjectHit>,
    /// The fact's topic runs a subject named.
    runs_it: bool,
    /// The strongest of these.
    subject: f32,
    directness: Directness,
}

/// A fact to fit, with the share of the question it explains and the most
/// it could score.
struct Unfitted<'h> {
    fact: usize,
    coverage: f32,
    standing: Standing<'h>,
    most: f32,
}

/// Whether a posting list (in fact order) holds a fact.
fn holds(list: &[(usize, f32)], fact: usize) -> bool {
    held(list, fact).is_some()
}

/// The weight with which a posting list (in fact order) holds a fact.
fn held(list: &[(usize, f32)], fact: usize) -> Option<f32> {
    let at = list.binary_search_by_key(&fact, |&(f, _)| f).ok()?;
    Some(list[at].1)
}

/// The one year a topic's milestones all fall in, if they do.
fn dated_by<'a>(mut milestones: impl Iterator<Item = &'a Milestone>) -> Option<i32> {
    let year = milestones.next()?.date.year;
    milestones.all(|m| m.date.year == year).then_some(year)
}

fn topic_names(t: &Topic) -> Vec<String> {
    let mut names = vec![
        t.name.en.clone(),
        t.name.zh_hans.clone(),
        t.name.zh_hant.clone(),
    ];
    names.extend(t.aliases.iter().cloned());
    names
}

impl Matcher {
    pub fn new(k: &Knowledge) -> Matcher {
        let normalizer = Normalizer::new(&k.lexicon).remembering();
        let vocabulary = Vocabulary::new(&k.lexicon, &normalizer);
        let reader = FrameReader::new(&k.lexicon, &normalizer, &|w| vocabulary.is_stop(w));
        let topic_index: HashMap<&str, usize> = k
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let fact_topic: Vec<usize> = k
            .facts
            .iter()
            .map(|f| {
                topic_index
                    .get(f.topic.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let mut topic_facts = vec![Vec::new(); k.topics.len()];
        for (fi, &t) in fact_topic.iter().enumerate() {
            if let Some(list) = topic_facts.get_mut(t) {
                list.push(fi);
            }
        }
        let phrase_features = |text: &str| vocabulary.features(&normalizer.normalize(text));
        let topic_bags: Vec<HashMap<String, f32>> = k
            .topics
            .iter()
            .map(|t| {
                let mut bag = HashMap::default();
                for p in topic_names(t) {
                    add(&mut bag, phrase_features(&p), W_TOPIC);
                }
                for d in &t.descriptions {
                    add(&mut bag, phrase_features(d), W_DESCRIPTION);
                }
                bag
            })
            .collect();
        // The places and the fields each fact's text names, read as its
        // text is indexed.
        let mut fact_places: Vec<Vec<String>> = Vec::with_capacity(k.facts.len());
        let mut fact_fields: Vec<Vec<String>> = Vec::with_capacity(k.facts.len());
        let mut text_features: Vec<HashSet<String>> = Vec::with_capacity(k.facts.len());
        let bags: Vec<HashMap<String, f32>> = k
            .facts
            .iter()
            .enumerate()
            .map(|(fi, fact)| {
                let mut bag = topic_bags.get(fact_topic[fi]).cloned().unwrap_or_default();
                for phrase in fact
                    .aliases
                    .iter()
                    .chain(&fact.keywords)
                    .chain([&fact.title.en, &fact.title.zh_hans])
                {
                    add(&mut bag, phrase_features(phrase), W_NAME);
                }
                for d in &fact.descriptions {
                    add(&mut bag, phrase_features(d), W_DESCRIPTION);
                }
                for e in &fact.examples {
                    add(&mut bag, phrase_features(e), W_EXAMPLE);
                }
                let mut places: Vec<String> = Vec::new();
                let mut fields: Vec<String> = Vec::new();
                let mut in_text = HashSet::default();
                for t in [&fact.text.en, &fact.text.zh_hans] {
                    let features = phrase_features(t);
                    in_text.extend(features.iter().cloned());
                    for c in features.iter().filter_map(|f| f.strip_prefix(CONCEPT)) {
                        if vocabulary.narrows(c) {
                            places.push(c.to_string());
                        }
                        if vocabulary.is_field(c) {
                            fields.push(c.to_string());
                        }
                    }
                    add(&mut bag, features, W_TEXT);
                }
                places.sort();
                places.dedup();
                fact_places.push(places);
                fields.sort();
                fields.dedup();
                fact_fields.push(fields);
                text_features.push(in_text);
                bag
            })
            .collect();
        let n = k.facts.len().max(1) as f32;
        let mut df: HashMap<&str, usize> = HashMap::default();
        for bag in &bags {
            for f in bag.keys() {
                *df.entry(f.as_str()).or_default() += 1;
            }
        }
        let idf: HashMap<String, f32> = df
            .iter()
            .map(|(f, &d)| (f.to_string(), ((n + 1.0) / (d as f32 + 0.5)).ln()))
            .collect();
        let unknown_idf = ((n + 1.0) / 1.0).ln();
        let mut postings: HashMap<String, Vec<(usize, f32)>> = HashMap::default();
        for (fi, bag) in bags.iter().enumerate() {
            for (f, &w) in bag {
                postings.entry(f.clone()).or_default().push((fi, w));
            }
        }
        // The words of the lexicon's phrases, to be left as they are; and
        // all the Chinese the lexicon writes, which together with the facts'
        // (their bigram features) is what is not taken for a slip. Each
        // phrase is normalised once.
        let lexicon = &k.lexicon;
        let mut cue_words: HashSet<String> = HashSet::default();
        let mut lexicon_words: HashSet<String> = HashSet::default();
        let mut lexicon_chinese: Vec<String> = Vec::new();
        let cue_phrases = lexicon
            .attributes
            .iter()
            .flat_map(|(_, p)| p)
            .chain(lexicon.events.iter().flat_map(|(_, p)| p))
            .chain(lexicon.qualifiers.iter().flat_map(|(_, p)| p))
            .chain(lexicon.ordinals.iter().flat_map(|(_, p)| p));
        for p in cue_phrases {
            let n = normalizer.normalize(p);
            cue_words.extend(n.words);
            lexicon_chinese.extend(n.han_runs);
        }
        lexicon_words.extend(cue_words.iter().cloned());
        for p in lexicon.concepts.iter().flat_map(|c| &c.words) {
            let n = normalizer.normalize(p);
            lexicon_words.extend(n.words);
            lexicon_chinese.extend(n.han_runs);
        }
        let chinese_only = lexicon
            .series
            .iter()
            .flat_map(|(_, p)| p)
            .chain(lexicon.colloquial.iter().map(|(_, to)| to))
            .chain(&lexicon.stop_zh);
        lexicon_chinese.extend(chinese_only.flat_map(|p| normalizer.normalize(p).han_runs));
        let mut named = Vec::new();
        for (ti, t) in k.topics.iter().enumerate() {
            named.extend(
                topic_names(t)
                    .into_iter()
                    .map(|p| (p, Anchor::Topic(ti), false)),
            );
            named.extend(
                t.descriptions
                    .iter()
                    // A summary says what the thing is in other words than
                    // its name: asked back in those words, it describes it.
                    .chain([&t.summary.en, &t.summary.zh_hans])
                    .map(|d| (d.clone(), Anchor::Topic(ti), true)),
            );
        }
        for (fi, f) in k.facts.iter().enumerate() {
            named.extend(
                f.aliases
                    .iter()
                    .map(|a| (a.clone(), Anchor::Fact(fi), false)),
            );
            named.extend(
                f.descriptions
                    .iter()
                    .map(|d| (d.clone(), Anchor::Fact(fi), true)),
            );
        }
        let idf_of = |f: &str| feature_idf(&idf, unknown_idf, f);
        let common = |w: &str| cue_words.contains(w);
        let subjects = Subjects::new(named, &vocabulary, &normalizer, &idf_of, &common);
        let speller = Speller::new(
            idf.keys()
                .filter_map(|f| f.strip_prefix(WORD))
                .map(str::to_string)
                .chain(lexicon_words.iter().cloned()),
        )
        .with_chinese(
            idf.keys()
                .filter_map(|f| f.strip_prefix(BIGRAM))
                .chain(lexicon_chinese.iter().map(String::as_str)),
        )
        .with_names(subjects.name_words());
        let topic_dated: Vec<Option<i32>> = topic_facts
            .iter()
            .map(|facts| dated_by(facts.iter().filter_map(|&f| k.facts[f].milestone.as_ref())))
            .collect();
        let mut frames: Vec<FactFrame> = k
            .facts
            .iter()
            .zip(fact_places.into_iter().zip(fact_fields))
            .enumerate()
            .map(|(fi, (f, (parts, fields)))| FactFrame {
                parts,
                fields,
                topic_dated: topic_dated.get(fact_topic[fi]).copied().flatten(),
                ..FactFrame::of(f, &reader, &vocabulary, &normalizer)
            })
            .collect();
        let topic_dates: Vec<Vec<SubjectDate>> = topic_facts
            .iter()
            .map(|facts| {
                facts
                    .iter()
                    .filter_map(|&f| {
                        let m = k.facts[f].milestone.as_ref()?;
                        Some(SubjectDate {
                            event: m.event?,
                            year: m.date.year,
                            figures: frames[f].figures.iter().map(|g| g.attribute).collect(),
                        })
                    })
                    .collect()
            })
            .collect();
        for (fi, frame) in frames.iter_mut().enumerate() {
            frame.topic_dates = topic_dates.get(fact_topic[fi]).cloned().unwrap_or_default();
        }
        let mut counted: HashMap<String, FactSet> = HashMap::default();
        let mut fielded: HashMap<String, FactSet> = HashMap::default();
        for (fact, frame) in frames.iter().enumerate() {
            for (index, concepts) in [(&mut counted, &frame.counts), (&mut fielded, &frame.fields)]
            {
                for concept in concepts {
                    index.entry(concept.clone()).or_default().insert(fact);
                }
            }
        }
        let topic_ordinals = topic_facts
            .iter()
            .map(|facts| {
                let mut ordinals: Vec<u8> = facts
                    .iter()
                    .flat_map(|&f| frames[f].ordinals.iter().copied())
                    .collect();
                ordinals.sort_unstable();
                ordinals.dedup();
                ordinals
            })
            .collect();
        let intents = k
            .intents
            .iter()
            .flat_map(|i| {
                i.phrases
                    .iter()
                    .map(|p| {
                        let n = normalizer.normalize(p);
                        IntentPhrase {
                            literal: vocabulary.literal(&n),
                            text: n.text,
                            intent: i.id.clone(),
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<IntentPhrase>>();
        let intent_texts = AhoCorasick::new(intents.iter().map(|p| p.text.as_str())).ok();
        let requests = k
            .lexicon
            .requests
            .iter()
            .flat_map(|r| vocabulary.features(&normalizer.normalize(r)))
            .collect();
        let later = PhraseIndex::new(&normalizer, k.lexicon.later.iter().map(|w| (w.clone(), ())));
        let kind_askers = PhraseIndex::new(
            &normalizer,
            k.lexicon.kind_askers.iter().map(|w| (w.clone(), ())),
        );
        let topic_kinds = k
            .topics
            .iter()
            .map(|t| {
                // A Chinese summary ends on what the thing is (研究人才库:
                // "……的计划"), where its name may not say.
                let summary = t.summary.zh_hans.trim_end_matches(['。', '.']);
                let mut kinds: Vec<String> = [t.name.en.as_str(), &t.name.zh_hans, summary]
                    .into_iter()
                    .flat_map(|name| {
                        // "… Scheme (TechTAS)": the short form says no kind.
                        let name = name.split(['(', '（']).next().unwrap_or(name);
                        vocabulary
                            .heads(&normalizer.normalize(name))
                            .into_iter()
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                kinds.sort_unstable();
                kinds.dedup();
                kinds
            })
            .collect();
        let topic_summaries = k
            .topics
            .iter()
            .map(|t| {
                [&t.summary.en, &t.summary.zh_hans, &t.summary.zh_hant]
                    .into_iter()
                    .flat_map(|s| vocabulary.features(&normalizer.normalize(s)))
                    .collect()
            })
            .collect();
        let topic_owners: Vec<Vec<usize>> = k
            .topics
            .iter()
            .map(|t| {
                t.within
                    .iter()
                    .filter_map(|o| topic_index.get(o.as_str()).copied())
                    .collect()
            })
            .collect();
        // Only bodies that others are within (the ITC, the DPO) are named
        // as doers of other topics' work; a programme's common-word name in
        // another fact ("信息科技策略") is a word of that fact.
        let mut is_body = vec![false; k.topics.len()];
        for &o in topic_owners.iter().flatten() {
            is_body[o] = true;
        }
        let mut named_in = vec![Vec::new(); k.topics.len()];
        for (t, name) in subjects.topic_names().filter(|(t, _)| is_body[*t]) {
            for (fi, held) in text_features.iter().enumerate() {
                if fact_topic[fi] != t && name.iter().all(|f| held.contains(f)) {
                    named_in[t].push(fi);
                }
            }
        }
        // A topic's several names find the same facts: sorted, once each.
        for facts in &mut named_in {
            facts.sort_unstable();
            facts.dedup();
        }
        Matcher {
            requests,
            later,
            set_aside: SetAside::new(&k.lexicon.besides),
            kind_askers,
            normalizer: normalizer.forgetting(),
            vocabulary,
            reader,
            speller,
            subjects,
            postings,
            idf,
            unknown_idf,
            frames,
            fact_topic,
            topic_facts,
            named_in,
            intents,
            intent_texts,
            lexicon_words,
            counted,
            fielded,
            topic_ordinals,
            own_names: k.facts.iter().map(|f| !f.aliases.is_empty()).collect(),
            titled_by_name: k
                .facts
                .iter()
                .map(|f| {
                    let titles = [f.title.en.to_lowercase(), f.title.zh_hans.clone()];
                    f.aliases
                        .iter()
                        .any(|a| titles.iter().any(|t| t.contains(&a.to_lowercase())))
                })
                .collect(),
            topic_kinds,
            topic_owners,
            topic_summaries,
        }
    }

    /// Whether a subject found names `topic` in short: in a conversation
    /// about the Smart City Blueprint, "the blueprint" is that one.
    pub fn names_in_short(&self, hit: &SubjectHit, topic: usize) -> bool {
        self.subjects.within(hit, topic)
    }

    /// The question without what it sets aside, when what it sets aside
    /// is asked of ("on top of the initial money", "apart from money",
    /// "besides the 1999 injection", "apart from the seed money": a cue,
    /// year, ordinal or figure of the frame)
    /// and the rest says something. Things listed ("besides the HKCERT
    /// website") are often listed with the one asked for, in its fact.
    pub fn without_set_aside(&self, question: &str) -> Option<String> {
        let (rest, set_aside) = self.set_aside.remove(question)?;
        let asked_of = self
            .reader
            .read(&self.normalizer.normalize(&set_aside), &|_| false);
        let cued = !(asked_of.spans.is_empty()
            && asked_of.years.is_empty()
            && asked_of.ordinals.is_empty()
            && asked_of.quantities.is_empty());
        let says_something = !self
            .vocabulary
            .features(&self.normalizer.normalize(&rest))
            .is_empty();
        (cued && says_something).then_some(rest)
    }

    /// Whether a follow-up asks what came after the last answer.
    pub fn asks_later(&self, question: &str) -> bool {
        !self
            .later
            .find(&self.normalizer.normalize(question))
            .is_empty()
    }

    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// What a fact can answer.
    pub fn fact_frame(&self, fact: usize) -> &FactFrame {
        &self.frames[fact]
    }

    /// The facts holding a feature, in fact order, with its weight in each.
    fn posting(&self, feature: &str) -> &[(usize, f32)] {
        self.postings.get(feature).map_or(&[], Vec::as_slice)
    }

    /// The facts that explain a feature of a question: those holding it,
    /// and, for a general word ("people"), those that count or name as a
    /// field a concept it includes (users, researchers).
    fn explaining(&self, feature: &str) -> FactSet {
        let mut facts = FactSet::of_posting(self.posting(feature));
        let includes = feature
            .strip_prefix(CONCEPT)
            .map_or(&[][..], |c| self.vocabulary.included(c));
        for included in includes {
            for index in [&self.counted, &self.fielded] {
                if let Some(more) = index.get(included) {
                    facts.extend(more);
                }
            }
        }
        facts
    }

    /// The facts of a topic, by index.
    pub fn topic_facts(&self, topic: usize) -> &[usize] {
        self.topic_facts.get(topic).map_or(&[], Vec::as_slice)
    }

    fn idf_of(&self, feature: &str) -> f32 {
        feature_idf(&self.idf, self.unknown_idf, feature)
    }

    /// A conversational intent, when the question is only that: one of its
    /// phrases, with nothing around it but the lexicon's words of a request
    /// ("能用英文说吗").
    fn intent(&self, n: &Normalized) -> Option<String> {
        let features = self.vocabulary.literal(n);
        let present = match &self.intent_texts {
            Some(texts) => {
                let mut present = vec![false; self.intents.len()];
                for m in texts.find_overlapping_iter(&n.text) {
                    present[m.pattern().as_usize()] = true;
                }
                present
            }
            None => vec![true; self.intents.len()],
        };
        self.intents
            .iter()
            .zip(present)
            .filter(
                |(
                    IntentPhrase {
                        text: phrase,
                        literal,
                        ..
                    },
                    present,
                )| {
                    !phrase.is_empty()
                        && (n.text == *phrase
                            || (!features.is_empty() && features == *literal)
                            || *present
                                && n.text.match_indices(phrase.as_str()).any(|(at, _)| {
                                    let before = &n.text[..at];
                                    let after = &n.text[at + phrase.len()..];
                                    // "hi" must not greet in "his" or "history".
                                    let word = |c: char| c.is_ascii_alphanumeric();
                                    let whole_word = !(phrase.starts_with(word)
                                        && before.ends_with(word)
                                        || phrase.ends_with(word) && after.starts_with(word));
                                    whole_word && {
                                        let rest =
                                            self.normalizer.normalize(&format!("{before} {after}"));
                                        self.vocabulary
                                            .features(&rest)
                                            .iter()
                                            .all(|f| self.requests.contains(f))
                                    }
                                }))
                },
            )
            .map(|(p, _)| p)
            // The phrase typed exactly wins ("source?" is not "what is your source").
            .max_by_key(|p| (n.text == p.text, p.text.len()))
            .map(|p| p.intent.clone())
    }

    /// The features the frame's cues cover: what is asked, not about what.
    fn cue_features(&self, n: &Normalized, frame: &Frame) -> HashSet<String> {
        frame
            .spans
            .iter()
            .flat_map(|(s, _)| span_features(n, s))
            .collect()
    }

    /// Where a question word right before a kind of thing asks which one
    /// ("What scheme fast-tracks tech talent?", "咩計劃"): when nothing more
    /// particular is asked and the question describes a thing of that
    /// kind without naming one ("what tax deduction do I get for R&D"
    /// asks what the enhanced tax deduction is; "what programme" of a
    /// thing the knowledge calls a hub is no sure kind).
    fn which_kind_asked(
        &self,
        n: &Normalized,
        frame: &Frame,
        hits: &[SubjectHit],
        concepts: &ConceptHits,
    ) -> Option<Span> {
        if !frame
            .main_attribute()
            .is_none_or(|a| matches!(a, Attribute::What | Attribute::Overview))
        {
            return None;
        }
        let of_kind = |h: &SubjectHit, c: &str| {
            self.topic_kinds[self.topic_of(h.anchor)]
                .iter()
                .any(|k| k == c)
        };
        let asks_which = |c: &str| {
            hits.iter()
                .any(|h| h.how == How::Description && of_kind(h, c))
                && !hits.iter().any(|h| h.how == How::Name && of_kind(h, c))
        };
        self.kind_askers
            .find(n)
            .into_iter()
            .map(|h| h.span)
            .find(|span| concepts.right_after(span).any(|(c, _)| asks_which(c)))
    }

    /// The facts a figure the question states singles out, as described
    /// subjects, when it asks which thing, its name, who, where, when or
    /// what the figure is: "Which fund got HK$5 billion in 1999?". Only a
    /// figure of 100 or more, or smaller ones all of one fact, that one or
    /// two facts give counts. (Asked for a quantity or a description, a
    /// stated figure is often a part of the fact's whole: "the funding for
    /// the 6,396 R&D projects" is not the fund's total.)
    fn stated_figures(&self, frame: &Frame, hits: &[SubjectHit]) -> Vec<SubjectHit> {
        let asked = frame.main_attribute();
        if !matches!(
            asked,
            Some(
                Attribute::Which
                    | Attribute::Name
                    | Attribute::Who
                    | Attribute::Place
                    | Attribute::When
                    | Attribute::What
            )
        ) {
            return Vec::new();
        }
        let gives = |g: &FigureFrame, value: f64| {
            Some(g.attribute) != asked
                && matches!(g.value, FigureValue::Number(v) if numbers::same_value(v, value))
        };
        // Small numbers ("the two schemes", "1+", "17 times 23") say little,
        // unless said as an area ("占地22公顷的那个园区"), or all together
        // of one fact ("五大范畴、十八项措施": 5 areas and 18 measures).
        let mut singled: Vec<Vec<usize>> = Vec::new();
        for &value in &frame.quantities {
            let small = value < STATED_FIGURE_MIN;
            if small && !frame.asks(Attribute::Area) {
                continue;
            }
            singled.push(
                (0..self.frames.len())
                    .filter(|&f| {
                        self.frames[f]
                            .figures
                            .iter()
                            .any(|g| gives(g, value) && (!small || g.attribute == Attribute::Area))
                    })
                    .collect(),
            );
        }
        let small: Vec<f64> = frame
            .quantities
            .iter()
            .copied()
            .filter(|&v| v < STATED_FIGURE_MIN)
            .collect();
        if small.len() > 1 {
            singled.push(
                (0..self.frames.len())
                    .filter(|&f| {
                        small
                            .iter()
                            .all(|&v| self.frames[f].figures.iter().any(|g| gives(g, v)))
                    })
                    .collect(),
            );
        }
        let mut found = Vec::new();
        for giving in singled {
            if giving.len() > STATED_FIGURE_FACTS {
                continue;
            }
            // The figure singles out its fact, and the thing the fact is
            // about: "the scheme with up to HK$100 million per project:
            // when was its first batch signed?"
            for fact in giving {
                for anchor in [Anchor::Fact(fact), Anchor::Topic(self.fact_topic[fact])] {
                    if !hits
                        .iter()
                        .chain(&found)
                        .any(|h: &SubjectHit| h.anchor == anchor)
                    {
                        found.push(SubjectHit {
                            anchor,
                            how: How::Description,
                            strength: STATED_FIGURE,
                            features: Vec::new(),
                            phrase: false,
                            mended: None,
                            in_other_words: false,
                        });
                    }
                }
            }
        }
        found
    }

    /// A sum of money the question states beside a description is the
    /// described subject's when its facts give it: "the HK$10 billion scheme for
    /// turning university research into start-ups" is RAISe+, not the
    /// start-up scheme for universities, whose words are as close. Such a
    /// description is found with less of it said word for word, is
    /// surer, and one described beside it that gives no such sum is not
    /// what the question describes.
    fn sums_described(&self, frame: &Frame, qset: &HashSet<&str>, hits: &mut Vec<SubjectHit>) {
        if !frame.states_a_figure() {
            return;
        }
        // The facts that give the sum, found once: most figures a question
        // states are no fact's sum of money, and then nothing is read.
        let giving: Vec<usize> = (0..self.frames.len())
            .filter(|&f| {
                self.frames[f]
                    .figures
                    .iter()
                    .any(|g| g.attribute == Attribute::Money && g.singled_out_in(frame))
            })
            .collect();
        if giving.is_empty() {
            return;
        }
        let gives_sum = |anchor: Anchor| match anchor {
            Anchor::Fact(f) => giving.contains(&f),
            Anchor::Topic(t) => giving.iter().any(|&f| self.fact_topic[f] == t),
        };
        let idf_of = |f: &str| self.idf_of(f);
        // One found in part is a reading only where no subject already
        // found (named, or described whole) gives the sum: the fund of
        // funds said whole is not the acceleration scheme said in part,
        // however alike their sums.
        let found_whole = hits.iter().any(|h| gives_sum(h.anchor));
        for found in self.subjects.described_with_sum(qset, &idf_of, &gives_sum) {
            match hits.iter_mut().find(|h| h.anchor == found.anchor) {
                Some(h) if h.how == How::Description && h.strength < found.strength => *h = found,
                Some(_) => {}
                None if !found_whole => hits.push(found),
                None => {}
            }
        }
        let sum_described = hits
            .iter()
            .any(|h| h.how == How::Description && gives_sum(h.anchor));
        if sum_described {
            hits.retain(|h| h.how != How::Description || gives_sum(h.anchor));
        }
    }

    /// The topic a subject is or belongs to.
    pub fn topic_of(&self, anchor: Anchor) -> usize {
        match anchor {
            Anchor::Topic(t) => t,
            Anchor::Fact(f) => self.fact_topic[f],
        }
    }

    /// The topics a topic is within.
    pub(crate) fn owners(&self, topic: usize) -> &[usize] {
        self.topic_owners.get(topic).map_or(&[], Vec::as_slice)
    }

    /// Whether a fact is the subject's, or of it, or names it.
    pub(crate) fn tells_of(&self, anchor: Anchor, fact: usize) -> bool {
        match anchor {
            Anchor::Fact(f) => f == fact,
            Anchor::Topic(t) => {
                self.fact_topic[fact] == t || self.named_in[t].binary_search(&fact).is_ok()
            }
        }
    }

    /// Whether `anchor` is a topic the fact's topic is within.
    fn owns(&self, anchor: Anchor, fact: usize) -> bool {
        matches!(anchor, Anchor::Topic(o) if self.owners(self.fact_topic[fact]).contains(&o))
    }

    pub fn rank(&self, question: &str) -> Ranking {
        self.rank_following(question, None)
    }

    /// Ranks a follow-up whose subject, the topic `supplied`, the
    /// conversation supplied (its name put before the asker's words).
    pub fn rank_following(&self, question: &str, supplied: Option<usize>) -> Ranking {
        let raw = self.normalizer.normalize(question);
        let intent = self.intent(&raw);
        let n = self.speller.mend(&raw, &|w| {
            self.vocabulary.is_stop(w) || self.lexicon_words.contains(w)
        });
        let n = if n.han_runs == raw.han_runs {
            n
        } else {
            self.normalizer.restandardize_chinese(n)
        };
        let first = self.vocabulary.features(&n);
        let qset: HashSet<&str> = first.iter().map(String::as_str).collect();
        let idf_of = |f: &str| self.idf_of(f);
        let mut hits = self.subjects.find(&n, &raw.han_runs, &qset, &idf_of);
        let other_of_series: Vec<usize> = self
            .subjects
            .numbered_siblings(&n)
            .into_iter()
            .map(|anchor| match anchor {
                Anchor::Topic(t) => t,
                Anchor::Fact(f) => self.fact_topic[f],
            })
            .collect();
        // The strongest hit per anchor (of equals, the one holding more words).
        hits.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(b.features.len().cmp(&a.features.len()))
                .then(a.features.cmp(&b.features))
        });
        // A description whose words are all in a name of the same subject
        // found beside it is that name said (基金 in 創新及科枝基金, a slip
        // of its name): the name, however it was typed, is what was said.
        drop_marked(&mut hits, |all, h| {
            h.how == How::Description
                && all.iter().any(|o| {
                    o.anchor == h.anchor
                        && o.how != How::Description
                        && h.features.iter().all(|f| o.features.contains(f))
                })
        });
        let mut seen = HashSet::default();
        hits.retain(|h| seen.insert(h.anchor));
        // A name inside a longer one the question names is part of it:
        // 新型工業加速計劃 names the acceleration scheme, not also new
        // industrialisation. So is a description: the 基金 of 创科产业引导基金
        // is that fund's, not the ITF described.
        drop_marked(&mut hits, |all, h| {
            matches!(h.how, How::Name | How::Description)
                && all.iter().any(|o| {
                    o.how == How::Name
                        && o.features.len() > h.features.len()
                        && h.features.iter().all(|f| o.features.contains(f))
                })
        });
        let named: HashSet<&str> = hits
            .iter()
            .filter(|h| h.how != How::Description)
            .flat_map(|h| h.features.iter().map(String::as_str))
            .collect();
        let mut frame = self.reader.read(&n, &|span| {
            let covered = span_features(&n, span);
            !covered.is_empty() && covered.iter().all(|f| named.contains(f.as_str()))
        });
        // A breakdown is of a count: in Chinese it follows the thing
        // counted ("项目入面有几多个"); after a name ("《智慧城市蓝图》中有
        // 多少项措施") it says where, not of which.
        // (A name that is only the concept, 研发中心, is the thing counted.)
        let in_a_name = |span: &Span| {
            let words = span_features(&n, span);
            hits.iter().any(|h| {
                h.how != How::Description
                    && h.features.len() > words.len()
                    && words.iter().all(|f| h.features.contains(f))
            })
        };
        let concepts_found = self.vocabulary.concept_hits(&n);
        // In a follow-up, "其中" (of them) is of what the last answer
        // counted, whatever the asker's words count.
        let of_a_count = |span: &Span| match span {
            Span::Words(_) => true,
            Span::Text(_) => {
                supplied.is_some()
                    || concepts_found
                        .before(span)
                        .any(|(c, at)| self.counted.contains_key(*c) && !in_a_name(at))
            }
        };
        let breakdown = Cue::Qualifier(Qualifier::Breakdown);
        if !frame
            .spans
            .iter()
            .any(|(span, cue)| *cue == breakdown && of_a_count(span))
        {
            frame.qualifiers.retain(|q| *q != Qualifier::Breakdown);
        }
        let cues_read = frame.spans.len();
        if let Some(span) = self.which_kind_asked(&n, &frame, &hits, &concepts_found) {
            frame.attributes.push(Attribute::Which);
            frame.spans.push((span, Cue::Attribute(Attribute::Which)));
        }
        // Which people (a concept marked `persons`: "哪些學生", "which
        // students") asks who: the fact that says whom a scheme is for, not
        // one that counts them.
        // So does which one body ("哪個機制", 邊個部門), asked in so many
        // words: a fact that says who it is; which ones (哪些機構, 哪類) are
        // a list, and "what mechanism" (甚麼機制) may be a service. (An
        // English "which" says neither.)
        let which_cues: Vec<&Span> = frame.spans[..cues_read]
            .iter()
            .filter(|(_, cue)| *cue == Cue::Attribute(Attribute::Which))
            .map(|(span, _)| span)
            .collect();
        let several = |span: &&Span| match span {
            Span::Text(range) => n.text[range.clone()]
                .chars()
                .chain(n.text[range.end..].chars().next())
                .any(|c| "些啲几幾类類".contains(c)),
            Span::Words(_) => true,
        };
        let says_which = |span: &&Span| match span {
            Span::Text(range) => n.text[range.clone()].contains(['哪', '边', '邊']),
            Span::Words(_) => false,
        };
        let which_one = which_cues.iter().any(says_which) && !which_cues.iter().any(several);
        let which_asks_who = frame.spans.iter().any(|(span, cue)| {
            *cue == Cue::Attribute(Attribute::Which)
                && concepts_found.after(span).iter().any(|c| {
                    self.vocabulary.is_persons(c) || which_one && self.vocabulary.is_body(c)
                })
        });
        if which_asks_who && !frame.asks(Attribute::Who) {
            for a in &mut frame.attributes {
                if *a == Attribute::Which {
                    *a = Attribute::Who;
                }
            }
        }
        let stated = self.stated_figures(&frame, &hits);
        // An area the question states of what it asks about ("那個佔地22
        // 公頃的科技園區叫甚麼") is that thing's size: the subjects whose
        // facts give an area (`sized`), and those of them that give it.
        let mut sized: Vec<usize> = Vec::new();
        let mut area_stated_of: Vec<usize> = Vec::new();
        if frame.asks(Attribute::Area) && frame.main_attribute() != Some(Attribute::Area) {
            for (f, fact_frame) in self.frames.iter().enumerate() {
                for g in fact_frame
                    .figures
                    .iter()
                    .filter(|g| g.attribute == Attribute::Area)
                {
                    sized.push(self.fact_topic[f]);
                    if g.stated_in(&frame) {
                        area_stated_of.push(self.fact_topic[f]);
                    }
                }
            }
        }
        // Asked what a figure it states is, the topics whose facts give it:
        // only they say (when it names no subject: a figure named with its
        // subject, "研发扣税的200%", may be read without its unit).
        let stated_topics: Vec<usize> = if matches!(
            frame.main_attribute(),
            Some(Attribute::What | Attribute::Overview)
        ) && frame.states_a_figure()
            && !hits.iter().any(|h| h.how == How::Name)
        {
            stated.iter().map(|h| self.topic_of(h.anchor)).collect()
        } else {
            Vec::new()
        };
        hits.extend(stated);
        self.sums_described(&frame, &qset, &mut hits);
        // A body named beside a subject it runs ("ITIB's DPO", 创科署的一般
        // 支持计划) says whose the subject is; it is not a second subject,
        // and its words are the subject's facts' too. The subject is named:
        // one described may hold the body's name (科技园 in 白石角那个科技园
        // 区). The body may be described when what is asked is a figure
        // ("how much land does the park run by the statutory body cover");
        // asked who, which or when, the body described may be what is
        // asked ("when was the body that runs Science Park set up").
        let asks_of_subject = frame.main_attribute().is_some_and(Attribute::is_quantity);
        let owner_hits: Vec<SubjectHit> = {
            let owning: Vec<bool> = hits
                .iter()
                .map(|h| match h.anchor {
                    Anchor::Topic(o) if h.how == How::Name || asks_of_subject => {
                        hits.iter().any(|p| {
                            p.how != How::Description
                                && p.strength >= PART_NAMED
                                && self.owners(self.topic_of(p.anchor)).contains(&o)
                        })
                    }
                    _ => false,
                })
                .collect();
            let (owners, subjects): (Vec<_>, Vec<_>) = hits
                .into_iter()
                .zip(owning)
                .partition(|(_, owning)| *owning);
            hits = subjects.into_iter().map(|(h, _)| h).collect();
            owners.into_iter().map(|(h, _)| h).collect()
        };
        // A name two subjects share ("GSP") is the one whose owner the
        // question names ("the ITF's GSP").
        let owned = |h: &SubjectHit| {
            owner_hits.iter().any(|o| {
                self.owners(self.topic_of(h.anchor))
                    .contains(&self.topic_of(o.anchor))
            })
        };
        drop_marked(&mut hits, |all, h| {
            !owned(h)
                && all
                    .iter()
                    .any(|g| g.features == h.features && g.anchor != h.anchor && owned(g))
        });
        // Chinese words that say what is asked (多少, 面积, 每个) are not
        // about the subject: the text is read again without them, so that
        // no bigram straddles a cue and a name.
        let q = self.vocabulary.features(&without_cues(&n, &frame));
        let cue = self.cue_features(&n, &frame);
        // A concept named only within a cue ("deal" in "what's the deal
        // with") is part of how the question asks: it weighs as the cue
        // does, and a fact that does not speak of it leaves nothing
        // unexplained.
        let spans: Vec<&Span> = frame.spans.iter().map(|(s, _)| s).collect();
        // So is what was handed out ("approved so far"), and so are the
        // words that say it (批出, "handed out"): it says which figure is
        // asked (a running total), not what it is about.
        let paid_out = marked(&q, |c| self.vocabulary.is_paid_out(c));
        let mut in_cues = concepts_found.only_within(&spans);
        in_cues.extend(paid_out.iter().map(|f| f.to_string()));
        in_cues.extend(
            concepts_found
                .iter()
                .filter(|(c, _)| self.vocabulary.is_paid_out(c))
                .flat_map(|(_, span)| span_features(&n, span)),
        );
        let weight = |f: &str| {
            // A word the knowledge never uses is the asker's own (a
            // paraphrase, a Chinese bigram across two words): it says less
            // of what is asked than a rare word the facts use.
            let idf = match self.idf.get(f) {
                Some(idf) => *idf,
                None if f.starts_with(CONCEPT) => self.unknown_idf,
                None => self.unknown_idf * UNSEEN_WEIGHT,
            };
            let idf = if f.starts_with(CHAR) { idf * 0.5 } else { idf };
            if cue.contains(f) || in_cues.iter().any(|c| c == f) {
                idf * CUE_WEIGHT
            } else {
                idf
            }
        };
        let mass: f32 = q.iter().map(|f| weight(f)).sum();
        // What the question says besides how it asks: for telling a bare name.
        let literal_mass: f32 = q
            .iter()
            .filter(|f| !f.starts_with(CONCEPT) && !cue.contains(f.as_str()))
            .map(|f| weight(f))
            .sum();
        let hit_weight = |h: &SubjectHit| h.features.iter().map(|f| weight(f)).sum::<f32>();
        // A question may say nothing but how it asks and a figure that
        // singles out its fact ("1,234這個數字代表甚麼?").
        if hits.is_empty() && (q.is_empty() || mass <= 0.0) {
            return Ranking {
                candidates: Vec::new(),
                overview: None,
                summarised: None,
                parts_of: None,
                which_described: None,
                intent,
                frame,
                subjects: Vec::new(),
                empty: true,
                only_cues: true,
                elsewhere: false,
            };
        }
        let mass = mass.max(f32::MIN_POSITIVE);
        let mut explained: HashMap<usize, f32> = HashMap::default();
        for f in &q {
            if let Some(list) = self.postings.get(f) {
                let w = weight(f);
                for &(doc, bag_weight) in list {
                    *explained.entry(doc).or_default() += w * bag_weight;
                }
            }
        }
        for hit in &hits {
            match hit.anchor {
                Anchor::Topic(t) => {
                    for &f in self.topic_facts(t) {
                        explained.entry(f).or_default();
                    }
                }
                Anchor::Fact(f) => {
                    explained.entry(f).or_default();
                }
            }
        }
        // Concepts that some fact counts: the things a count could be of.
        // A general word stands for the things it includes: "how many
        // people use it" counts its users. A kind named with its general
        // word ("初创企业", start-up companies) is what is counted, even
        // where no fact counts that kind: a count of companies is not one
        // of start-ups. Named apart ("startups and ICT companies"), the
        // general word is counted too.
        let asked_concepts: Vec<&str> = q.iter().filter_map(|f| f.strip_prefix(CONCEPT)).collect();
        let concepts: Vec<&str> = asked_concepts
            .iter()
            .copied()
            .filter(|c| {
                !asked_concepts
                    .iter()
                    .any(|k| self.vocabulary.is_kind_of(k, c) && concepts_found.only_with(c, k))
            })
            .flat_map(|c| {
                std::iter::once(c).chain(self.vocabulary.included(c).iter().map(String::as_str))
            })
            .filter(|c| {
                self.counted.contains_key(*c)
                    || self
                        .vocabulary
                        .generals(c)
                        .iter()
                        .any(|g| self.counted.contains_key(g))
            })
            .collect();
        // The places and fields a question names: freely, they narrow it;
        // in a subject's name (the Hong Kong-Shenzhen I&T Park, the AI
        // Subsidy Scheme), they are part of what it is about.
        // A part named only by the name of one of its topic's facts (InnoHK's
        // "third research cluster") is that fact's, and narrows the
        // question for the others: InnoHK's HK$10 billion is not its.
        let mut places = Places::default();
        let mut parts_named: Vec<(&str, Vec<usize>)> = Vec::new();
        for c in q.iter().filter_map(|f| f.strip_prefix(CONCEPT)) {
            let (narrows, field) = (self.vocabulary.narrows(c), self.vocabulary.is_field(c));
            if !narrows && !field {
                continue;
            }
            let naming: Vec<Anchor> = hits
                .iter()
                .filter(|h| self.subjects.places(h.anchor).iter().any(|p| p == c))
                .map(|h| h.anchor)
                .collect();
            let in_a_name = !naming.is_empty();
            let facts: Vec<usize> = naming
                .iter()
                .filter_map(|a| match a {
                    Anchor::Fact(f) => Some(*f),
                    Anchor::Topic(_) => None,
                })
                .collect();
            if narrows && !facts.is_empty() && facts.len() == naming.len() {
                parts_named.push((c, facts));
            }
            match (narrows, in_a_name) {
                (true, true) => places.named.push(c),
                (true, false) => places.narrowing.push(c),
                (false, _) => {}
            }
            if field && !in_a_name {
                places.fields.push(c);
            }
        }
        // The kind of area asked (land, floor space), read from the whole
        // question, cues included: "佔地多少公頃" asks land.
        let area_kinds: Vec<&str> = first
            .iter()
            .filter_map(|f| f.strip_prefix(CONCEPT))
            .filter(|c| self.vocabulary.is_area(c))
            .collect();
        let words: Vec<String> = n.words.clone();
        let outside = marked(&q, |c| self.vocabulary.is_outside(c));
        // Content for the residue: what is not a cue. A concept the fact
        // does not speak of (staff, rent, the elderly) weighs most: it is
        // what near questions ask that the factsheet does not give.
        let residue_weight = |f: &str| {
            let base = match self.idf.get(f) {
                Some(idf) => *idf,
                None => self.unknown_idf * UNKNOWN_WEIGHT,
            };
            if f.starts_with(CHAR) {
                // A character is mostly in its bigrams already.
                base * 0.25
            } else if f.starts_with(CONCEPT) {
                self.unknown_idf.max(base) * CONCEPT_RESIDUE
            } else {
                base
            }
        };
        let elsewhere = q.iter().any(|f| {
            f.strip_prefix(CONCEPT)
                .is_some_and(|c| self.vocabulary.is_elsewhere(c))
        });
        let content: Vec<&String> = q.iter().filter(|f| !cue.contains(f.as_str())).collect();
        // Which facts hold a feature is asked of every candidate: the posting
        // lists are looked up once per question, not once per fact.
        let hit_lists: Vec<Vec<&[(usize, f32)]>> = hits
            .iter()
            .map(|h| {
                if h.phrase {
                    Vec::new()
                } else {
                    h.mended
                        .as_ref()
                        .unwrap_or(&h.features)
                        .iter()
                        .map(|f| self.posting(f))
                        .collect()
                }
            })
            .collect();
        let outside_lists: Vec<&[(usize, f32)]> = outside.iter().map(|c| self.posting(c)).collect();
        // The features of the things the question names that such a
        // factsheet does not give: their concepts and the words naming them.
        let mut outside_features: Vec<String> = outside.iter().map(|f| f.to_string()).collect();
        outside_features.extend(
            concepts_found
                .iter()
                .filter(|(c, _)| self.vocabulary.is_outside(c))
                .flat_map(|(_, span)| span_features(&n, span)),
        );
        outside_features.sort();
        outside_features.dedup();
        let outside_postings: Vec<(f32, &[(usize, f32)])> = outside_features
            .iter()
            .map(|f| (weight(f), self.posting(f)))
            .collect();
        let content_mass: f32 = content.iter().map(|f| residue_weight(f)).sum();
        // What every candidate asks of each content word, worked out once
        // per question. A concept named only within a cue is never left
        // unexplained.
        let content_words: Vec<ContentWord> = content
            .iter()
            .filter(|f| !in_cues.contains(f))
            .map(|f| ContentWord {
                feature: f.as_str(),
                held_by: self.explaining(f),
                weight: residue_weight(f),
                concept: f.starts_with(CONCEPT),
                known: f.starts_with(CONCEPT) || self.idf.contains_key(f.as_str()),
                named_by: hits
                    .iter()
                    .filter(|h| h.features.iter().any(|x| x == *f))
                    .map(|h| h.anchor)
                    .collect(),
                owner_named_by: owner_hits
                    .iter()
                    .filter(|h| h.features.iter().any(|x| x == *f))
                    .map(|h| h.anchor)
                    .collect(),
            })
            .collect();
        let asked = frame.main_attribute();
        let asks_figure = asked.is_some_and(Attribute::is_quantity);
        // The kind of thing a "which" asks for: "which scheme pays for …".
        // Asked its name, the kind is said just before or after how the
        // name is asked ("the scheme called", "the name of the fund",
        // "的機構叫甚麼").
        let cue_of = |attribute| {
            frame
                .spans
                .iter()
                .find(move |(_, cue)| *cue == Cue::Attribute(attribute))
        };
        let which_kinds: Vec<&str> = match (cue_of(Attribute::Which), cue_of(Attribute::Name)) {
            (Some((span, _)), _) => concepts_found.after(span),
            (None, Some((span, _))) if asked == Some(Attribute::Name) => concepts_found
                .before(span)
                .map(|(c, _)| *c)
                .chain(concepts_found.after(span))
                .collect(),
            _ => Vec::new(),
        };
        let of_kind_asked = |topic: usize| {
            self.topic_kinds[topic]
                .iter()
                .any(|t| which_kinds.contains(&t.as_str()))
        };
        // Parts with a name of their own that the question names.
        let parts_named_whole: Vec<usize> = hits
            .iter()
            .filter(|h| h.how == How::Name)
            .filter_map(|h| match h.anchor {
                Anchor::Fact(f) if self.own_names[f] => Some(f),
                _ => None,
            })
            .collect();
        // Who runs a subject named, and nothing else, is told by the body
        // its knowledge says it is within (Science Park's HKSTP): another
        // fact that only mentions it does not say. Words of the subject's
        // summary are more of it ("the Science Park at Pak Shek Kok").
        // The words by which the question names the kind of body asked
        // ("哪个政策局") are the owner's, not more of the subject. A subject
        // described will do when the question asks what it is within and
        // its owner is of the kind asked (the office for digital policy:
        // under which bureau?).
        let run: Vec<usize> = if asked == Some(Attribute::Who) {
            hits.iter()
                .filter_map(|h| match h.anchor {
                    Anchor::Topic(t) if !self.owners(t).is_empty() => Some((h, t)),
                    _ => None,
                })
                .filter(|(h, t)| {
                    h.how == How::Name
                        || (h.strength >= PART_NAMED
                            && frame.has(Qualifier::Under)
                            && self.owners(*t).iter().any(|o| of_kind_asked(*o)))
                })
                .filter(|(h, t)| {
                    let owners = self.owners(*t);
                    // A subject described is told by what it does: words
                    // its own facts hold are more of the description.
                    let describing = |f: &String| {
                        h.how != How::Name
                            && self.topic_facts[*t]
                                .iter()
                                .any(|&fact| holds(self.posting(f), fact))
                    };
                    let owners_words: f32 = q
                        .iter()
                        .filter(|f| !f.starts_with(CONCEPT) && !cue.contains(f.as_str()))
                        .filter(|f| !h.features.contains(f))
                        .filter(|f| {
                            owners.iter().any(|o| self.subjects.speaks_of(*o, f))
                                || describing(f)
                                || self.topic_summaries[*t].contains(f.as_str())
                        })
                        .map(|f| weight(f))
                        .sum();
                    hit_weight(h) >= ALL_IT_SAYS * (literal_mass - owners_words)
                })
                .map(|(_, t)| t)
                .collect()
        } else {
            Vec::new()
        };
        let run_by: Vec<usize> = run
            .iter()
            .flat_map(|t| self.owners(*t).iter().copied())
            .collect();
        // The topics asked when they began, named and nothing else.
        let beginning_of: Vec<Anchor> = if frame.main_attribute() == Some(Attribute::When)
            && frame.events.iter().any(|e| e.is_beginning())
        {
            hits.iter()
                .filter(|h| matches!(h.anchor, Anchor::Topic(_)) && h.how == How::Name)
                .filter(|h| hit_weight(h) >= ALL_IT_SAYS * literal_mass)
                .map(|h| h.anchor)
                .collect()
        } else {
            Vec::new()
        };
        // How directly the question names a fact's subject, and how
        // strongly: worked out before fitting, to bound what it can score.
        let standing = |fact: usize| {
            let topic = Anchor::Topic(self.fact_topic[fact]);
            let own = Anchor::Fact(fact);
            let subject_hits: Vec<&SubjectHit> = hits
                .iter()
                .filter(|h| h.anchor == own || h.anchor == topic)
                .collect();
            let mentions: Vec<&SubjectHit> = hits
                .iter()
                .zip(&hit_lists)
                .filter(|(h, lists)| {
                    (!lists.is_empty() && lists.iter().all(|l| holds(l, fact)))
                        // Asked a figure of a body, the figure is its own:
                        // the fund a fact says the ITF pays into is not the ITF.
                        || !asks_figure
                            && matches!(h.anchor, Anchor::Topic(t) if self.named_in[t].binary_search(&fact).is_ok())
                })
                .map(|(h, _)| h)
                .collect();
            let mentioned = mentions
                .iter()
                .map(|h| MENTION * h.strength)
                .fold(0.0, f32::max);
            // The body that runs a subject named is asked about through it.
            let runs_it = run_by.contains(&self.fact_topic[fact]);
            let subject = subject_hits
                .iter()
                .map(|h| h.strength)
                .fold(mentioned, f32::max);
            let subject = if runs_it { subject.max(1.0) } else { subject };
            let directness = if subject_hits.iter().any(|h| h.anchor == own) {
                Directness::Own
            } else if !subject_hits.is_empty() || runs_it {
                Directness::Topic
            } else if mentioned > 0.0 {
                Directness::Mention
            } else {
                Directness::None
            };
            Standing {
                subject_hits,
                mentions,
                runs_it,
                subject,
                directness,
            }
        };
        // A named subject carries a fact even when few words overlap;
        // the words still tell its facts apart.
        let base_score = |coverage: f32, subject: f32| {
            if subject > 0.0 {
                (0.4 + 0.6 * coverage) * (1.0 + 0.5 * subject)
            } else {
                coverage * if hits.is_empty() { 0.6 } else { 0.5 }
            }
        };
        let fit_candidate = |unfitted: Unfitted, fitted: &Frame| {
            let Unfitted {
                fact,
                coverage,
                standing,
                ..
            } = unfitted;
            let topic = Anchor::Topic(self.fact_topic[fact]);
            let own = Anchor::Fact(fact);
            let Standing {
                subject_hits,
                mentions,
                runs_it,
                subject,
                directness,
            } = standing;
            let sibling_parts: Vec<&str> = parts_named
                .iter()
                .filter(|(_, facts)| {
                    !facts.contains(&fact)
                        && facts
                            .iter()
                            .any(|f| self.fact_topic[*f] == self.fact_topic[fact])
                })
                .map(|(c, _)| *c)
                .collect();
            let narrowed;
            let places = if sibling_parts.is_empty() {
                &places
            } else {
                narrowed = places.narrowed_to(&sibling_parts);
                &narrowed
            };
            let mut fit = Fit::of(
                fitted,
                &concepts,
                &words,
                places,
                &self.frames[fact],
                &self.topic_ordinals[self.fact_topic[fact]],
                !paid_out.is_empty(),
            );
            // Another of a numbered series its subject's name belongs to
            // ("the 15th Five-Year Plan") is not what its facts speak of.
            if other_of_series.contains(&self.fact_topic[fact]) {
                fit.ordinal = Some(false);
            }
            // Nor do the subject's own facts: what the ITC pursues is not
            // who it answers to.
            if !run_by.is_empty()
                && !runs_it
                && (directness == Directness::Mention || run.contains(&self.fact_topic[fact]))
            {
                fit.attribute = Some(false);
            }
            // Nor is a fact of a thing with another area.
            let topic_of_fact = self.fact_topic[fact];
            if !area_stated_of.is_empty()
                && !area_stated_of.contains(&topic_of_fact)
                && sized.contains(&topic_of_fact)
            {
                fit.narrowing = Some(false);
            }
            // A fact named in the question is what it counts.
            if directness == Directness::Own {
                fit.object = None;
            }
            // "What is it called" of a thing described, not named: a fact
            // about it gives its name. (Named, the question asks for another
            // name; only mentioned, the fact is about something else.) So
            // does "which bureau draws up the policy", of a fact of the
            // body described.
            let kind_asked = of_kind_asked(self.fact_topic[fact]);
            let gives_name = match asked {
                Some(Attribute::Name) => matches!(
                    directness,
                    Directness::Own | Directness::Topic | Directness::None
                ),
                Some(Attribute::Who) => matches!(directness, Directness::Own | Directness::Topic),
                // "Which fund got HK$5 billion?": the fact the question
                // describes gives its subject's name; so does any fact of
                // a scheme described, asked which scheme does that.
                Some(Attribute::Which) => {
                    directness == Directness::Own || (directness == Directness::Topic && kind_asked)
                }
                _ => false,
            };
            // A name found as a phrase of common words ("fund of funds")
            // describes the subject: asked what it is called, its facts say.
            if gives_name
                && fit.attribute == Some(false)
                && !run.contains(&self.fact_topic[fact])
                && subject_hits.iter().all(|h| h.how != How::Name || h.phrase)
            {
                fit.attribute = Some(true);
            }
            // Asked what a subject is under (隸屬哪個局), its own facts say
            // what it does, not who it answers to, even when it is found
            // only near its name ("the office for digital government").
            if asked == Some(Attribute::Who)
                && frame.has(Qualifier::Under)
                && directness >= Directness::Topic
                && !self.owners(self.fact_topic[fact]).is_empty()
            {
                fit.attribute = Some(false);
            }
            // Asked what a thing described is called, the figures the
            // question states describe it ("the scheme funding six
            // universities, called what?"): the members they count are not
            // what is asked. So, asked which or who, do the figures that
            // single out the fact itself ("约440个项目、约11亿元: 哪个计划?"), or
            // describe a thing of the kind asked ("哪个计划资助……聘请四名研究人员").
            if gives_name
                && (asked == Some(Attribute::Name) || directness == Directness::Own || kind_asked)
                && !subject_hits.is_empty()
                && subject_hits.iter().all(|h| h.how == How::Description)
            {
                fit.restated = None;
            }
            // Asked what a figure it states is ("「50 620」呢個數字係指乜嘢"),
            // a fact of another subject holding the rest of the question's
            // words (數字, 指) does not say.
            if !stated_topics.is_empty() && !stated_topics.contains(&self.fact_topic[fact]) {
                fit.attribute = Some(false);
            }
            // A site area is not a floor area: an area of one kind asked
            // is not given by a fact whose areas are all of another.
            if let ([kind], Some(Attribute::Area)) = (area_kinds.as_slice(), asked) {
                let other_kind = |c: &String| c != kind && self.vocabulary.is_area(c);
                let mut areas = self.frames[fact]
                    .figures
                    .iter()
                    .filter(|g| g.attribute == Attribute::Area)
                    .peekable();
                if areas.peek().is_some() && areas.all(|g| g.concepts.iter().any(other_kind)) {
                    fit.attribute = Some(false);
                }
            }
            // Of no subject named, a fact that holds little of the question
            // but the thing it does not give is not speaking of it: a
            // portal of population data does not give Hong Kong's population.
            let outside_alone = subject == 0.0 && {
                let outside_held: f32 = outside_postings
                    .iter()
                    .filter_map(|(w, l)| held(l, fact).map(|bag| w * bag))
                    .sum::<f32>()
                    / mass;
                outside_held > 0.0 && coverage - outside_held < OUTSIDE_ALONE
            };
            // Several asked of each ("中學和小學的兩項計劃分別叫甚麼"), a
            // fact that speaks of one of them answers for it.
            let unspoken_outside = |l: &&[(usize, f32)]| !holds(l, fact);
            fit.outside = if frame.has(Qualifier::Each) && outside_lists.len() > 1 {
                outside_lists.iter().all(unspoken_outside)
            } else {
                outside_lists.iter().any(unspoken_outside)
            }
            .then_some(false)
            .or(outside_alone.then_some(false));
            // A word of the subject's name is accounted for; a general word
            // is explained by a count of what it includes: "people" by a
            // count of users; a word for fields by a fact that names one.
            // A subject described, not named, may be described in the
            // words of its summary: what it is for, not what is asked.
            let described = !subject_hits.is_empty()
                && subject_hits
                    .iter()
                    .all(|h| h.how == How::Description && h.anchor == topic);
            let describes_subject = |w: &ContentWord| {
                described && self.topic_summaries[self.fact_topic[fact]].contains(w.feature)
            };
            let explains = |w: &ContentWord| {
                describes_subject(w)
                    || w.named_by.iter().any(|a| {
                        *a == own
                            || *a == topic
                            || (runs_it
                                && self
                                    .owners(self.topic_of(*a))
                                    .contains(&self.fact_topic[fact]))
                    })
                    || w.owner_named_by.iter().any(|a| self.owns(*a, fact))
                    || w.held_by.contains(fact)
            };
            // The words left unexplained: their weight, the weight of those
            // known elsewhere, and whether a concept is among them.
            let (unexplained, unexplained_known, unspoken) = content_words
                .iter()
                .filter(|w| !explains(w))
                .fold((0.0, 0.0, false), |(all, known, concept), w| {
                    (
                        all + w.weight,
                        if w.known { known + w.weight } else { known },
                        concept || w.concept,
                    )
                });
            let share = |weight: f32| {
                if content_mass > 0.0 {
                    weight / content_mass
                } else {
                    0.0
                }
            };
            let residue = share(unexplained);
            let stray = share(unexplained_known);
            // A breakdown into shares gives one part only where the
            // question names nothing else it knows: green tech's share is
            // not among the fields it gives. (Asked which part has the most,
            // it names none: "哪个领域占最多".)
            if asked == Some(Attribute::Share)
                && !frame.asks(Attribute::Which)
                && stray > OTHER_PART
                && scoring::gives_parts(asked, &concepts, &words, &self.frames[fact])
            {
                fit.narrowing = Some(false);
            }
            // A figure asked of each of several places ("大埔、元朗、將軍澳
            // 分別佔地幾多") is not a fact's one figure for them all: it
            // gives their total, not each one's.
            let places_asked = places.narrowing.len() + places.named.len();
            if asks_figure
                && frame.has(Qualifier::Each)
                && places_asked > 1
                && self.frames[fact]
                    .figures
                    .iter()
                    .filter(|g| Some(g.attribute) == asked)
                    .count()
                    < places_asked
            {
                fit.narrowing = Some(false);
            }
            // A figure asked of one part with a name of its own (InnoHK's
            // third research cluster) is not its topic's: InnoHK's HK$10
            // billion is not the third cluster's funding. (Two parts named
            // ask what they share; a count of the parts is the topic's; a
            // fact with a name of its own is of that whole: the two school
            // IT programmes' funding.)
            let mut parts_of_topic = parts_named_whole
                .iter()
                .filter(|f| self.fact_topic[**f] == self.fact_topic[fact]);
            if asks_figure
                && fit.object != Some(true)
                && !self.own_names[fact]
                && matches!((parts_of_topic.next(), parts_of_topic.next()), (Some(f), None) if *f != fact)
            {
                fit.narrowing = Some(false);
            }
            let mut score = base_score(coverage, subject);
            // A thing with a name of its own (Building 18W), or one batch
            // of its topic, is not what a question about its topic (Science
            // Park, the size of RAISe+) means.
            // Unless the question also names another subject the part's
            // text speaks of (the RTH's quota "for NIAS companies").
            let one_batch = asks_figure
                && !self.frames[fact].title_ordinals.is_empty()
                && frame.ordinals.is_empty();
            // A topic the conversation supplied was not named by the
            // asker, so it does not set its parts aside: "and the primary
            // school one?" after one of two programmes.
            let part = directness == Directness::Topic
                && ((self.own_names[fact] && supplied != Some(self.fact_topic[fact])) || one_batch)
                && !mentions
                    .iter()
                    .any(|h| h.anchor != own && h.anchor != topic);
            match directness {
                Directness::Own => score *= OWN_NAME,
                Directness::Topic if part => score *= SUB_THING,
                _ => {}
            }
            // Nor is when such a thing began when its topic did, asked of
            // the topic alone: Cyberport did not open with its AI
            // Supercomputing Centre.
            if part && self.titled_by_name[fact] && beginning_of.contains(&topic) {
                fit.event = Some(false);
            }
            score *= fit.factor() * (1.0 - 0.5 * residue);
            Candidate {
                fact,
                score,
                coverage,
                subject,
                directness,
                named: subject_hits.iter().any(|h| h.how != How::Description),
                kind_asked,
                part,
                fit,
                residue,
                stray,
                unspoken,
            }
        };
        // Only the best few matter. Fitting a fact to the frame is the
        // costly part, so facts are taken in order of the most they could
        // score (their base score with every boost the fit and a direct
        // name can give), and none is fitted once that bound is below the
        // best MAX_CANDIDATES already fitted: the result is the same.
        let mut by_bound: Vec<Unfitted> = explained
            .into_iter()
            .map(|(fact, sum)| {
                let standing = standing(fact);
                let coverage = (sum / mass).min(1.0);
                let named = if standing.directness == Directness::Own {
                    OWN_NAME
                } else {
                    1.0
                };
                // A hair over, for rounding in the residue.
                let most = base_score(coverage, standing.subject) * named * Fit::MAX_FACTOR * 1.001;
                Unfitted {
                    fact,
                    coverage,
                    standing,
                    most,
                }
            })
            .collect();
        by_bound.sort_by(|a, b| b.most.total_cmp(&a.most).then(a.fact.cmp(&b.fact)));
        // "Every year" said of a thing described picks out the fact of
        // something yearly ("what does the government hold every year to
        // test its defences": the annual drill). Where no fact that could
        // be near the top is of anything yearly, it is the asker's own
        // description ("the contest the DPO takes a delegation to every
        // year") and rules none out.
        let describes = frame
            .main_attribute()
            .is_some_and(Attribute::is_description);
        let yearly_untold = describes && frame.has(Qualifier::PerPeriod) && {
            let top = by_bound.first().map_or(0.0, |u| u.most);
            !by_bound
                .iter()
                .take_while(|u| u.most >= YEARLY_NEAR * top)
                .any(|u| self.frames[u.fact].per_period)
        };
        let unyearly;
        let fitted = if yearly_untold {
            unyearly = Frame {
                qualifiers: frame
                    .qualifiers
                    .iter()
                    .copied()
                    .filter(|q| *q != Qualifier::PerPeriod)
                    .collect(),
                ..frame.clone()
            };
            &unyearly
        } else {
            &frame
        };
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut best_scores: Vec<f32> = Vec::with_capacity(MAX_CANDIDATES + 1);
        for unfitted in by_bound {
            let (fact, most) = (unfitted.fact, unfitted.most);
            if best_scores.len() >= MAX_CANDIDATES && most < best_scores[MAX_CANDIDATES - 1] {
                break;
            }
            let c = fit_candidate(unfitted, fitted);
            // The bound must hold for the pruning to leave the ranking as it is.
            debug_assert!(
                c.score <= most,
                "fact {fact} scored {} over its bound {most}",
                c.score
            );
            let at = best_scores.partition_point(|s| *s >= c.score);
            best_scores.insert(at, c.score);
            best_scores.truncate(MAX_CANDIDATES);
            candidates.push(c);
        }
        if candidates.len() > MAX_CANDIDATES {
            candidates.select_nth_unstable_by(MAX_CANDIDATES, |a, b| {
                b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact))
            });
            candidates.truncate(MAX_CANDIDATES);
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        // An overview when the question is a topic's name, perhaps with "what
        // is" or "what does it do"; with words of its summary besides ("what
        // does TechTAS fast-track?"), one that answers when no fact does. So
        // each topic named is weighed by how much of the question its names
        // (and its owner's) say, and how much with its summary's words;
        // none is, when the question asks more than what it is.
        struct Said {
            topic: usize,
            by_name: f32,
            with_summary: f32,
        }
        let asks_what_it_is = frame.only_what_it_is();
        let said: Vec<Said> = hits
            .iter()
            .filter(|h| asks_what_it_is && h.how == How::Name)
            .filter_map(|h| match h.anchor {
                Anchor::Topic(t) => Some((h, t)),
                Anchor::Fact(_) => None,
            })
            .map(|(h, topic)| {
                let owners: Vec<&String> = owner_hits
                    .iter()
                    .filter(|o| self.owners(topic).contains(&self.topic_of(o.anchor)))
                    .flat_map(|o| &o.features)
                    .collect();
                // The subject's own kind said with its name ("what kind of
                // scheme is TechTAS", "TechTAS是个什么样的计划") is part of
                // naming it; not beside a figure the question states, which
                // is what it asks about.
                let own_kind: Vec<String> = if frame.quantities.is_empty() {
                    concepts_found
                        .iter()
                        .filter(|(c, _)| self.topic_kinds[topic].iter().any(|k| k == c))
                        .flat_map(|(_, span)| span_features(&n, span))
                        .filter(|f| !h.features.contains(f) && !owners.contains(&f))
                        .collect()
                } else {
                    Vec::new()
                };
                let mut naming: Vec<&String> = h
                    .features
                    .iter()
                    .chain(owners.iter().copied())
                    .chain(&own_kind)
                    .collect();
                naming.sort_unstable();
                naming.dedup();
                let by_name: f32 = naming.iter().map(|f| weight(f)).sum();
                let summary_says: f32 = q
                    .iter()
                    .filter(|f| !f.starts_with(CONCEPT) && !cue.contains(f.as_str()))
                    .filter(|f| !naming.contains(f))
                    .filter(|f| self.topic_summaries[topic].contains(f.as_str()))
                    .map(|f| weight(f))
                    .sum();
                Said {
                    topic,
                    by_name,
                    with_summary: by_name + summary_says,
                }
            })
            .collect();
        let all_it_says = |covered: fn(&Said) -> f32| {
            said.iter()
                .max_by(|a, b| covered(a).total_cmp(&covered(b)))
                .filter(|w| covered(w) >= ALL_IT_SAYS * literal_mass)
                .map(|w| w.topic)
        };
        let overview = all_it_says(|w| w.by_name);
        // (A figure stated is what is asked about, not the topic.)
        let summarised = all_it_says(|w| w.with_summary)
            .filter(|_| overview.is_none() && frame.quantities.is_empty());
        // Only a thing the question is most about, and asked only which it
        // is: "which bureau drew up the blueprint" asks of the blueprint.
        let strongest = hits.iter().max_by(|a, b| a.strength.total_cmp(&b.strength));
        let which_described = match (asked, strongest) {
            (
                Some(Attribute::Which | Attribute::Who | Attribute::Name),
                Some(&SubjectHit {
                    anchor: Anchor::Topic(t),
                    how: How::Description,
                    strength,
                    ..
                }),
            ) if of_kind_asked(t) => Some((t, strength)),
            // Who runs a subject named is the one body it is within; not
            // the person who holds a post ("數字辦的負責人是誰"), nor
            // anything else the factsheet does not give.
            _ => match run_by.as_slice() {
                [owner] if outside.is_empty() => Some((*owner, 1.0)),
                _ => None,
            },
        };
        // Asked what a body or a fund named has under it, and of nothing
        // else ("創科及工業局轄下有哪些部門?"), its overview lists them; a
        // part described beside it is what is asked ("轄下負責推行創科政策
        // 的部門").
        let mut subjects = hits.iter().filter(|h| h.strength >= PART_NAMED);
        let parts_of = match (subjects.next(), subjects.next()) {
            (
                Some(&SubjectHit {
                    anchor: Anchor::Topic(t),
                    how,
                    ..
                }),
                None,
            ) if how != How::Description
                && frame.has(Qualifier::Parts)
                && matches!(
                    asked,
                    None | Some(
                        Attribute::Which
                            | Attribute::Who
                            | Attribute::What
                            | Attribute::Name
                            | Attribute::Overview
                            | Attribute::Count
                    )
                )
                && self.topic_owners.iter().any(|owners| owners.contains(&t)) =>
            {
                Some(t)
            }
            _ => None,
        };
        Ranking {
            candidates,
            overview,
            summarised,
            parts_of,
            which_described,
            intent,
            frame,
            subjects: hits,
            empty: false,
            only_cues: literal_mass <= 0.0,
            elsewhere,
        }
    }
}

/// The concept features among `features` whose concept is marked so.
fn marked(features: &[String], is: impl Fn(&str) -> bool) -> Vec<&String> {
    features
        .iter()
        .filter(|f| f.strip_prefix(CONCEPT).is_some_and(&is))
        .collect()
}

/// The question with its Chinese attribute and qualifier cues blanked out.
fn without_cues(n: &Normalized, frame: &Frame) -> Normalized {
    let mut text = n.text.clone();
    for (span, cue) in &frame.spans {
        if let (Span::Text(range), Cue::Attribute(_) | Cue::Named(_) | Cue::Qualifier(_)) =
            (span, cue)
        {
            let blank = " ".repeat(range.len());
            text.replace_range(range.clone(), &blank);
        }
    }
    let mut blanked = n.clone();
    blanked.han_runs = text
        .split(|c: char| !crate::script::is_han(c))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    blanked
}

/// The features of the part of a question a phrase covers.
fn span_features(n: &Normalized, span: &Span) -> Vec<String> {
    match span {
        Span::Words(range) => n.words[range.clone()]
            .iter()
            .map(|w| feature(WORD, w))
            .collect(),
        Span::Text(range) => {
            let chars: Vec<char> = n.text[range.clone()].chars().collect();
            han_features(&chars).collect()
        }
    }
}

/// Adds a phrase's features to a bag, keeping each feature's best weight.
fn add(bag: &mut HashMap<String, f32>, features: Vec<String>, weight: f32) {
    for f in features {
        let w = bag.entry(f).or_insert(0.0);
        *w = w.max(weight);
    }
}

fn feature_idf(idf: &HashMap<String, f32>, unknown: f32, feature: &str) -> f32 {
    idf.get(feature).copied().unwrap_or(unknown)
}
