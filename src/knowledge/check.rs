//! The checks knowledge must pass before factbot uses it: well-formed and
//! unique ids, three languages, references that resolve, consistent
//! milestones, and figure integrity across languages and against the source.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::digest::{self, Digest};
use super::{DateSpec, Fact, FigureValue, Knowledge, Precision, Problem, Status};
use crate::lang::Lang;
use crate::numbers::{self, DateMention, Mention, Mode};

/// The conversational intents the product relies on.
pub const REQUIRED_INTENTS: [&str; 4] = ["greeting", "help", "thanks", "about"];

const MIN_EXAMPLES: usize = 3;

/// What `factbot check` reports on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub facts: usize,
    pub topics: usize,
    pub intents: usize,
    pub figures: usize,
    pub milestones: usize,
}

impl Summary {
    pub fn of(knowledge: &Knowledge) -> Summary {
        Summary {
            facts: knowledge.facts.len(),
            topics: knowledge.topics.len(),
            intents: knowledge.intents.len(),
            figures: knowledge.facts.iter().map(|f| f.figures.len()).sum(),
            milestones: knowledge.milestones().count(),
        }
    }
}

struct Report {
    problems: Vec<Problem>,
}

impl Report {
    fn add(&mut self, place: impl ToString, entry: impl ToString, message: impl Into<String>) {
        self.problems.push(Problem {
            place: place.to_string(),
            entry: entry.to_string(),
            message: message.into(),
        });
    }
}

fn id_pattern() -> &'static Regex {
    static ID: OnceLock<Regex> = OnceLock::new();
    ID.get_or_init(|| Regex::new(r"^[a-z0-9]+(?:-[a-z0-9]+)*$").expect("valid pattern"))
}

/// Every problem of a parsed knowledge base; empty means it may be used.
pub fn check(k: &Knowledge) -> Vec<Problem> {
    let mut report = Report {
        problems: Vec::new(),
    };
    check_ids(k, &mut report);
    check_references(k, &mut report);
    check_phrases(k, &mut report);
    for fact in &k.facts {
        check_dates(k, fact, &mut report);
        check_figure_integrity(fact, &mut report);
    }
    for digest in &k.digests {
        if k.source(&digest.source).is_none() {
            report.add(
                format!("knowledge/{}", digest::FILE),
                format!("digest {}", digest.source),
                "names no source of sources.toml: remove it or fix the id",
            );
        }
        let whence = format!("the source (as knowledge/{} records it)", digest::FILE);
        check_figures_occur(k, digest, &whence, &mut report);
    }
    report.problems
}

/// Phrases the matcher reads must have something to match: an empty or
/// emoji-only phrase would match every question.
fn check_phrases(k: &Knowledge, report: &mut Report) {
    let mut empty = |origin: &super::Origin, entry: String, key: &str, phrase: &str| {
        if crate::normalize::normalize(phrase).text.is_empty() {
            report.add(
                origin,
                entry,
                format!("{key} {phrase:?} has no letters or characters to match: write a real phrase or remove it"),
            );
        }
    };
    for intent in &k.intents {
        for p in &intent.phrases {
            empty(&intent.origin, format!("intent {}", intent.id), "phrase", p);
        }
    }
    for topic in &k.topics {
        for (key, list) in [
            ("alias", &topic.aliases),
            ("description", &topic.descriptions),
            ("example", &topic.examples),
        ] {
            for p in list {
                empty(&topic.origin, format!("topic {}", topic.id), key, p);
            }
        }
    }
    for fact in &k.facts {
        for (key, list) in [
            ("alias", &fact.aliases),
            ("description", &fact.descriptions),
            ("keyword", &fact.keywords),
            ("example", &fact.examples),
        ] {
            for p in list {
                empty(&fact.origin, format!("fact {}", fact.id), key, p);
            }
        }
    }
}

fn check_ids(k: &Knowledge, report: &mut Report) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    let entries = k
        .sources
        .iter()
        .map(|s| ("source", s.id.as_str(), &s.origin))
        .chain(k.topics.iter().map(|t| ("topic", t.id.as_str(), &t.origin)))
        .chain(k.facts.iter().map(|f| ("fact", f.id.as_str(), &f.origin)))
        .chain(
            k.intents
                .iter()
                .map(|i| ("intent", i.id.as_str(), &i.origin)),
        );
    for (kind, id, origin) in entries {
        if !id_pattern().is_match(id) {
            report.add(
                origin,
                format!("{kind} {id:?}"),
                "ids are lower-case letters and digits joined by single '-': rename it",
            );
        }
        if let Some(first) = seen.get(id) {
            report.add(
                origin,
                format!("{kind} {id}"),
                format!("duplicate id: {first} already uses it; give this entry its own id"),
            );
        } else {
            seen.insert(id, format!("the {kind} at {origin}"));
        }
    }
}

fn check_references(k: &Knowledge, report: &mut Report) {
    for topic in &k.topics {
        for owner in &topic.within {
            let problem = match k.topic(owner) {
                _ if *owner == topic.id => {
                    "names the topic itself: list the topics it belongs to, not itself"
                }
                None => "names no topic: use the id of a [[topic]] or remove it",
                Some(o) if o.within.contains(&topic.id) => {
                    "is a topic within this one: a topic cannot be within one within it"
                }
                Some(_) => continue,
            };
            report.add(
                &topic.origin,
                format!("topic {}", topic.id),
                format!("`within` {owner:?} {problem}"),
            );
        }
    }
    for fact in &k.facts {
        let entry = format!("fact {}", fact.id);
        if let Some(base) = &fact.adds_to {
            let problem = match k.fact(base) {
                None => {
                    Some("names no fact: use the id of a [[fact]] of the same topic or remove it")
                }
                Some(b) if b.id == fact.id => {
                    Some("names the fact itself: name the fact whose sum this one adds to")
                }
                Some(b) if b.topic != fact.topic => {
                    Some("names a fact of another topic: the two must be of one subject")
                }
                Some(b) if b.adds_to.is_some() => {
                    Some("names a fact that itself adds to another: name the first one")
                }
                Some(_) => None,
            };
            if let Some(problem) = problem {
                report.add(
                    &fact.origin,
                    &entry,
                    format!("`adds_to` {base:?} {problem}"),
                );
            }
        }
        if !fact.topic.is_empty() && k.topic(&fact.topic).is_none() {
            report.add(
                &fact.origin,
                &entry,
                format!(
                    "topic {:?} does not exist: add a [[topic]] with that id or fix the name",
                    fact.topic
                ),
            );
        }
        match k.source(&fact.source) {
            None if !fact.source.is_empty() => report.add(
                &fact.origin,
                &entry,
                format!(
                    "source {:?} does not exist: use an id from sources.toml",
                    fact.source
                ),
            ),
            Some(source) if source.section(&fact.section).is_none() => report.add(
                &fact.origin,
                &entry,
                format!(
                    "section {:?} is not a section of source {}: use one listed in sources.toml",
                    fact.section, source.id
                ),
            ),
            _ => {}
        }
        if fact.examples.len() < MIN_EXAMPLES {
            report.add(
                &fact.origin,
                &entry,
                format!("has {} example question(s): write at least {MIN_EXAMPLES}, across the languages", fact.examples.len()),
            );
        }
    }
    for topic in &k.topics {
        if topic.examples.len() < MIN_EXAMPLES {
            report.add(
                &topic.origin,
                format!("topic {}", topic.id),
                format!(
                    "has {} example question(s): write at least {MIN_EXAMPLES}",
                    topic.examples.len()
                ),
            );
        }
        if k.facts_of(&topic.id).next().is_none() {
            report.add(
                &topic.origin,
                format!("topic {}", topic.id),
                "no fact belongs to this topic: add facts or remove the topic",
            );
        }
    }
    for id in REQUIRED_INTENTS {
        if k.intent(id).is_none() {
            report.add(
                "knowledge/intents.toml",
                format!("intent {id}"),
                "is missing: the bot needs it to reply",
            );
        }
    }
    for intent in &k.intents {
        if intent.phrases.is_empty() {
            report.add(
                &intent.origin,
                format!("intent {}", intent.id),
                "has no `phrases` to recognise it by",
            );
        }
    }
}

fn check_dates(k: &Knowledge, fact: &Fact, report: &mut Report) {
    let entry = format!("fact {}", fact.id);
    let Some(source) = k.source(&fact.source) else {
        return;
    };
    let edition = source.edition_date;
    for figure in &fact.figures {
        if figure.unit.trim().is_empty() {
            report.add(
                &fact.origin,
                &entry,
                format!("figure {} has an empty `unit`", figure.value),
            );
        }
        if let Some(as_of) = figure.as_of {
            if as_of.start() > edition.end() {
                report.add(
                    &fact.origin,
                    &entry,
                    format!("figure {} is as of {as_of}, after the source's edition ({edition}): check the date", figure.value),
                );
            }
        }
    }
    if let Some(m) = &fact.milestone {
        if !m.precision.fits(&m.date) {
            report.add(
                &fact.origin,
                &entry,
                format!("milestone date {} cannot have precision {:?}: within-year and end-of-year take a bare year, financial-year a YYYY-YY", m.date, m.precision),
            );
        }
        let inconsistent = match m.status {
            Status::Past => m.date.start() > edition.end(),
            Status::Planned => {
                m.date.end() < edition.start() && m.precision != Precision::WithinYear
            }
        };
        if inconsistent {
            report.add(
                &fact.origin,
                &entry,
                format!("milestone {} is marked {:?} but the source's edition is {edition}: correct the status or the date", m.date, m.status),
            );
        }
    }
}

/// The dates a fact declares: its figures' "as of" dates and its milestone.
fn declared_dates(fact: &Fact) -> Vec<DateSpec> {
    let mut dates: Vec<DateSpec> = fact.figures.iter().filter_map(|f| f.as_of).collect();
    dates.extend(fact.milestone.as_ref().map(|m| m.date));
    dates.dedup();
    dates
}

/// Whether a date read in a text can stand for a declared date.
fn date_fits(mention: &DateMention, declared: &DateSpec) -> bool {
    mention.fiscal == declared.fiscal
        && mention.year.is_none_or(|y| y == declared.year)
        && mention.month.is_none_or(|m| declared.month == Some(m))
        && mention.day.is_none_or(|d| declared.day == Some(d))
}

/// Whether a text's mention states a declared date in full.
fn states_date(mention: &Mention, declared: &DateSpec) -> bool {
    match mention {
        Mention::Date(d) => {
            d.year == Some(declared.year)
                && d.fiscal == declared.fiscal
                && (declared.month.is_none() || d.month == declared.month)
                && (declared.day.is_none() || d.day == declared.day)
        }
        _ => false,
    }
}

fn states_figure(mention: &Mention, value: &FigureValue, unit: &str) -> bool {
    match (mention, value) {
        (Mention::Quantity(q), FigureValue::Number(v)) => numbers::same_value(*q, *v),
        (Mention::Ratio(a, b), FigureValue::Ratio(x, y)) => (a, b) == (x, y),
        (Mention::Date(d), FigureValue::Number(v)) if unit == "month" => {
            d.month.is_some_and(|m| f64::from(m) == *v)
        }
        (Mention::Date(d), FigureValue::Number(v)) => {
            d.month.is_none() && d.year.is_some_and(|y| f64::from(y) == *v)
        }
        _ => false,
    }
}

fn is_declared(fact: &Fact, dates: &[DateSpec], mention: &Mention) -> bool {
    fact.figures
        .iter()
        .any(|f| states_figure(mention, &f.value, &f.unit))
        || match mention {
            Mention::Date(d) => dates.iter().any(|declared| date_fits(d, declared)),
            _ => false,
        }
}

/// The text with the fact's digit-bearing names blanked out.
fn without_names(fact: &Fact, text: &str, lang: Lang) -> String {
    let mut masked = text.to_string();
    for name in &fact.number_names {
        let forms = if lang == Lang::ZhHant {
            vec![name.clone(), crate::script::to_traditional_hk(name)]
        } else {
            vec![name.clone()]
        };
        for form in forms {
            masked = masked.replace(&form, &" ".repeat(form.chars().count()));
        }
    }
    masked
}

fn check_figure_integrity(fact: &Fact, report: &mut Report) {
    let entry = format!("fact {}", fact.id);
    let dates = declared_dates(fact);
    let languages: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|&l| l != Lang::ZhHant || fact.text.hant_written)
        .collect();
    for lang in languages {
        let text = fact.text.get(lang);
        let masked = without_names(fact, text, lang);
        // Numbers are read in ASCII digits; any other digit would slip past.
        let foreign: String = masked
            .chars()
            .filter(|c| c.is_numeric() && !c.is_ascii_digit())
            .collect();
        if !foreign.is_empty() {
            report.add(
                &fact.origin,
                &entry,
                format!("the {lang} text writes {foreign:?} in digits other than 0-9: write figures in ASCII digits, or list the name they are part of in `number_names`"),
            );
        }
        let found = numbers::mentions(&masked, Mode::Strict);
        for f in &found {
            if !is_declared(fact, &dates, &f.mention) {
                report.add(
                    &fact.origin,
                    &entry,
                    format!(
                        "the {lang} text says {:?}, which is none of the fact's figures or dates: declare it in `figures`, correct the text, or list the name it is part of in `number_names`",
                        f.text
                    ),
                );
            }
        }
        if lang == Lang::ZhHant {
            continue;
        }
        let mentions: Vec<Mention> = found.into_iter().map(|f| f.mention).collect();
        for figure in &fact.figures {
            if !mentions
                .iter()
                .any(|m| states_figure(m, &figure.value, &figure.unit))
            {
                report.add(
                    &fact.origin,
                    &entry,
                    format!(
                        "figure {} {} is declared but the {lang} text does not state it: write it in the text (in digits) or remove the figure",
                        figure.value, figure.unit
                    ),
                );
            }
        }
        for date in &dates {
            if !mentions.iter().any(|m| states_date(m, date)) {
                report.add(
                    &fact.origin,
                    &entry,
                    format!("date {date} (an `as_of` or the milestone) is declared but the {lang} text does not state it: write it in the text"),
                );
            }
        }
    }
}

/// Every figure and date of a source's facts must occur among the mentions
/// the source makes; `whence` names where those mentions were read.
fn check_figures_occur(k: &Knowledge, digest: &Digest, whence: &str, report: &mut Report) {
    for fact in k.facts.iter().filter(|f| f.source == digest.source) {
        let entry = format!("fact {}", fact.id);
        for figure in &fact.figures {
            if !digest
                .mentions
                .iter()
                .any(|m| states_figure(m, &figure.value, &figure.unit))
            {
                report.add(
                    &fact.origin,
                    &entry,
                    format!(
                        "figure {} {} does not occur in {whence}: check it against the source",
                        figure.value, figure.unit
                    ),
                );
            }
        }
        for date in declared_dates(fact) {
            if !digest.mentions.iter().any(|m| states_date(m, &date)) {
                report.add(
                    &fact.origin,
                    &entry,
                    format!("date {date} does not occur in {whence}: check it against the source"),
                );
            }
        }
    }
}

/// Checks the knowledge against a source document's own text: its facts'
/// figures and dates must occur there, and the shipped digest must match
/// what the text states. Returns the digest read from the text.
pub fn check_against(
    k: &Knowledge,
    source: &str,
    source_path: &str,
    source_text: &str,
) -> (Digest, Vec<Problem>) {
    let digest = Digest::read(source, source_text);
    let mut report = Report {
        problems: Vec::new(),
    };
    check_figures_occur(k, &digest, source_path, &mut report);
    match k.digest(source) {
        Some(shipped) if shipped.same_as(&digest) => {}
        Some(_) => report.add(
            format!("knowledge/{}", digest::FILE),
            format!("digest {source}"),
            format!("does not match {source_path}: write it again with `factbot check --against {source_path} --write-digest`"),
        ),
        None => report.add(
            format!("knowledge/{}", digest::FILE),
            format!("digest {source}"),
            format!("is missing, so clones without the source cannot check figures: write it with `factbot check --against {source_path} --write-digest`"),
        ),
    }
    (digest, report.problems)
}
