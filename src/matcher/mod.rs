//! Matches a normalised question against the knowledge: an inverted index of
//! features (English word stems, Chinese characters and bigrams) drawn from
//! each fact's aliases, keywords, title, examples and text, scored by how
//! much of the question's informative weight a fact explains. Anchors (a
//! topic's or fact's name found whole in the question) and the question's
//! form (when / how many / how much …) adjust the score.
//!
//! The matcher never does I/O and never sees Telegram; it is built once per
//! knowledge base and then answers in microseconds.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::knowledge::{Ask, Fact, Knowledge, Topic};
use crate::normalize::{normalize, Normalized};

/// Words that carry no topic: grammar, question words and Hong Kong itself.
const EN_STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "by",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "do",
    "doe",
    "does",
    "did",
    "has",
    "have",
    "had",
    "what",
    "whats",
    "when",
    "where",
    "who",
    "whom",
    "which",
    "why",
    "how",
    "many",
    "much",
    "much",
    "there",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "i",
    "me",
    "my",
    "you",
    "your",
    "we",
    "our",
    "us",
    "they",
    "them",
    "their",
    "can",
    "could",
    "would",
    "should",
    "will",
    "about",
    "tell",
    "please",
    "pl",
    "plz",
    "know",
    "give",
    "show",
    "number",
    "hong",
    "kong",
    "hk",
    "s",
    "get",
    "any",
    "so",
    "far",
    "with",
    "from",
    "as",
    "up",
    "into",
    "than",
    "it's",
    "yet",
    "now",
    "currently",
    "total",
    "altogether",
    "exactly",
    "roughly",
    "approximately",
    "long",
    "big",
    "large",
    "size",
    "ago",
    "bot",
    "factbot",
    "lot",
    "very",
    "again",
    "explain",
    "introduce",
    "overview",
    "describe",
    "date",
    "time",
];

/// Chinese question words and particles, removed before characters are read.
const ZH_STOP: &[&str] = &[
    "多大",
    "多广",
    "多长",
    "多久",
    "多远",
    "机器人",
    "什么时候",
    "是不是",
    "为什么",
    "多少",
    "什么",
    "哪里",
    "哪个",
    "哪一年",
    "哪年",
    "哪些",
    "怎样",
    "怎么",
    "如何",
    "几个",
    "请问",
    "香港",
    "我想知",
    "想知道",
    "知道",
    "告诉我",
    "一下",
    "目前",
    "现在",
    "总共",
    "一共",
    "共有",
    "大约",
    "大概",
    "了",
    "的",
    "吗",
    "呢",
    "是",
    "有",
    "在",
    "和",
    "及",
    "与",
    "个",
    "些",
    "吧",
    "啦",
    "我",
    "你",
    "他",
    "们",
    "这",
    "那",
    "几",
    "谁",
    "哪",
    "多",
    "给",
    "可以",
    "晒",
    "介绍",
    "简介",
    "一下",
    "数量",
    "是否",
    "何时",
    "时间",
    "年份",
    "日期",
    "比例",
    "数目",
];

/// Whether a (stemmed) word is a stop word.
fn is_stop(word: &str) -> bool {
    static STOP: OnceLock<HashSet<String>> = OnceLock::new();
    STOP.get_or_init(|| {
        EN_STOP
            .iter()
            .flat_map(|w| [w.to_string(), crate::normalize::stem(w)])
            .collect()
    })
    .contains(word)
}

/// Feature weights by where a fact's phrase comes from.
const W_NAME: f32 = 1.0;
const W_TOPIC: f32 = 0.85;
const W_EXAMPLE: f32 = 0.7;
const W_TEXT: f32 = 0.45;

/// How many candidates a ranking keeps, best first.
const MAX_CANDIDATES: usize = 32;
/// How many of the best candidates get the residual check.
const RESIDUAL_CHECKED: usize = 8;
/// Share of the question's weight outside a name that the fact must explain.
const RESIDUAL_FIT: f32 = 0.2;

/// A fact's name found whole in the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Topic(usize),
    Fact(usize),
}

/// A scored fact, with what went into its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub fact: usize,
    /// The ranking score; above 1 when every signal agrees (confidence caps it at 1).
    pub score: f32,
    /// Share of the question's weight the fact explains, before adjustments.
    pub coverage: f32,
    pub anchored: bool,
    pub form_fits: Option<bool>,
    /// False when the question says more than the name and the fact does not fit that part.
    pub rest_fits: bool,
}

/// What the matcher makes of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Best first.
    pub candidates: Vec<Candidate>,
    /// The topic the question names and asks nothing more about.
    pub overview: Option<usize>,
    /// A conversational intent, when that is all the question is.
    pub intent: Option<String>,
    pub asks: Vec<Ask>,
    /// True when the question has nothing the knowledge could know.
    pub empty: bool,
}

struct Phrase {
    features: Vec<String>,
    anchor: Anchor,
}

pub struct Matcher {
    postings: HashMap<String, Vec<(usize, f32)>>,
    idf: HashMap<String, f32>,
    unknown_idf: f32,
    /// English vocabulary, for forgiving typos.
    words: Vec<String>,
    word_set: HashSet<String>,
    names: Vec<Phrase>,
    /// Names by their rarest feature: only names sharing it with a question are checked.
    names_by_feature: HashMap<String, Vec<usize>>,
    /// Each fact's features and weights.
    bags: Vec<HashMap<String, f32>>,
    fact_topic: Vec<usize>,
    fact_asks: Vec<Vec<Ask>>,
    intents: Vec<(String, String)>,
}

/// Features of normalised text: stemmed English words and Chinese characters
/// and bigrams; digits are never features (numbers alone must not match).
fn features(n: &Normalized) -> Vec<String> {
    let mut out = Vec::new();
    for (i, w) in n.words.iter().enumerate() {
        // "what year" asks when; "how many years" is about a duration.
        let asks_when = w == "year" && i > 0 && matches!(n.words[i - 1].as_str(), "what" | "which");
        if !asks_when && !is_stop(w) && !w.chars().all(|c| c.is_ascii_digit() || c == '.') {
            out.push(format!("w:{w}"));
        }
    }
    for run in &n.han_runs {
        let mut cleaned = run.clone();
        for stop in ZH_STOP {
            if cleaned.contains(stop) {
                cleaned = cleaned.replace(stop, " ");
            }
        }
        for piece in cleaned.split_whitespace() {
            let chars: Vec<char> = piece.chars().collect();
            for c in &chars {
                out.push(format!("c:{c}"));
            }
            for pair in chars.windows(2) {
                out.push(format!("b:{}{}", pair[0], pair[1]));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn phrase_features(text: &str) -> Vec<String> {
    features(&normalize(text))
}

/// The kinds of question a text asks, read from its wording.
pub fn asks(n: &Normalized) -> Vec<Ask> {
    static PATTERNS: OnceLock<Vec<(Ask, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid pattern");
        vec![
            (Ask::When, re(r"\b(when|what year|which year|since when|date)\b|什么时候|何时|哪一年|哪年|几时|什么时间|日期|哪个月|几月|年份")),
            (Ask::HowMuch, re(r"\bhow much\b|\b(budget|cost|money|amount|hk\$|dollars?|funding amount|subsidy amount)\b|多少钱|多少资金|多少拨款|多少资助|金额|预算|拨款多少|资助额|多少亿|几多钱|投放多少|注资多少|多少经费")),
            (Ask::HowBig, re(r"\b(how big|how large|what size|area|hectares?|square met(re|er)s?|floor area)\b|面积|占地|多大|公顷|平方米|楼面")),
            (Ask::HowMany, re(r"\bhow many\b|\bnumber of\b|\bcount\b|多少(个|间|家|名|项|所|人|支|类|宗|座|次)|几(个|间|家|名|项|所)|多少|数目|数量")),
            (Ask::Where, re(r"\b(where|location|located|situated|address)\b|哪里|在哪|位于|地点|什么地方|哪儿")),
            (Ask::Who, re(r"\b(who|which (body|department|bureau|office|organi[sz]ation))\b|谁|哪个(部门|机构|政策局)|负责")),
            (Ask::What, re(r"\b(what is|what are|what's|whats|tell me about|explain|introduce|overview)\b|是什么|介绍|简介|什么是|是咩")),
        ]
    });
    let mut found = Vec::new();
    for (ask, re) in patterns {
        if re.is_match(&n.text) {
            found.push(*ask);
        }
    }
    // 多少 alone asks "how many" or "how much"; with another form of question
    // it is that form, unless a measure word says it counts.
    static COUNTS: OnceLock<Regex> = OnceLock::new();
    let counts = COUNTS.get_or_init(|| {
        Regex::new(r"\bhow many\b|多少(个|间|家|名|项|所|人)").expect("valid pattern")
    });
    let other_form = found
        .iter()
        .any(|a| matches!(a, Ask::HowMuch | Ask::HowBig | Ask::When));
    if other_form && !counts.is_match(&n.text) {
        found.retain(|a| *a != Ask::HowMany);
    }
    found
}

impl Matcher {
    pub fn new(k: &Knowledge) -> Matcher {
        let topic_index: HashMap<&str, usize> = k
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut doc_features: Vec<HashMap<String, f32>> = Vec::with_capacity(k.facts.len());
        let mut names = Vec::new();
        let topic_phrases = |t: &Topic| -> Vec<String> {
            let mut p = vec![
                t.name.en.clone(),
                t.name.zh_hans.clone(),
                t.name.zh_hant.clone(),
            ];
            p.extend(t.aliases.iter().cloned());
            p
        };
        for (ti, topic) in k.topics.iter().enumerate() {
            for phrase in topic_phrases(topic) {
                let features = phrase_features(&phrase);
                if !features.is_empty() {
                    names.push(Phrase {
                        features,
                        anchor: Anchor::Topic(ti),
                    });
                }
            }
        }
        for (fi, fact) in k.facts.iter().enumerate() {
            let mut bag: HashMap<String, f32> = HashMap::new();
            let mut add = |text: &str, weight: f32| {
                for f in phrase_features(text) {
                    let w = bag.entry(f).or_insert(0.0);
                    *w = w.max(weight);
                }
            };
            for alias in fact.aliases.iter().chain(&fact.keywords) {
                add(alias, W_NAME);
            }
            for t in [&fact.title.en, &fact.title.zh_hans] {
                add(t, W_NAME);
            }
            for e in &fact.examples {
                add(e, W_EXAMPLE);
            }
            for t in [&fact.text.en, &fact.text.zh_hans] {
                add(t, W_TEXT);
            }
            if let Some(topic) = k.topic(&fact.topic) {
                for p in topic_phrases(topic) {
                    add(&p, W_TOPIC);
                }
            }
            for alias in &fact.aliases {
                let features = phrase_features(alias);
                if !features.is_empty() {
                    names.push(Phrase {
                        features,
                        anchor: Anchor::Fact(fi),
                    });
                }
            }
            doc_features.push(bag);
        }
        let n = k.facts.len().max(1) as f32;
        let mut df: HashMap<&str, usize> = HashMap::new();
        for bag in &doc_features {
            for f in bag.keys() {
                *df.entry(f.as_str()).or_default() += 1;
            }
        }
        let idf: HashMap<String, f32> = df
            .iter()
            .map(|(f, &d)| (f.to_string(), ((n + 1.0) / (d as f32 + 0.5)).ln()))
            .collect();
        let mut postings: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
        for (fi, bag) in doc_features.iter().enumerate() {
            for (f, &w) in bag {
                postings.entry(f.clone()).or_default().push((fi, w));
            }
        }
        let mut words: Vec<String> = idf
            .keys()
            .filter_map(|f| f.strip_prefix("w:"))
            .map(str::to_string)
            .collect();
        words.sort();
        let word_set = words.iter().cloned().collect();
        let intents = k
            .intents
            .iter()
            .flat_map(|i| {
                i.phrases
                    .iter()
                    .map(move |p| (normalize(p).text, i.id.clone()))
            })
            .collect();
        let mut names_by_feature: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, phrase) in names.iter().enumerate() {
            let rarest = phrase
                .features
                .iter()
                .max_by(|a, b| {
                    let idf = |f: &String| idf.get(f).copied().unwrap_or(0.0);
                    idf(a).total_cmp(&idf(b))
                })
                .expect("names have features");
            names_by_feature.entry(rarest.clone()).or_default().push(i);
        }
        Matcher {
            postings,
            idf,
            unknown_idf: ((n + 1.0) / 1.0).ln(),
            words,
            word_set,
            names,
            names_by_feature,
            bags: doc_features,
            fact_topic: k
                .facts
                .iter()
                .map(|f: &Fact| {
                    topic_index
                        .get(f.topic.as_str())
                        .copied()
                        .unwrap_or(usize::MAX)
                })
                .collect(),
            fact_asks: k.facts.iter().map(|f| f.asks.clone()).collect(),
            intents,
        }
    }

    /// The known word closest to an unknown one, forgiving a typo or two.
    fn correct(&self, word: &str) -> Option<String> {
        if word.len() < 4 || self.word_set.contains(word) {
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

    /// The question's features with typos corrected and split names joined
    /// ("cyber port" → "cyberport").
    fn question_features(&self, n: &Normalized) -> Vec<String> {
        let mut n = n.clone();
        let mut joined = Vec::new();
        let mut i = 0;
        while i < n.words.len() {
            if i + 1 < n.words.len() {
                let pair = format!("{}{}", n.words[i], n.words[i + 1]);
                if self.word_set.contains(&pair) && !self.word_set.contains(&n.words[i]) {
                    joined.push(pair);
                    i += 2;
                    continue;
                }
            }
            let w = &n.words[i];
            joined.push(if is_stop(w) {
                w.clone()
            } else {
                self.correct(w).unwrap_or_else(|| w.clone())
            });
            i += 1;
        }
        n.words = joined;
        features(&n)
    }

    fn idf_of(&self, feature: &str) -> f32 {
        let base = self.idf.get(feature).copied().unwrap_or(self.unknown_idf);
        // Single characters say less than words and bigrams.
        if feature.starts_with("c:") {
            base * 0.5
        } else {
            base
        }
    }

    /// A feature's weight in a fact's bag, 0 when absent.
    fn weight_in(&self, feature: &str, fact: usize) -> f32 {
        self.bags[fact].get(feature).copied().unwrap_or(0.0)
    }

    /// A conversational intent, when the question is only that.
    fn intent(&self, n: &Normalized) -> Option<String> {
        self.intents
            .iter()
            .filter(|(phrase, _)| {
                n.text == *phrase
                    || (n.text.starts_with(phrase.as_str()) && {
                        let rest = &n.text[phrase.len()..];
                        // "hi" must not greet in "his" or "history".
                        let whole_word = !(phrase.ends_with(|c: char| c.is_ascii_alphanumeric())
                            && rest.starts_with(|c: char| c.is_ascii_alphanumeric()));
                        whole_word && features(&normalize(rest)).is_empty()
                    })
            })
            .max_by_key(|(phrase, _)| phrase.len())
            .map(|(_, id)| id.clone())
    }

    pub fn rank(&self, n: &Normalized) -> Ranking {
        let asks = asks(n);
        let q = self.question_features(n);
        let intent = self.intent(n);
        let mass: f32 = q.iter().map(|f| self.idf_of(f)).sum();
        if q.is_empty() || mass <= 0.0 {
            return Ranking {
                candidates: Vec::new(),
                overview: None,
                intent,
                asks,
                empty: true,
            };
        }
        let qset: HashSet<&str> = q.iter().map(String::as_str).collect();
        let mut named: Vec<usize> = q
            .iter()
            .filter_map(|f| self.names_by_feature.get(f))
            .flatten()
            .copied()
            .collect();
        named.sort_unstable();
        named.dedup();
        let anchors: Vec<(&Phrase, f32)> = named
            .into_iter()
            .map(|i| &self.names[i])
            .filter(|p| p.features.iter().all(|f| qset.contains(f.as_str())))
            .map(|p| (p, p.features.iter().map(|f| self.idf_of(f)).sum::<f32>()))
            .collect();
        let mut explained: HashMap<usize, f32> = HashMap::new();
        for f in &q {
            if let Some(list) = self.postings.get(f) {
                let idf = self.idf_of(f);
                for &(doc, w) in list {
                    *explained.entry(doc).or_default() += idf * w;
                }
            }
        }
        let anchored_topics: HashSet<usize> = anchors
            .iter()
            .filter_map(|(p, _)| match p.anchor {
                Anchor::Topic(t) => Some(t),
                Anchor::Fact(_) => None,
            })
            .collect();
        let anchored_facts: HashSet<usize> = anchors
            .iter()
            .filter_map(|(p, _)| match p.anchor {
                Anchor::Fact(f) => Some(f),
                Anchor::Topic(_) => None,
            })
            .collect();
        let mut candidates: Vec<Candidate> = explained
            .into_iter()
            .map(|(fact, sum)| {
                let coverage = (sum / mass).min(1.0);
                let anchored = anchored_facts.contains(&fact)
                    || anchored_topics.contains(&self.fact_topic[fact]);
                let mut score = coverage;
                // A fact named by its own alias beats its topic's other facts.
                if anchored_facts.contains(&fact) {
                    score *= 1.2;
                }
                if !anchored {
                    score *= if anchors.is_empty() { 0.6 } else { 0.5 };
                }
                let form_fits = asks
                    .iter()
                    .any(|a| *a != Ask::What)
                    .then(|| asks.iter().any(|a| self.fact_asks[fact].contains(a)));
                match form_fits {
                    Some(true) => score *= 1.15,
                    Some(false) => score *= 0.7,
                    None => {}
                }
                Candidate {
                    fact,
                    score,
                    coverage,
                    anchored,
                    form_fits,
                    rest_fits: true,
                }
            })
            .collect();
        // Only the best few matter; a full sort would grow with the knowledge.
        if candidates.len() > MAX_CANDIDATES {
            candidates.select_nth_unstable_by(MAX_CANDIDATES, |a, b| {
                b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact))
            });
            candidates.truncate(MAX_CANDIDATES);
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        // A name in the question must not carry an answer about something
        // else: what the question says besides the name has to fit the fact
        // too ("Shenzhen's R&D spending", "大湾区有多少人口").
        // A fact named by its own alias is specific enough; the check is for
        // facts reached through their topic's name.
        for c in candidates.iter_mut().take(RESIDUAL_CHECKED) {
            if !c.anchored || anchored_facts.contains(&c.fact) {
                continue;
            }
            let named: HashSet<&str> = anchors
                .iter()
                .filter(|(p, _)| match p.anchor {
                    Anchor::Fact(f) => f == c.fact,
                    Anchor::Topic(t) => t == self.fact_topic[c.fact],
                })
                .flat_map(|(p, _)| p.features.iter().map(String::as_str))
                .collect();
            let (rest, rest_explained) = q.iter().filter(|f| !named.contains(f.as_str())).fold(
                (0.0, 0.0),
                |(all, hit), f| {
                    let idf = self.idf_of(f);
                    (all + idf, hit + idf * self.weight_in(f, c.fact))
                },
            );
            if rest > 0.0 && rest_explained < RESIDUAL_FIT * rest {
                c.score *= 0.5;
                c.rest_fits = false;
            }
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        // An overview when the question is a topic's name, perhaps with "what is".
        let overview = anchors
            .iter()
            .filter_map(|(p, weight)| match p.anchor {
                Anchor::Topic(t) => Some((t, *weight)),
                Anchor::Fact(_) => None,
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .filter(|(_, weight)| {
                let only_what = asks.iter().all(|a| *a == Ask::What);
                only_what && *weight >= 0.95 * mass
            })
            .map(|(t, _)| t);
        Ranking {
            candidates,
            overview,
            intent,
            asks,
            empty: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_form_of_a_question() {
        let ask = |q: &str| asks(&normalize(q));
        assert!(ask("When was iAM Smart launched?").contains(&Ask::When));
        assert!(ask("How many users does iAM Smart have?").contains(&Ask::HowMany));
        assert!(ask("智方便幾時推出?").contains(&Ask::When));
        assert!(ask("科學園面積有幾大").contains(&Ask::HowBig));
        assert!(ask("How much is the AI Subsidy Scheme?").contains(&Ask::HowMuch));
    }

    #[test]
    fn numbers_and_filler_are_not_features() {
        assert!(features(&normalize("what is the 78701 of the")).is_empty());
        assert!(features(&normalize("是多少？")).is_empty());
    }
}
