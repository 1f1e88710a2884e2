//! How people ask, as data (`knowledge/lexicon.toml`): colloquial forms and
//! their standard equivalents, stop words, concepts (words that mean the
//! same thing across languages), and the phrases that say what a question
//! asks for (attributes), which dated event it means, what narrows it
//! (qualifiers) and which batch or edition (ordinals). Curators extend it
//! without touching code; `factbot check` validates it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::problem::Problem;

/// The file, beside `sources.toml`. A knowledge folder without one uses the
/// lexicon built into the binary.
pub const FILE: &str = "lexicon.toml";

/// What a question asks for, and what a fact's figures and dates answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribute {
    /// A date or year.
    When,
    /// A number of things.
    #[serde(alias = "how-many")]
    Count,
    /// An amount of money.
    Money,
    /// A quantity of any kind: the words ("how much", a bare 多少) do not say which.
    #[serde(alias = "how-much")]
    Amount,
    /// A size of land or floor.
    #[serde(alias = "how-big")]
    Area,
    /// A percentage or proportion.
    Share,
    /// A matching ratio.
    Ratio,
    /// A length of time.
    Duration,
    /// Where something is.
    #[serde(alias = "where")]
    Place,
    /// A body or person responsible.
    Who,
    /// A role, purpose or description.
    What,
    /// What something is called.
    Name,
    /// Which named things: a list.
    Which,
    /// How many use something.
    Users,
    /// A yes-or-no question.
    #[serde(alias = "yesno")]
    YesNo,
    /// A general overview: "tell me about", "what is".
    Overview,
}

impl Attribute {
    /// A figure rather than a description or a date: what a year, a place
    /// or the question's other words narrow.
    pub fn is_quantity(self) -> bool {
        matches!(
            self,
            Attribute::Count
                | Attribute::Users
                | Attribute::Money
                | Attribute::Amount
                | Attribute::Area
                | Attribute::Share
                | Attribute::Ratio
                | Attribute::Duration
        )
    }

    /// A thing described (who, where, which, what, a name, a date), not a
    /// figure, an overview or whether something is so.
    pub fn is_description(self) -> bool {
        !self.is_quantity() && !matches!(self, Attribute::Overview | Attribute::YesNo)
    }
}

/// The dated events a "when" question may mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    Established,
    Launched,
    Renamed,
    Published,
    Opened,
    Completed,
    Signed,
    Held,
    Expanded,
}

impl Event {
    /// How something came to be: set up, launched, opened. The words for
    /// these overlap (an office "opens" when it is set up).
    pub fn is_beginning(self) -> bool {
        matches!(self, Event::Established | Event::Launched | Event::Opened)
    }

    /// A change to something that already was: a new name, a new design.
    pub fn is_change(self) -> bool {
        matches!(self, Event::Renamed | Event::Expanded)
    }

    /// Whether a fact's event is the one asked: itself, or, for any
    /// beginning, any other (a fund "starts" when it is set up).
    pub fn answers(self, asked: Event) -> bool {
        self == asked || (self.is_beginning() && asked.is_beginning())
    }
}

/// Words that narrow what a question asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// A figure for each one, or a maximum.
    PerUnit,
    /// A mean ("on average", 平均): the factsheet states none, but a
    /// total and a count it gives side by side tell one.
    Average,
    /// A monthly or yearly figure.
    PerPeriod,
    /// Part of a total ("of which", "其中"): a breakdown.
    Breakdown,
    /// A total so far.
    Cumulative,
    /// The newest figure.
    Latest,
    ThisYear,
    LastYear,
    NextYear,
    /// An amount on top of another ("extra", 追加, "beyond the original"):
    /// of a sum that adds to a first one, the addition alone.
    Extra,
    /// A time before the one named ("before April 2018").
    Before,
    /// What came after an event named ("after it was set up", 其後).
    After,
    /// A figure still to come ("how many will be installed").
    Future,
    /// Which particular companies, universities or start-ups: names the
    /// factsheet gives only where a fact names them.
    Members,
    /// Comparing or ranking.
    Comparison,
    /// Several things asked at once, a figure or date for each
    /// ("respectively", "分别").
    Each,
    /// One of things named offered to choose from ("X or Y", 還是, 定係):
    /// with two or more subjects named, which one is asked.
    Choice,
    /// Things named joined ("X and Y", 和, 同埋): with a total asked, they
    /// are added up.
    Joined,
    /// Things added together ("combined", 加埋): with two or more things
    /// named and a total asked, each one's figure is given; of one thing,
    /// only its total.
    Added,
    /// Asking for a judgement.
    Opinion,
    /// Of the whole city ("全港", "across Hong Kong"): a figure of one
    /// body or place (Cyberport's unicorns) is not it.
    Citywide,
    /// The whole of something done in parts ("both phases", "整體",
    /// "全部完成後"): a figure of one numbered part is not it.
    Whole,
    /// Asking what body a subject is within ("隶属于哪个政策局", "which
    /// bureau does it come under"): its owner, not the subject itself.
    Under,
    /// Asking what a body or a fund has under it ("轄下有哪些部門",
    /// "what's under the ITIB"): the topics within it, which its overview
    /// lists.
    Parts,
    /// The full form of a name ("full name", "stands for", 全名): of a
    /// subject named by another of its names, its own name.
    FullName,
    /// How big or large a thing is ("how big", 幾大, 規模): its area or
    /// its sum, not a count of some of its parts.
    Size,
    /// Asking what ought to be ("should", "应该"): a judgement, unless a
    /// date, a figure or a thing is asked ("by when should every service
    /// accept it", "which scheme should I look at"), which is what is
    /// planned or offered.
    Advice,
}

impl Qualifier {
    /// A cue read only beside others, so it may be a stop word: a choice
    /// ("or") or things joined ("and") count only where two or more
    /// subjects are named.
    pub fn is_broad(self) -> bool {
        matches!(self, Qualifier::Choice | Qualifier::Joined)
    }
}

/// A group of words that mean the same thing, across languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Concept {
    pub id: String,
    pub words: Vec<String>,
    /// A thing the factsheet does not give (staff, rent, downloads): a
    /// question about it is answered only by a fact that speaks of it.
    pub outside: bool,
    /// A place other than Hong Kong: the factsheet covers Hong Kong only.
    pub elsewhere: bool,
    /// A part of the whole the factsheet speaks of (a district, a new
    /// town, one university): a figure for it is given only by a fact
    /// about that part alone, not by a citywide one or a total over several.
    pub narrows: bool,
    /// Kinds of a thing ("types"): a count of kinds answers only a
    /// question that asks how many kinds.
    pub kinds: bool,
    /// A kind of area (land, floor space): an area asked of one kind is
    /// not given by a figure of another.
    pub area: bool,
    /// A field of technology or industry (AI, biotech): a figure asked for
    /// one field is given only by a fact that speaks of that field.
    pub field: bool,
    /// What a scheme has handed out (approved, granted): a sum asked of it
    /// is a running total, given only by a figure as of a date, never by
    /// a scheme's size.
    pub paid_out: bool,
    /// People of some kind (students): which of them is asked as who
    /// ("哪些學生": whom a scheme is for).
    pub persons: bool,
    /// A kind of body (an office, a bureau, a committee): which one is
    /// asked as who ("哪個機制"); which ones (哪些機構) are a list.
    pub body: bool,
    /// The concepts this one is the general word for: a count of people
    /// is given by a count of users, researchers or students.
    pub includes: Vec<String>,
    /// The concepts this one is a kind of: a count of unicorns is part of
    /// a count of companies.
    pub kind_of: Vec<String>,
}

/// How an English question asks whether: after a greeting (`openers`:
/// "hey", "so"), it opens with an auxiliary ("does", "is") and holds no
/// question word ("what", "how"). Each is one lower-case word.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Whether {
    pub openers: Vec<String>,
    pub auxiliaries: Vec<String>,
    pub question_words: Vec<String>,
}

/// How a question sets a thing aside ("besides Science Park", "除咗科學園
/// 以外"): from an opener to the end of its clause, which punctuation, a
/// closer (ending with it) or a word it comes before ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Besides {
    pub openers: Vec<String>,
    pub closers: Vec<String>,
    pub ends_before: Vec<String>,
}

/// The lexicon, checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Lexicon {
    /// Colloquial form → standard written Chinese.
    pub colloquial: Vec<(String, String)>,
    pub stop_en: Vec<String>,
    pub stop_zh: Vec<String>,
    /// Words of a request around a conversational phrase ("can you say
    /// it again in English", "可唔可以用英文講多次"), which ask nothing more.
    pub requests: Vec<String>,
    /// Words by which a follow-up asks what came after the last answer
    /// ("之後再注資咗幾多?"): it is not the last answer again.
    pub later: Vec<String>,
    /// Words that, right before a kind of thing the knowledge names, ask
    /// which one it is ("what scheme", "什么计划").
    pub kind_askers: Vec<String>,
    pub whether: Whether,
    pub besides: Besides,
    pub concepts: Vec<Concept>,
    pub attributes: Vec<(Attribute, Vec<String>)>,
    /// Words that name a kind of figure (money, 資金, budget) without
    /// asking it: they ask it only when nothing more particular is asked,
    /// or right before a bare 多少 (金額是多少).
    pub attribute_nouns: Vec<(Attribute, Vec<String>)>,
    pub events: Vec<(Event, Vec<String>)>,
    pub qualifiers: Vec<(Qualifier, Vec<String>)>,
    pub ordinals: Vec<(u8, Vec<String>)>,
    /// What ordinals number ("batch", "phase"), by id: the second batch
    /// is not the second phase.
    pub series: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStopwords {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    zh: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    id: String,
    words: Vec<String>,
    #[serde(default)]
    outside: bool,
    #[serde(default)]
    elsewhere: bool,
    #[serde(default)]
    narrows: bool,
    #[serde(default)]
    kinds: bool,
    #[serde(default)]
    area: bool,
    #[serde(default)]
    field: bool,
    #[serde(default)]
    paid_out: bool,
    #[serde(default)]
    persons: bool,
    #[serde(default)]
    body: bool,
    #[serde(default)]
    includes: Vec<String>,
    #[serde(default)]
    kind_of: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry<T> {
    id: T,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttribute {
    id: Attribute,
    phrases: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrdinal {
    n: u8,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    requests: Vec<String>,
    #[serde(default)]
    later: Vec<String>,
    #[serde(default)]
    kind_askers: Vec<String>,
    #[serde(default)]
    whether: Whether,
    #[serde(default)]
    besides: Besides,
    #[serde(default)]
    colloquial: BTreeMap<String, String>,
    stopwords: RawStopwords,
    #[serde(default)]
    concept: Vec<RawConcept>,
    #[serde(default)]
    attribute: Vec<RawAttribute>,
    #[serde(default)]
    event: Vec<RawEntry<Event>>,
    #[serde(default)]
    qualifier: Vec<RawEntry<Qualifier>>,
    #[serde(default)]
    ordinal: Vec<RawOrdinal>,
    #[serde(default)]
    series: Vec<RawSeries>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    id: String,
    words: Vec<String>,
}

/// Collects the lexicon's problems, each with its entry.
struct Checker<'a> {
    place: &'a str,
    problems: Vec<Problem>,
    /// English stop words, stemmed.
    stop: HashSet<String>,
}

impl Checker<'_> {
    fn problem(&mut self, entry: &str, message: String) {
        self.problems.push(Problem {
            place: self.place.to_string(),
            entry: entry.to_string(),
            message,
        });
    }

    /// Every word of a section's lists must be as `fits` says; one that is
    /// not is named with its list and `why`.
    fn words(
        &mut self,
        section: &str,
        lists: [(&str, &Vec<String>); 3],
        fits: impl Fn(&str) -> bool,
        why: &str,
    ) {
        for (key, words) in lists {
            for w in words.iter().filter(|w| !fits(w)) {
                self.problem(&format!("{section}.{key}"), format!("{w:?} {why}"));
            }
        }
    }

    /// Every phrase must have something to match, and more than a stop word
    /// (unless `broad`: a cue read only beside others).
    fn phrases(&mut self, entry: &str, phrases: &[String], broad: bool) {
        if phrases.is_empty() {
            self.problem(entry, "has no phrases: add some or remove it".into());
        }
        let mut listed = HashSet::new();
        for p in phrases {
            // Written twice, a phrase is an edit that went astray, and one
            // copy hides the other from the next curator's changes.
            if !listed.insert(p.to_lowercase()) {
                self.problem(entry, format!("lists {p:?} twice: remove one"));
            }
            let n = crate::normalize::normalize(p);
            if n.text.is_empty() {
                self.problem(
                    entry,
                    format!("phrase {p:?} has no letters or characters to match: remove it"),
                );
            } else if let [word] = n.words.as_slice() {
                if !broad && n.han_runs.is_empty() && self.stop.contains(word) {
                    self.problem(
                        entry,
                        format!("phrase {p:?} reads as the stop word {word:?}, so it would fire on almost any question: make it more specific or remove it"),
                    );
                }
            }
        }
    }
}

impl Lexicon {
    /// Reads and checks `lexicon.toml`; every problem is reported with the
    /// entry it is in.
    pub fn parse(place: &str, text: &str) -> (Lexicon, Vec<Problem>) {
        let mut check = Checker {
            place,
            problems: Vec::new(),
            stop: HashSet::new(),
        };
        let raw: RawLexicon = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                check.problem(
                    "",
                    format!(
                        "{} (fix the TOML syntax, or use an id the lexicon knows)",
                        e.message().trim()
                    ),
                );
                return (Lexicon::default(), check.problems);
            }
        };
        check.stop = raw
            .stopwords
            .en
            .iter()
            .flat_map(|w| {
                let w = w.to_lowercase();
                [crate::normalize::stem(&w), w]
            })
            .collect();
        let mut seen = HashSet::new();
        // A word stands for one concept; in two it would mean both.
        let mut owner: HashMap<String, &str> = HashMap::new();
        for c in &raw.concept {
            let entry = format!("concept {}", c.id);
            check.phrases(&entry, &c.words, false);
            if !seen.insert(c.id.clone()) {
                check.problem(&entry, "is defined twice: merge the two entries".into());
            }
            for w in &c.words {
                match owner.get(w.to_lowercase().as_str()) {
                    Some(other) if *other != c.id => check.problem(
                        &entry,
                        format!("word {w:?} is also in concept {other}: keep it in one of them"),
                    ),
                    _ => {
                        owner.insert(w.to_lowercase(), &c.id);
                    }
                }
            }
        }
        for a in &raw.attribute {
            check.phrases(&format!("attribute {:?}", a.id), &a.phrases, false);
            if !a.nouns.is_empty() {
                check.phrases(&format!("attribute {:?} nouns", a.id), &a.nouns, false);
            }
        }
        for e in &raw.event {
            check.phrases(&format!("event {:?}", e.id), &e.phrases, false);
        }
        for q in &raw.qualifier {
            check.phrases(
                &format!("qualifier {:?}", q.id),
                &q.phrases,
                q.id.is_broad(),
            );
        }
        for o in &raw.ordinal {
            check.phrases(&format!("ordinal {}", o.n), &o.phrases, false);
        }
        for s in &raw.series {
            check.phrases(&format!("series {:?}", s.id), &s.words, false);
        }
        for c in &raw.concept {
            let named = [("includes", &c.includes), ("kind_of", &c.kind_of)];
            for (key, ids) in named {
                for id in ids.iter().filter(|id| !seen.contains(*id)) {
                    check.problem(
                        &format!("concept {}", c.id),
                        format!("{key} {id:?}, which no concept is: use the id of a concept above"),
                    );
                }
            }
        }
        for (entry, words) in [
            ("requests", &raw.requests),
            ("later", &raw.later),
            ("kind_askers", &raw.kind_askers),
        ] {
            for r in words {
                if crate::normalize::normalize(r).text.is_empty() {
                    check.problem(
                        entry,
                        format!("{r:?} has no letters or characters to match: remove it"),
                    );
                }
            }
        }
        check.words(
            "whether",
            [
                ("openers", &raw.whether.openers),
                ("auxiliaries", &raw.whether.auxiliaries),
                ("question_words", &raw.whether.question_words),
            ],
            |w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '\''),
            "is not one lower-case English word, so it never matches: write it as one",
        );
        check.words(
            "besides",
            [
                ("openers", &raw.besides.openers),
                ("closers", &raw.besides.closers),
                ("ends_before", &raw.besides.ends_before),
            ],
            |w| !w.trim().is_empty() && w == w.trim() && !w.chars().any(|c| c.is_ascii_uppercase()),
            "is not written as the question would be, lower case and without spaces around it, so it never matches: write it so",
        );
        if raw.colloquial.keys().any(|from| from.trim().is_empty()) {
            check.problem("colloquial", "has an empty form: remove it".into());
        }
        let problems = check.problems;
        let mut colloquial: Vec<(String, String)> = raw.colloquial.into_iter().collect();
        // Longer forms first, so that 幾多錢 wins over 幾多.
        colloquial.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let (attributes, attribute_nouns) = raw
            .attribute
            .into_iter()
            .map(|e| ((e.id, e.phrases), (e.id, e.nouns)))
            .unzip();
        let lexicon = Lexicon {
            colloquial,
            stop_en: raw.stopwords.en,
            stop_zh: raw.stopwords.zh,
            requests: raw.requests,
            later: raw.later,
            kind_askers: raw.kind_askers,
            whether: raw.whether,
            besides: raw.besides,
            concepts: raw
                .concept
                .into_iter()
                .map(|c| Concept {
                    id: c.id,
                    words: c.words,
                    outside: c.outside || c.elsewhere,
                    elsewhere: c.elsewhere,
                    narrows: c.narrows,
                    kinds: c.kinds,
                    area: c.area,
                    field: c.field,
                    paid_out: c.paid_out,
                    persons: c.persons,
                    body: c.body,
                    includes: c.includes,
                    kind_of: c.kind_of,
                })
                .collect(),
            attributes,
            attribute_nouns,
            events: raw.event.into_iter().map(|e| (e.id, e.phrases)).collect(),
            qualifiers: raw
                .qualifier
                .into_iter()
                .map(|e| (e.id, e.phrases))
                .collect(),
            ordinals: raw.ordinal.into_iter().map(|o| (o.n, o.phrases)).collect(),
            series: raw.series.into_iter().map(|s| (s.id, s.words)).collect(),
        };
        (lexicon, problems)
    }
}
