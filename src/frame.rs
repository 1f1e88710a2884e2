//! A question read as a frame: what it asks for (attributes such as a
//! count, an amount of money, a date), which dated event it means, and
//! what narrows it (a year, a batch or edition, "per project", "monthly").
//! The subject is found by the matcher, from names and descriptions; the
//! frame is what the lexicon says about the rest of the question.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::knowledge::{Attribute, Event, Lexicon, Qualifier, Whether};
use crate::matcher::drop_marked;
use crate::matcher::phrases::{Hit, PhraseIndex, Span};
use crate::normalize::{Normalized, Normalizer};

/// The least number that, stated in a question, singles out a figure of
/// the knowledge; smaller ones are counts of what is named ("the two
/// schemes", "1+", "17 times 23").
pub const STATED_FIGURE_MIN: f64 = 100.0;

/// The most things a question counts in passing ("the three InnoParks").
const FEW: f64 = 10.0;

/// One kind of lexicon entry a phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Attribute(Attribute),
    /// A word that names a kind of figure without asking it ("money").
    Named(Attribute),
    Event(Event),
    Qualifier(Qualifier),
    Ordinal(u8),
}

/// What a question asks, apart from its subject.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub attributes: Vec<Attribute>,
    pub events: Vec<Event>,
    pub qualifiers: Vec<Qualifier>,
    pub ordinals: Vec<u8>,
    /// Ordinals the question goes past ("after the first injection",
    /// "第一次注资之后"): what it asks came after them.
    pub passed: Vec<u8>,
    /// Ordinals with what they number, where the words say ("the second
    /// batch": 2 of the lexicon's series "batch", by its index).
    pub numbered: Vec<(u8, usize)>,
    /// Years the question names ("in 2020", "2019年").
    pub years: Vec<i32>,
    /// Other numbers it states ("the HK$10 billion platform"): figures the
    /// asker already knows, so not what is asked.
    pub quantities: Vec<f64>,
    /// Months it names with their year ("截至2025年5月底", "May 2025"):
    /// a figure as of another month of that year is not the one asked.
    pub months: Vec<(i32, u8)>,
    /// Years whose end it names ("by the end of 2025", "2025年底"): a
    /// figure as of an earlier month of that year is not the one asked.
    pub year_ends: Vec<i32>,
    /// It names a financial year ("2025-26", 2024/25年度): a figure of that
    /// one year, which a total to a date or a scheme's size is not.
    pub financial_year: Option<i32>,
    /// Where the cues were found, so the rest of the question can be told apart.
    pub spans: Vec<(Span, Cue)>,
    /// The question's own words for what it asks ("how big", "几多钱"),
    /// normalised: what a follow-up naming only a new subject keeps.
    pub asked: Vec<String>,
}

impl Frame {
    pub fn asks(&self, attribute: Attribute) -> bool {
        self.attributes.contains(&attribute)
    }

    pub fn has(&self, qualifier: Qualifier) -> bool {
        self.qualifiers.contains(&qualifier)
    }

    /// The attribute the question is mainly about: the most specific one.
    /// One with only "in total" or "so far" asks for some quantity.
    pub fn main_attribute(&self) -> Option<Attribute> {
        const SPECIFIC_FIRST: [Attribute; 16] = [
            Attribute::Users,
            Attribute::Area,
            Attribute::Share,
            // A sum asked of what its matching or term describes
            // ("以配對形式資助……涉及多少錢") asks the sum.
            Attribute::Money,
            Attribute::Ratio,
            Attribute::Duration,
            Attribute::Count,
            Attribute::Amount,
            Attribute::When,
            Attribute::Place,
            Attribute::Who,
            Attribute::Name,
            Attribute::Which,
            Attribute::What,
            Attribute::YesNo,
            Attribute::Overview,
        ];
        // Money named in a yes-or-no question that states no sum is what
        // it asks about, not for: "can I pay the fees by e-wallet?". A sum
        // it states describes what else it asks: "the HK$10 billion
        // programme: how many researchers?", "the new HK$10 billion fund
        // will target which sectors?"
        let money_named = if self.quantities.is_empty() {
            self.asks(Attribute::YesNo)
        } else {
            self.attributes.iter().any(|a| {
                !matches!(
                    a,
                    Attribute::Money | Attribute::Amount | Attribute::Overview | Attribute::YesNo
                )
            })
        };
        // So does an area it states, asked where, when, which or what it
        // is called: "占地22公顷的那个科技园区在哪里" asks where; or asked
        // what, when the area is a figure to look up ("what does the
        // figure of about 13,000 square metres describe?"), not a count
        // ("the three InnoParks").
        // A small number is how many things there are ("the two parks",
        // "the three estates run by it"), not an area.
        let area_stated = self.quantities.iter().any(|&q| q > FEW)
            && self.attributes.iter().any(|a| {
                matches!(
                    a,
                    Attribute::Place
                        | Attribute::When
                        | Attribute::Which
                        | Attribute::Who
                        | Attribute::Name
                ) || *a == Attribute::What && self.states_a_figure()
            });
        // A matching described ("以配對形式資助……的計劃叫甚麼", 哪个计划以
        // 配对形式) is how the thing whose name is asked, or which, works.
        // So is one named in a yes-or-no question that states no ratio:
        // "係咪用配對形式?" asks whether it works so.
        let ratio_described = self.asks(Attribute::Name)
            || self.asks(Attribute::Which)
            || self.asks(Attribute::YesNo) && self.quantities.is_empty();
        let described = [
            (money_named, Attribute::Money),
            (ratio_described, Attribute::Ratio),
            (area_stated, Attribute::Area),
        ];
        SPECIFIC_FIRST
            .into_iter()
            .filter(|a| !described.contains(&(true, *a)))
            .find(|a| self.asks(*a))
            .or_else(|| self.has(Qualifier::Cumulative).then_some(Attribute::Amount))
    }

    /// Whether the question states this value.
    pub fn states(&self, value: f64) -> bool {
        self.quantities
            .iter()
            .any(|&q| crate::numbers::same_value(q, value))
    }

    /// Whether the question states a number large enough to single out
    /// the figure it is ("the 1,234 quotas"), as small numbers do not
    /// ("the two schemes", "Building 18W").
    pub fn states_a_figure(&self) -> bool {
        self.quantities.iter().any(|&q| q >= STATED_FIGURE_MIN)
    }

    /// Whether the question asks nothing in particular: a name alone, or
    /// "tell me about" it.
    pub fn only_overview(&self) -> bool {
        self.only(&[Attribute::Overview, Attribute::YesNo], &[])
    }

    /// Whether the question asks only what something is or does: "what
    /// does TechTAS do?", "數字辦負責什麼?"; or the full form of its name:
    /// "生產力局嘅全名係咩", "what does DPO stand for".
    pub fn only_what_it_is(&self) -> bool {
        const WHAT_IT_IS: [Attribute; 3] = [Attribute::Overview, Attribute::YesNo, Attribute::What];
        self.only(&WHAT_IT_IS, &[])
            || self.only(
                &[Attribute::Name, WHAT_IT_IS[0], WHAT_IT_IS[1], WHAT_IT_IS[2]],
                &[Qualifier::FullName],
            )
    }

    /// Whether the question asks nothing but these attributes, with
    /// exactly these qualifiers, of no event, year or batch.
    fn only(&self, attributes: &[Attribute], qualifiers: &[Qualifier]) -> bool {
        self.attributes.iter().all(|a| attributes.contains(a))
            && self.events.is_empty()
            && self.qualifiers == qualifiers
            && self.ordinals.is_empty()
            && self.years.is_empty()
    }

    /// Whether the question narrows what is asked, to a period or a part
    /// ("and in 2020?", "in total?", "per project?").
    pub fn narrows(&self) -> bool {
        use Qualifier::*;
        self.names_a_period()
            || self.qualifiers.iter().any(|q| {
                matches!(
                    q,
                    PerUnit
                        | Average
                        | PerPeriod
                        | Breakdown
                        | Cumulative
                        | Latest
                        | Before
                        | Future
                        | Each
                )
            })
    }

    /// Whether the question names a particular year or a relative one.
    pub fn names_a_period(&self) -> bool {
        !self.years.is_empty()
            || self.has(Qualifier::ThisYear)
            || self.has(Qualifier::LastYear)
            || self.has(Qualifier::NextYear)
    }
}

/// Reads frames with the lexicon's phrases.
pub struct FrameReader {
    cues: PhraseIndex<Cue>,
    /// The lexicon's series, by index: English words stemmed, Chinese
    /// words in Simplified.
    series: Vec<(Vec<String>, Vec<String>)>,
    whether: Whether,
}

/// Whether a judgement's phrase ending in 用 ("有冇用") runs into what is
/// used: the next character is more of the question, not a particle.
fn uses_what_follows(n: &Normalized, span: &Span) -> bool {
    let Span::Text(range) = span else {
        return false;
    };
    let next = n.text[range.end..].chars().next();
    n.text[range.clone()].ends_with('用')
        && next.is_some_and(|c| crate::script::is_han(c) && !"嗎吗呀啊㗎呢咩啦喎嘅架".contains(c))
}

/// Whether a figure (not a year) follows a span, past a currency.
fn precedes_figure(n: &Normalized, span: &Span) -> bool {
    let is_figure = |t: &str| {
        let amount = t.rsplit('$').next().unwrap_or(t);
        let digits: String = amount.chars().take_while(char::is_ascii_digit).collect();
        !digits.is_empty() && years_in(&digits).is_empty()
    };
    // "two million" is a figure as "2 million" is.
    let is_sum_in_words = |w: &[String]| {
        matches!(w, [number, scale, ..]
            if crate::numbers::english_number_word(number).is_some()
                && crate::numbers::scale_of(scale) > 1.0)
    };
    match span {
        Span::Words(range) => {
            let after = &n.words[range.end..];
            let skip = after
                .iter()
                .take(2)
                .take_while(|w| matches!(w.as_str(), "hk" | "us" | "rmb" | "usd" | "hkd"))
                .count();
            let after = &after[skip..];
            // An ordinal that ends in a number ("first 2", "first two")
            // before a scale is that figure's tier: "the first 2 million".
            let ends_in_sum = match (n.words[..range.end].last(), after.first()) {
                (Some(number), Some(scale)) => {
                    (is_figure(number) || crate::numbers::english_number_word(number).is_some())
                        && crate::numbers::scale_of(scale) > 1.0
                }
                _ => false,
            };
            ends_in_sum || after.first().is_some_and(|w| is_figure(w)) || is_sum_in_words(after)
        }
        Span::Text(range) => {
            let rest = n.text[range.end..].trim_start();
            let rest = ["以", "的", "港币", "港元"]
                .iter()
                .fold(rest, |r, p| r.strip_prefix(p).unwrap_or(r).trim_start());
            is_figure(rest)
        }
    }
}

/// Whether an English question asks whether: it opens with an auxiliary
/// ("does it cover…", "hey, is it free") and holds no question word, so a
/// word of inclusion in it ("cover", "include") asks whether one thing is
/// included, not which are. "Can you list…" is a request, not a question
/// of whether.
/// The words are the lexicon's `[whether]`.
fn asks_whether(n: &Normalized, whether: &Whether) -> bool {
    let Some(mut words) = english_words(n, whether) else {
        return false;
    };
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    holds(&whether.auxiliaries, first)
        && second != "you"
        && !words
            .chain([second])
            .any(|w| holds(&whether.question_words, w))
}

/// Whether `w` is one of the lexicon's words in `list`.
fn holds(list: &[String], w: &str) -> bool {
    list.iter().any(|x| x == w)
}

/// The words of an English question after its greeting (the lexicon's
/// `openers`); `None` for a question in Chinese.
fn english_words<'a>(
    n: &'a Normalized,
    whether: &'a Whether,
) -> Option<impl Iterator<Item = &'a str>> {
    n.han_runs.is_empty().then(|| {
        n.text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .skip_while(|w| holds(&whether.openers, w))
    })
}

/// Whether an English question asks what with "what" before a noun and
/// an auxiliary, where no phrase names the noun: "what core areas does
/// HKPC work in?", "what study will the government start in 2025?". (Not
/// "which": "what annual funding can each university get" asks a sum.)
fn asks_what_noun(n: &Normalized, whether: &Whether) -> bool {
    let Some(mut words) = english_words(n, whether) else {
        return false;
    };
    if words.next() != Some("what") {
        return false;
    }
    // The noun runs up to an auxiliary, which must follow ("what about
    // Cyberport?" asks nothing of a noun).
    let rest: Vec<&str> = words.collect();
    let Some(auxiliary) = rest.iter().position(|w| holds(&whether.auxiliaries, w)) else {
        return false;
    };
    let noun = &rest[..auxiliary];
    (1..=3).contains(&noun.len()) && !noun.iter().any(|w| holds(&whether.question_words, w))
}

/// Whether an ordinal is one the question goes past: "after the first",
/// "beyond the initial", "第一次注资之后" (before the clause ends).
fn goes_past(n: &Normalized, span: &Span) -> bool {
    match span {
        Span::Words(range) => n.words[..range.start]
            .iter()
            .rev()
            .find(|w| !matches!(w.as_str(), "the" | "its" | "that" | "this"))
            .is_some_and(|w| matches!(w.as_str(), "after" | "beyond" | "besides" | "past")),
        Span::Text(range) => {
            let rest = &n.text[range.end..];
            let clause = rest
                .split(|c: char| "，,。？?！!；;".contains(c))
                .next()
                .unwrap_or(rest);
            ["之后", "以后", "以外", "过后"]
                .iter()
                .any(|p| clause.contains(p))
        }
    }
}

/// Whether a text asks from a year on ("since 1999"), or from what it
/// spoke of, ending with "since".
fn since_a_year(text: &str) -> bool {
    static SINCE: OnceLock<Regex> = OnceLock::new();
    SINCE
        .get_or_init(|| {
            Regex::new(r"\bsince\s+(?:19|20)[0-9]{2}\b|\bsince\W*$").expect("valid pattern")
        })
        .is_match(text)
}

/// The years whose end a text names: "end of 2025", "end-2025",
/// "2025 year-end", "2025年底", "2025年年尾".
fn year_ends_in(text: &str) -> Vec<i32> {
    static END: OnceLock<Regex> = OnceLock::new();
    let end = END.get_or_init(|| {
        Regex::new(
            r"\bend\s*(?:of\s+)?(?:the\s+)?(?:year\s+)?((?:19|20)[0-9]{2})\b|\b((?:19|20)[0-9]{2})\s*year\s*end\b|((?:19|20)[0-9]{2})\s*年\s*(?:年底|年尾|年末|底|尾|末)",
        )
        .expect("valid pattern")
    });
    end.captures_iter(text)
        .filter_map(|c| (1..=3).find_map(|i| c.get(i))?.as_str().parse().ok())
        .collect()
}

/// The months a text names with their year: those its number mentions
/// read (Chinese, "2025年5月"), and English ones ("may 2025"), which the
/// mentions' capitalised month names do not find in a lower-case question.
fn months_in(text: &str, found: &[crate::numbers::Found]) -> Vec<(i32, u8)> {
    static EN: OnceLock<Regex> = OnceLock::new();
    let en = EN.get_or_init(|| {
        let names = crate::numbers::MONTHS.map(str::to_lowercase).join("|");
        Regex::new(&format!(r"\b({names})\s+((?:19|20)[0-9]{{2}})\b")).expect("valid pattern")
    });
    let mut months: Vec<(i32, u8)> = found
        .iter()
        .filter_map(|f| match &f.mention {
            crate::numbers::Mention::Date(d) => Some((d.year?, d.month?)),
            _ => None,
        })
        .collect();
    for c in en.captures_iter(text) {
        let month = crate::numbers::MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(&c[1]));
        if let (Some(m), Ok(y)) = (month, c[2].parse()) {
            months.push((y, m as u8 + 1));
        }
    }
    months
}

/// The financial year a text names, by the year it starts: a year and the
/// next, joined ("2025-26", "2024/25", "2025-2026"; normalised, the dash
/// is a space); not a span of several years.
fn names_financial_year(text: &str) -> Option<i32> {
    static SPAN: OnceLock<Regex> = OnceLock::new();
    let re = SPAN.get_or_init(|| {
        Regex::new(r"(^|[^0-9])((?:19|20)[0-9]{2}) ?[-/– ] ?([0-9]{2}|[0-9]{4})([^0-9]|$)")
            .expect("valid pattern")
    });
    re.captures_iter(text).find_map(|c| {
        let (start, end) = (c[2].parse::<i32>().ok()?, c[3].parse::<i32>().ok()?);
        (end == start + 1 || end == (start + 1) % 100).then_some(start)
    })
}

/// Four-digit numbers from 1900 to 2099 that are not sums or counts: not
/// after a currency sign or a larger unit (11亿2000万元, HK$2000) nor
/// before a unit of amount (2000万, 2000个).
/// The units are fewer than `numbers`' measure words on purpose: a bare
/// year is often followed by a verb or adjective that is also a measure
/// word (2015成立, 2024批出, 2019大湾区纲要).
fn years_in(text: &str) -> Vec<i32> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let re = YEAR.get_or_init(|| {
        Regex::new(r"(^|[^0-9])((?:19|20)[0-9]{2})([^0-9]|$)").expect("valid pattern")
    });
    let amount = |before: &str, after: &str| {
        before.ends_with(['$', '亿', '億'])
            || after.starts_with([
                '万', '萬', '亿', '億', '元', '个', '個', '间', '間', '家', '人', '名', '项', '項',
            ])
    };
    let mut years: Vec<i32> = re
        .captures_iter(text)
        .filter(|c| !amount(&c[1], &c[3]))
        .filter_map(|c| c[2].parse().ok())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Years that say which thing is meant, not the period asked: "the 1999
/// innovation fund", "the 2024 outline", "the initial 1999 funding".
fn naming_years(text: &str) -> Vec<i32> {
    static NAMING: OnceLock<Regex> = OnceLock::new();
    let re = NAMING.get_or_init(|| {
        Regex::new(r"\bthe (?:(?:first|initial|original) )?((?:19|20)[0-9]{2}) [a-z]")
            .expect("valid pattern")
    });
    re.captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .collect()
}

/// Whether a qualifier's phrase may share words with an attribute's, both
/// holding: a breakdown's with a quantity's ("中有多少", of which, and
/// "多少个", how many), the members' with any but who's ("在哪几" and
/// "哪几所大学"; "由哪间公司" asks who, one company), a target's with a
/// quantity's ("target number of" is a figure to come, and a count).
fn share_words(qualifier: &Cue, attribute: &Cue) -> bool {
    match (qualifier, attribute) {
        (Cue::Qualifier(Qualifier::Breakdown | Qualifier::Future), Cue::Attribute(a)) => {
            a.is_quantity()
        }
        (Cue::Qualifier(Qualifier::Members), Cue::Attribute(a)) => *a != Attribute::Who,
        _ => false,
    }
}

/// Where two cues cross, the one that starts first (the longer, if both
/// start together) is what was written: "signed up to" is users, not "up
/// to" (unless they `share_words`). A cue inside another stays: "何時成立"
/// asks when, and of a setting up.
fn longest_first(mut hits: Vec<Hit<Cue>>) -> Vec<Hit<Cue>> {
    let key = |h: &Hit<Cue>| match &h.span {
        Span::Words(r) => (0, r.start, usize::MAX - r.len()),
        Span::Text(r) => (1, r.start, usize::MAX - r.len()),
    };
    hits.sort_by_key(key);
    let mut taken: Vec<Hit<Cue>> = Vec::new();
    for hit in hits {
        let crosses = taken.iter().any(|t| match (&t.span, &hit.span) {
            _ if share_words(&t.value, &hit.value) || share_words(&hit.value, &t.value) => false,
            (Span::Words(a), Span::Words(b)) | (Span::Text(a), Span::Text(b)) => {
                let inside = (a.start <= b.start && b.end <= a.end)
                    || (b.start <= a.start && a.end <= b.end);
                b.start < a.end && a.start < b.end && !inside
            }
            _ => false,
        });
        if !crosses {
            taken.push(hit);
        }
    }
    taken
}

/// A sum's phrase whose 多少 runs into a count's ("投资多少家公司": 投资多少
/// and 多少家) asks how many: the measure word says what is counted.
/// Without this the longer sum, found first, would hide the count.
fn counted_over_sums(mut hits: Vec<Hit<Cue>>) -> Vec<Hit<Cue>> {
    drop_marked(&mut hits, |all, h| {
        let Span::Text(sum) = &h.span else {
            return false;
        };
        matches!(
            h.value,
            Cue::Attribute(Attribute::Money | Attribute::Amount)
        ) && all.iter().any(|o| match &o.span {
            Span::Text(count) => {
                o.value == Cue::Attribute(Attribute::Count)
                    && sum.start < count.start
                    && count.start < sum.end
                    && sum.end < count.end
            }
            Span::Words(_) => false,
        })
    });
    hits
}

/// Whether a bare "how much" (多少, 幾多) follows `span` at once, or
/// after 是 or 有.
fn quantity_asked_of(n: &Normalized, span: &Span, hits: &[Hit<Cue>]) -> bool {
    let Span::Text(named) = span else {
        return false;
    };
    hits.iter().any(|h| match &h.span {
        Span::Text(at) if h.value == Cue::Attribute(Attribute::Amount) => {
            at.start >= named.end
                && matches!(n.text.get(named.end..at.start), Some("" | "是" | "有"))
        }
        _ => false,
    })
}

impl FrameReader {
    /// A phrase that reads as one stop word (`is_stop`: "# of" is "of") is
    /// left out: it would fire on any sentence (`factbot check` reports it),
    /// unless its cue is read only beside others (a choice's "or").
    pub fn new(
        lexicon: &Lexicon,
        normalizer: &Normalizer,
        is_stop: &dyn Fn(&str) -> bool,
    ) -> FrameReader {
        let mut phrases: Vec<(String, Cue)> = Vec::new();
        for (a, list) in &lexicon.attributes {
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Attribute(*a))));
        }
        for (a, list) in &lexicon.attribute_nouns {
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Named(*a))));
        }
        for (e, list) in &lexicon.events {
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Event(*e))));
        }
        for (q, list) in &lexicon.qualifiers {
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Qualifier(*q))));
        }
        for (n, list) in &lexicon.ordinals {
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Ordinal(*n))));
        }
        phrases.retain(|(p, cue)| {
            let n = normalizer.normalize(p);
            matches!(cue, Cue::Qualifier(q) if q.is_broad())
                || !n.han_runs.is_empty()
                || !matches!(n.words.as_slice(), [w] if is_stop(w))
        });
        let series = lexicon
            .series
            .iter()
            .map(|(_, words)| {
                let (mut en, mut zh) = (Vec::new(), Vec::new());
                for w in words {
                    let n = normalizer.normalize(w);
                    en.extend(n.words);
                    zh.extend(n.han_runs);
                }
                (en, zh)
            })
            .collect();
        FrameReader {
            cues: PhraseIndex::new(normalizer, phrases),
            series,
            whether: lexicon.whether.clone(),
        }
    }

    /// What an ordinal numbers, from its own words or the word after it:
    /// "2nd batch", "second-stage", 第二批, 第二阶段.
    pub fn series_of(&self, n: &Normalized, span: &Span) -> Option<usize> {
        self.series.iter().position(|(en, zh)| match span {
            Span::Words(range) => n.words[range.start..(range.end + 1).min(n.words.len())]
                .iter()
                .any(|w| en.contains(w)),
            Span::Text(range) => {
                let own = &n.text[range.clone()];
                let next = n.text[range.end..].trim_start();
                zh.iter()
                    .any(|w| own.contains(w.as_str()) || next.starts_with(w.as_str()))
            }
        })
    }

    /// The ordinals of a text with what they number.
    pub fn numbered<'h>(
        &self,
        n: &Normalized,
        hits: impl IntoIterator<Item = &'h Hit<Cue>>,
    ) -> Vec<(u8, usize)> {
        let mut numbered: Vec<(u8, usize)> = hits
            .into_iter()
            .filter_map(|h| match h.value {
                Cue::Ordinal(o) => Some((o, self.series_of(n, &h.span)?)),
                _ => None,
            })
            .collect();
        numbered.sort_unstable();
        numbered.dedup();
        numbered
    }

    /// The cues a text holds, as hits.
    pub fn cues(&self, n: &Normalized) -> Vec<Hit<Cue>> {
        self.cues.find(n)
    }

    /// Reads the frame; cues inside a name (`in_name`: "open" in "Open
    /// data", "area" in "Greater Bay Area") are part of the name, not a question.
    pub fn read(&self, n: &Normalized, in_name: &dyn Fn(&Span) -> bool) -> Frame {
        let years = years_in(&n.text);
        let found = crate::numbers::mentions(&n.text, crate::numbers::Mode::Strict);
        let quantities = found
            .iter()
            .filter_map(|f| match f.mention {
                crate::numbers::Mention::Quantity(v) => Some(v),
                _ => None,
            })
            .filter(|v| !years.iter().any(|y| f64::from(*y) == *v))
            .collect();
        let naming = naming_years(&n.text);
        let mut frame = Frame {
            years: years.into_iter().filter(|y| !naming.contains(y)).collect(),
            quantities,
            months: months_in(&n.text, &found),
            year_ends: year_ends_in(&n.text),
            financial_year: names_financial_year(&n.text),
            ..Frame::default()
        };
        let mut seen = HashSet::default();
        let mut ordinals = Vec::new();
        let mut named = Vec::new();
        let hits: Vec<Hit<Cue>> = longest_first(counted_over_sums(self.cues(n)))
            .into_iter()
            .filter(|h| !in_name(&h.span))
            .collect();
        for hit in &hits {
            // What a longer phrase asks is what is asked: "how long has"
            // asks since when, not how long; "how many years has" no count.
            // So is an event inside an attribute's phrase: "signed up"
            // asks how many users, not when anything was signed.
            // And one inside a phrase that says how far a total runs:
            // "to date" asks a total so far, not a date. So is a comparison:
            // "the most a firm can get" asks how much, "the most recent"
            // the latest, not which ranks first.
            let absorbed = matches!(
                hit.value,
                Cue::Attribute(_)
                    | Cue::Named(_)
                    | Cue::Event(_)
                    | Cue::Qualifier(Qualifier::Comparison)
            ) && hits.iter().any(|o| {
                matches!(
                    o.value,
                    Cue::Attribute(_)
                        | Cue::Named(_)
                        | Cue::Qualifier(
                            Qualifier::Cumulative | Qualifier::Added | Qualifier::Latest
                        )
                ) && o.value != hit.value
                    && hit.span.strictly_inside(&o.span)
            });
            // An ordinal before a figure the question states describes that
            // figure: "after the initial HK$5 billion" asks no first batch.
            let describes_figure =
                matches!(hit.value, Cue::Ordinal(_)) && precedes_figure(n, &hit.span);
            // A stated figure's tiers ("beyond the first HK$2 million")
            // are the figure's, not a batch gone past.
            // So is the first one inside a phrase that goes past it
            // ("since it was first set up").
            let passed = matches!(hit.value, Cue::Ordinal(_))
                && !describes_figure
                && (goes_past(n, &hit.span)
                    || hits.iter().any(|o| {
                        o.value == Cue::Qualifier(Qualifier::After)
                            && hit.span.strictly_inside(&o.span)
                    }));
            if let (true, Cue::Ordinal(o)) = (passed, hit.value) {
                frame.passed.push(o);
            }
            let not_asked = describes_figure || passed;
            if matches!(hit.value, Cue::Ordinal(_)) && !not_asked {
                ordinals.push(hit);
            }
            if !absorbed && !not_asked && seen.insert(hit.value) {
                match hit.value {
                    Cue::Attribute(a) => frame.attributes.push(a),
                    // "金額是多少", "獎金有幾多": the figure named is what
                    // the quantity asked is of.
                    Cue::Named(a) if quantity_asked_of(n, &hit.span, &hits) => {
                        frame.attributes.push(a)
                    }
                    Cue::Named(a) => named.push(a),
                    Cue::Event(e) => frame.events.push(e),
                    Cue::Qualifier(q) => {
                        frame.qualifiers.push(q);
                        // Things added ask their total.
                        let total = Cue::Qualifier(Qualifier::Cumulative);
                        if q == Qualifier::Added && seen.insert(total) {
                            frame.qualifiers.push(Qualifier::Cumulative);
                        }
                    }
                    Cue::Ordinal(o) => frame.ordinals.push(o),
                }
            }
            // Words of an amount on top (追加, "extra") are the addition's
            // own words as well: they stay in the question's content.
            if hit.value == Cue::Qualifier(Qualifier::Extra) {
                continue;
            }
            frame.asked.push(match &hit.span {
                Span::Words(range) => n.words[range.clone()].join(" "),
                Span::Text(range) => n.text[range.clone()].to_string(),
            });
            frame.spans.push((hit.span.clone(), hit.value));
        }
        // A figure named ("money", 獎金) is asked only where nothing more
        // particular is: "if my firm gets money from NIAS, how many
        // researchers can it hire?" asks how many; "獎金有幾多" asks a sum.
        if frame.main_attribute().is_none_or(|a| {
            matches!(
                a,
                Attribute::Amount | Attribute::What | Attribute::YesNo | Attribute::Overview
            )
        }) {
            for a in named {
                if !frame.asks(a) {
                    frame.attributes.push(a);
                }
            }
        }
        // "Since 1999" asks what came after that year's beginning, as
        // "since then" does.
        if !frame.has(Qualifier::After) && since_a_year(&n.text) {
            frame.qualifiers.push(Qualifier::After);
        }
        // "有冇用" is "is it any use" only at the end of what it asks:
        // "有冇用雲端" asks whether the cloud is used.
        let opinions: Vec<&Hit<Cue>> = hits
            .iter()
            .filter(|h| h.value == Cue::Qualifier(Qualifier::Opinion))
            .collect();
        if !opinions.is_empty() && opinions.iter().all(|h| uses_what_follows(n, &h.span)) {
            frame.qualifiers.retain(|q| *q != Qualifier::Opinion);
            if !frame.asks(Attribute::YesNo) {
                frame.attributes.push(Attribute::YesNo);
            }
        }
        if frame.has(Qualifier::Advice) {
            frame.qualifiers.retain(|q| *q != Qualifier::Advice);
            let asks_a_thing = frame.main_attribute().is_some_and(|a| {
                !matches!(a, Attribute::What | Attribute::YesNo | Attribute::Overview)
            });
            if !asks_a_thing && !frame.has(Qualifier::Opinion) {
                frame.qualifiers.push(Qualifier::Opinion);
            }
        }
        // The whole of a thing done in parts narrows only a figure or a
        // date asked ("整體幾時完成"): "整體而言有甚麼職責" asks what it does.
        if !frame
            .main_attribute()
            .is_some_and(|a| a.is_quantity() || a == Attribute::When)
        {
            frame.qualifiers.retain(|q| *q != Qualifier::Whole);
            frame
                .spans
                .retain(|(_, cue)| *cue != Cue::Qualifier(Qualifier::Whole));
        }
        // A figure has no full name: what a figure stated "stands for"
        // (1,234這個數字代表甚麼) is the thing it is a figure of.
        if frame.states_a_figure() && frame.has(Qualifier::FullName) {
            frame.qualifiers.retain(|q| *q != Qualifier::FullName);
            if !frame.asks(Attribute::What) {
                frame.attributes.push(Attribute::What);
            }
        }
        // A date asked is a fact, whatever words of judgement describe the
        // thing dated ("since when have awards celebrated the best").
        if frame.main_attribute() == Some(Attribute::When) {
            frame.qualifiers.retain(|q| *q != Qualifier::Opinion);
        }
        // With no cue at all, "what <noun> does …" still asks something.
        if frame.attributes.is_empty() && asks_what_noun(n, &self.whether) {
            frame.attributes.push(Attribute::What);
        }
        // "Does it cover spending before 2018?" asks whether, not which.
        if asks_whether(n, &self.whether) {
            frame.attributes.retain(|a| *a != Attribute::Which);
            if !frame.asks(Attribute::YesNo) {
                frame.attributes.push(Attribute::YesNo);
            }
        }
        frame.numbered = self.numbered(n, ordinals);
        // A year is not an ordinal, and "2nd" inside a name is read by its phrase.
        frame.attributes.sort();
        frame.events.sort();
        frame.qualifiers.sort();
        frame.ordinals.sort();
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader() -> (Normalizer, FrameReader) {
        let lexicon = Lexicon {
            attributes: vec![
                (Attribute::Count, vec!["how many".into(), "多少个".into()]),
                (Attribute::Money, vec!["how much".into(), "多少钱".into()]),
                (Attribute::Amount, vec!["多少".into()]),
            ],
            attribute_nouns: vec![(Attribute::Money, vec!["money".into(), "奖金".into()])],
            events: vec![(Event::Established, vec!["set up".into(), "成立".into()])],
            qualifiers: vec![
                (
                    Qualifier::PerUnit,
                    vec!["per project".into(), "每个".into()],
                ),
                (Qualifier::Extra, vec!["extra".into(), "追加".into()]),
                (Qualifier::Opinion, vec!["有冇用".into()]),
                (Qualifier::Added, vec!["combined".into(), "加埋".into()]),
            ],
            ordinals: vec![
                (1, vec!["first".into(), "第一".into(), "first two".into()]),
                (2, vec!["second".into(), "第二".into(), "first two".into()]),
            ],
            series: vec![
                (
                    "phase".into(),
                    vec!["phase".into(), "stage".into(), "阶段".into()],
                ),
                ("batch".into(), vec!["batch".into(), "批".into()]),
            ],
            whether: Whether {
                openers: vec!["hey".into()],
                auxiliaries: vec!["does".into(), "is".into(), "can".into()],
                question_words: vec!["what".into(), "how".into()],
            },
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        let r = FrameReader::new(&lexicon, &n, &|w| w == "the");
        (n, r)
    }

    /// The frame of a question, with no name in it.
    fn read(question: &str) -> Frame {
        let (n, r) = reader();
        r.read(&n.normalize(question), &|_| false)
    }

    #[test]
    fn reads_what_ordinals_number() {
        let f = read("第二階段擴建的第二批次工程");
        assert_eq!(f.ordinals, vec![2]);
        assert_eq!(f.numbered, vec![(2, 0), (2, 1)], "phase 2 and batch 2");
        let f = read("the first batch of the second-stage expansion");
        assert_eq!(f.numbered, vec![(1, 1), (2, 0)]);
        let f = read("the second one");
        assert_eq!((f.ordinals, f.numbered), (vec![2], vec![]));
    }

    #[test]
    fn an_ordinal_gone_past_is_not_the_one_asked() {
        for q in [
            "after the first injection, how much more",
            "how much beyond the first",
            "第一次注资之后又注资多少钱",
            "第一次向创新及科技基金注资之后又加了多少",
        ] {
            let f = read(q);
            assert_eq!((f.ordinals, f.passed), (vec![], vec![1]), "{q}");
        }
        // A figure's tiers are the figure's: nothing is gone past.
        let f = read("how much beyond the first two million");
        assert_eq!((f.ordinals, f.passed), (vec![], vec![]));
        let f = read("the first injection, how much");
        assert_eq!((f.ordinals, f.passed), (vec![1], vec![]));
    }

    #[test]
    fn names_a_financial_year_not_a_span() {
        for q in [
            "budget for 2025-26",
            "2024/25年度",
            "in 2025-2026",
            "1999-00",
            "2025 26",
        ] {
            assert!(names_financial_year(q).is_some(), "{q}");
        }
        for q in ["from 2020-2025", "2025", "2025-30", "tel 2025-2612"] {
            assert_eq!(names_financial_year(q), None, "{q}");
        }
    }

    #[test]
    fn things_added_ask_their_total() {
        for q in ["the park and the estates combined", "科學園同創新園加埋"] {
            let f = read(q);
            assert!(
                f.has(Qualifier::Added) && f.has(Qualifier::Cumulative),
                "{q}"
            );
        }
        assert!(!read("the park and the estates").has(Qualifier::Cumulative));
    }

    #[test]
    fn whether_a_thing_is_used_is_no_judgement() {
        let f = read("政府採購有冇用雲端㗎");
        assert!(!f.has(Qualifier::Opinion));
        assert!(f.asks(Attribute::YesNo));
        for q in ["呢個計劃有冇用?", "有冇用㗎"] {
            assert!(read(q).has(Qualifier::Opinion), "{q}");
        }
    }

    #[test]
    fn an_amount_on_top_is_read_and_left_in_the_question() {
        for q in ["how much extra money", "后来追加了多少钱"] {
            let f = read(q);
            assert!(f.has(Qualifier::Extra), "{q}");
            assert!(f.asks(Attribute::Money), "{q}");
            let extra = Cue::Qualifier(Qualifier::Extra);
            assert!(!f.spans.iter().any(|(_, c)| *c == extra), "{q}: a cue");
        }
    }

    #[test]
    fn the_first_two_are_two_ordinals_unless_a_figure_follows() {
        let f = read("the first two batches combined");
        assert_eq!((f.ordinals, f.numbered), (vec![1, 2], vec![(1, 1), (2, 1)]));
        for q in ["the deduction on the first two million", "the first 2 mil"] {
            let f = read(q);
            assert_eq!((f.ordinals, f.passed), (vec![], vec![]), "{q}");
        }
    }

    #[test]
    fn a_question_opening_with_an_auxiliary_asks_whether() {
        let (n, r) = reader();
        let whether = |q: &str| asks_whether(&n.normalize(q), &r.whether);
        assert!(whether(
            "hey, does the deduction cover spending before 2018?"
        ));
        assert!(whether("Is there a fund for start-ups"));
        assert!(!whether("what does the deduction cover?"));
        assert!(!whether("does anyone know how many parks there are"));
        assert!(!whether("can you list the InnoParks"), "a request");
        assert!(
            !whether("InnoHK有冇AI中心?"),
            "Chinese says whether in its own words"
        );
        assert!(!whether("does"));
    }

    #[test]
    fn what_before_a_noun_and_an_auxiliary_asks_what() {
        let (n, r) = reader();
        let what_noun = |q: &str| asks_what_noun(&n.normalize(q), &r.whether);
        assert!(what_noun("What core areas does HKPC work in?"));
        assert!(what_noun("hey, what study is the government starting?"));
        assert!(!what_noun("what does HKPC do?"), "no noun");
        assert!(!what_noun("what is the plan for the park and when"));
        assert!(!what_noun("which areas does HKPC cover?"));
        assert!(!what_noun("hey, what about Cyberport?"), "no auxiliary");
        assert!(
            !what_noun("what kinds of big projects and schemes does it run?"),
            "too long to be one noun"
        );
        assert!(!what_noun("HKPC 有咩核心範疇?"));
    }

    #[test]
    fn reads_the_months_a_question_names() {
        let f = read("截至2025年5月底批出多少个项目");
        assert_eq!(f.months, vec![(2025, 5)]);
        let f = read("How many by end-May 2025?");
        assert_eq!(f.months, vec![(2025, 5)]);
        let f = read("how many in 2025");
        assert!(f.months.is_empty());
    }

    #[test]
    fn since_a_year_asks_what_came_after() {
        assert!(read("How much has been injected since 1999?").has(Qualifier::After));
        assert!(read("how much more has gone into it since?").has(Qualifier::After));
        assert!(!read("How much was injected in 1999?").has(Qualifier::After));
        assert!(!read("since when has it run?").has(Qualifier::After));
    }

    #[test]
    fn reads_the_year_ends_a_question_names() {
        for q in [
            "How many by the end of 2025?",
            "how many as of end-2025",
            "2025 year-end figure?",
            "截至2025年底有多少",
            "2025年年尾有幾多",
        ] {
            assert_eq!(read(q).year_ends, vec![2025], "{q}");
        }
        assert!(read("how many in 2025").year_ends.is_empty());
        assert!(read("2025年5月底有多少").year_ends.is_empty());
    }

    #[test]
    fn a_year_naming_which_thing_is_not_the_period_asked() {
        let f = read("how much for the 1999 fund since");
        assert!(f.years.is_empty());
        let f = read("how much in 1999 for the fund");
        assert_eq!(f.years, vec![1999]);
        let f = read("how much after the initial 1999 funding");
        assert!(f.years.is_empty());
    }

    #[test]
    fn reads_attributes_events_qualifiers_ordinals_and_years() {
        let f = read("How much per project in the second batch in 2020?");
        assert_eq!(f.attributes, vec![Attribute::Money]);
        assert_eq!(f.qualifiers, vec![Qualifier::PerUnit]);
        assert_eq!(f.ordinals, vec![2]);
        assert_eq!(f.years, vec![2020]);
        let f = read("數碼港2019年成立咗幾耐");
        assert_eq!(f.events, vec![Event::Established]);
        assert_eq!(f.years, vec![2019]);
        assert!(read("78701 projects").years.is_empty());
        // A sum or a count is no year, whatever its digits.
        assert!(read("拨款约11亿2000万元的计划").years.is_empty());
        assert!(read("資助咗2000個項目").years.is_empty());
        assert!(read("who got HK$2000?").years.is_empty());
        assert_eq!(read("2020年和2021年").years, vec![2020, 2021]);
        let (n, r) = reader();
        let in_name = |s: &Span| matches!(s, Span::Words(r) if r.start == 0);
        assert!(r
            .read(&n.normalize("how many"), &in_name)
            .attributes
            .is_empty());
    }

    #[test]
    fn a_figure_named_is_asked_only_when_nothing_else_is() {
        let asks = |q: &str| read(q).attributes;
        assert_eq!(
            asks("a firm with NIAS money: how many researchers can it hire?"),
            vec![Attribute::Count]
        );
        assert_eq!(asks("多少个队伍拿到奖金"), vec![Attribute::Count]);
        assert_eq!(asks("and the money?"), vec![Attribute::Money]);
        // Right before a bare "how much", it is what that asks of.
        for q in ["奖金是多少", "獎金有幾多"] {
            let attributes = asks(q);
            assert!(
                attributes.contains(&Attribute::Money),
                "{q}: {attributes:?}"
            );
        }
    }

    #[test]
    fn money_named_but_not_asked() {
        let frame = |attributes: Vec<Attribute>, quantities: Vec<f64>| Frame {
            attributes,
            quantities,
            ..Frame::default()
        };
        // "Can I pay the fees by e-wallet?"
        let whether = frame(vec![Attribute::Money, Attribute::YesNo], vec![]);
        assert_eq!(whether.main_attribute(), Some(Attribute::YesNo));
        // "Is the fund HK$5 billion?"
        let checks = frame(vec![Attribute::Money, Attribute::YesNo], vec![5e9]);
        assert_eq!(checks.main_attribute(), Some(Attribute::Money));
        // "The HK$10 billion programme: how many researchers?"
        let count = frame(vec![Attribute::Money, Attribute::Count], vec![1e10]);
        assert_eq!(count.main_attribute(), Some(Attribute::Count));
        let both = frame(vec![Attribute::Money, Attribute::Count], vec![]);
        assert_eq!(both.main_attribute(), Some(Attribute::Money));
        // "The new HK$10 billion fund will target which sectors?"
        let which = frame(vec![Attribute::Money, Attribute::Which], vec![1e10]);
        assert_eq!(which.main_attribute(), Some(Attribute::Which));
        // "How much is the fund, and which sectors?" states no sum.
        let asked = frame(vec![Attribute::Money, Attribute::Which], vec![]);
        assert_eq!(asked.main_attribute(), Some(Attribute::Money));
    }
}
