//! Several facts set side by side: a comparison of things the question
//! names ("which came first", 幾倍, 邊個多, "X or Y"), the time from one
//! event to another, or a total of things added up, answered with each
//! one's fact rather than any one of them. This file reads the question;
//! `each` finds each thing's fact, `span` one thing's dates, `sum` the
//! parts or sums that add up.

mod each;
mod span;
mod sum;

use super::{Engine, NAMED_AT, SUBJECT_AT};
use crate::answer::{self, Reply};
use crate::knowledge::{Attribute, Fact, Qualifier};
use crate::lang::Lang;
use crate::matcher::scoring::{FactFrame, Fit};
use crate::matcher::subjects::SubjectHit;
use crate::matcher::{Anchor, Candidate, How, Ranking};

impl Engine {
    /// Two or more subjects named and compared ("which came first, the
    /// Smart Government Innovation Lab or iAM Smart?", "數碼港擴建係18W
    /// 幾多倍?", "which opened earlier, the hub or the centre?") are
    /// answered with each one's fact of what is asked, side by side: the
    /// factsheet compares nothing itself, and one subject's figure alone is
    /// not the answer. So are one subject's span between two events and a
    /// total of things added up. A subject named by a fact's own name is
    /// that fact, not its topic. Every subject needs a fact that gives what
    /// is asked (a date, an area); asked only which one, the best fact of
    /// each is taken, and they must give the same kind of figure, or all be
    /// dated. Otherwise no one fact answers (`answerable` judges
    /// comparisons).
    pub(super) fn compared(&self, ranking: &Ranking, lang: Lang) -> Option<Reply> {
        let side = SideBySide::read(self, ranking)?;
        let k = &self.knowledge;
        let alike = |facts: &[usize]| {
            let frames: Vec<&FactFrame> =
                facts.iter().map(|f| self.matcher.fact_frame(*f)).collect();
            side.asked.is_some()
                || facts.iter().all(|f| k.facts[*f].milestone.is_some())
                || frames[0].figures.iter().any(|g| {
                    frames[1..]
                        .iter()
                        .all(|f| f.figures.iter().any(|h| h.attribute == g.attribute))
                })
        };
        let Some(facts) = side.facts().filter(|facts| alike(facts)) else {
            // A total of things named is no one thing's figure: where one
            // lacks it ("科學園加埋數碼港幾多公頃", and Cyberport's land is
            // not given), the asker is offered what there is.
            return side.sum_of_named().then(|| self.unsure(ranking, lang));
        };
        let facts: Vec<&Fact> = facts.iter().map(|f| &k.facts[*f]).collect();
        let mut reply = answer::facts_reply(k, &facts, lang, 1.0);
        // Which came first is told, not left to the reader, where the
        // dates say it.
        if side.asked.is_none_or(|a| a == Attribute::When) {
            if let Some(mut order) = answer::in_date_order(&facts, lang) {
                // The time between asked is worked out from the dates.
                if side.between {
                    if let Some(apart) = answer::time_apart(&facts, lang) {
                        let gap = if lang == Lang::En { " " } else { "" };
                        order = format!("{order}{gap}{apart}");
                    }
                }
                reply.body = format!("{order}\n\n{}", reply.body);
            }
        }
        Some(reply)
    }
}

/// A question read as asking for several facts side by side, and how.
struct SideBySide<'a> {
    engine: &'a Engine,
    ranking: &'a Ranking,
    /// How long from one thing to another ("how many years after ITIB
    /// was set up did the blueprint come out", 比智方便遲了多久, "how long
    /// did it run before it was renamed"): their dates.
    between: bool,
    /// The time between, read from one event of two things with no
    /// "after" or "before" (由創科局成立到新工辦成立相隔多久): each
    /// thing's date of that event, not any other of its dates.
    apart: bool,
    /// Things compared, offered to choose between, or joined and added up.
    compares: bool,
    /// A quantity in total ("added up", 加起來).
    summed: bool,
    /// Two or more things named and added together with no "and" between
    /// them ("科學園同創新園加埋"), where one may describe the other.
    added: bool,
    /// Several numbered parts named ("the first and second batches").
    numbered: bool,
    /// What each fact must give: nothing in particular when only which one
    /// (or how many times the other) is asked; a date for the time between.
    asked: Option<Attribute>,
    /// The subjects named, a topic left out where a fact of it is named.
    subjects: Vec<Anchor>,
}

impl<'a> SideBySide<'a> {
    fn read(engine: &'a Engine, ranking: &'a Ranking) -> Option<SideBySide<'a>> {
        let frame = &ranking.frame;
        let duration = frame.main_attribute() == Some(Attribute::Duration);
        let between = duration
            && (frame.has(Qualifier::After)
                || frame.has(Qualifier::Before)
                || frame.has(Qualifier::Comparison)
                || frame.events.len() > 1);
        // "The ITF's funding for the TCFS so far" adds nothing up: the
        // things added are joined, "X and Y".
        let summed = (frame.has(Qualifier::Cumulative) || frame.has(Qualifier::Whole))
            && frame.main_attribute().is_some_and(Attribute::is_quantity);
        // Several numbered parts named ("the first and second batches",
        // 第二輪比第一輪多幾多) are each asked.
        let numbered = frame.ordinals.len() > 1;
        if !(frame.has(Qualifier::Comparison)
            || frame.has(Qualifier::Choice)
            || duration
            || summed
            || numbered)
            || frame.has(Qualifier::Opinion)
        {
            return None;
        }
        // Things compared are often described, not named ("the Pak Shek
        // Kok campus or the three estates"): one thing named may be set
        // beside the clearest description of another, read mostly in other
        // words, where the question asks which or how they compare. Things
        // only described are most often one thing in other words, and a
        // list offered with "or" may describe one thing ("in life sciences,
        // AI or advanced manufacturing").
        let joined = summed && frame.has(Qualifier::Joined);
        let describes_compared = frame.has(Qualifier::Comparison)
            || (frame.has(Qualifier::Choice) && frame.asks(Attribute::Which))
            || joined;
        let named_hits: Vec<&SubjectHit> = ranking
            .subjects
            .iter()
            .filter(|h| h.how != How::Description && h.strength >= NAMED_AT)
            .collect();
        let mut named: Vec<Anchor> = named_hits.iter().map(|h| h.anchor).collect();
        // Things named and added together ("科學園同三個創新園加埋") are
        // each added, unless one is within another ("the estates run by
        // HKSTP, combined" adds up the estates) or the best fact tells of
        // them all ("the R&D centres' projects backed by the ITF").
        let topic_of = |a: Anchor| engine.matcher.topic_of(a);
        let within_another = |a: &Anchor| {
            let owners = engine.matcher.owners(topic_of(*a));
            named.iter().any(|o| owners.contains(&topic_of(*o)))
        };
        let one_tells_all = || {
            ranking
                .candidates
                .first()
                .is_some_and(|c| named.iter().all(|a| engine.matcher.tells_of(*a, c.fact)))
        };
        let added = summed
            && !joined
            && frame.has(Qualifier::Added)
            && named.iter().filter(|a| !within_another(a)).count() > 1
            && !one_tells_all();
        let compares =
            frame.has(Qualifier::Comparison) || frame.has(Qualifier::Choice) || joined || added;
        let mostly_of = |h: &SubjectHit, other: &SubjectHit| {
            2 * h
                .features
                .iter()
                .filter(|f| other.features.contains(f))
                .count()
                > h.features.len()
        };
        let mut described: Vec<&SubjectHit> = ranking
            .subjects
            .iter()
            .filter(|h| h.how == How::Description && h.strength >= SUBJECT_AT)
            .collect();
        described.sort_by(|a, b| b.strength.total_cmp(&a.strength));
        // How long from an event of one thing to the same of another
        // (由創科局成立到新工辦成立相隔多久, "how long between the two
        // agreements being signed"), with no "after" or "before". The
        // things may be described in words of their own
        // (委員會成立時距離決策局成立相隔多久): each is held to its date of
        // that event, so one thing in other words gives no two.
        let one_event_apart = duration && !frame.events.is_empty() && !between;
        match &named_hits[..] {
            [the_named] if describes_compared || one_event_apart => {
                let clearest = described.iter().find(|h| !mostly_of(h, the_named));
                named.extend(clearest.map(|h| h.anchor));
            }
            [] if one_event_apart => {
                if let [first, rest @ ..] = &described[..] {
                    let second = rest.iter().find(|h| {
                        h.anchor != first.anchor && !mostly_of(h, first) && !mostly_of(first, h)
                    });
                    if let Some(second) = second {
                        named.extend([first.anchor, second.anchor]);
                    }
                }
            }
            _ => {}
        }
        let topic_of = |f: usize| topic_of(Anchor::Fact(f));
        let subjects: Vec<Anchor> = named
            .iter()
            .copied()
            .filter(|a| match a {
                Anchor::Topic(t) => !named
                    .iter()
                    .any(|o| matches!(o, Anchor::Fact(f) if topic_of(*f) == *t)),
                Anchor::Fact(_) => true,
            })
            .collect();
        let apart = one_event_apart && subjects.len() >= 2;
        let between = between || apart;
        if !(compares || between || summed || numbered) {
            return None;
        }
        let asked = frame
            .main_attribute()
            .filter(|a| !matches!(a, Attribute::Which | Attribute::Ratio))
            .map(|a| if between { Attribute::When } else { a });
        Some(SideBySide {
            engine,
            ranking,
            between,
            apart,
            compares,
            summed,
            added,
            numbered,
            asked,
            subjects,
        })
    }

    /// Whether two or more things named are added together (no "and"
    /// between them): a total no one thing's figure is.
    fn sum_of_named(&self) -> bool {
        self.added && self.subjects.len() >= 2
    }

    /// The facts to set side by side, two or more, each once.
    fn facts(&self) -> Option<Vec<usize>> {
        let facts = if self.subjects.len() >= 2 && (self.compares || self.between) {
            self.each_subjects()?
        } else if self.between {
            self.span_of_one()
        } else if let Some(whole) = self.added_up() {
            whole
        } else if self.summed || self.numbered {
            self.parts()?
        } else {
            return None;
        };
        (facts.len() >= 2).then_some(facts)
    }

    /// The facts of subjects the question names that give what is asked.
    fn of_subjects_named(&self) -> Vec<&'a Candidate> {
        self.ranking
            .candidates
            .iter()
            .filter(|c| c.subject >= SUBJECT_AT && self.gives_it(c))
            .collect()
    }

    /// Set side by side, a fact need not rank anything by itself (a
    /// comparison reads as a ranking to the fit), nor date the very event
    /// the question names last; of several numbered ones asked ("the first
    /// and second batches"), each fact is one of them.
    fn gives_it(&self, c: &Candidate) -> bool {
        let frame = &self.ranking.frame;
        let between = self.between;
        let fit = Fit {
            narrowing: None,
            attribute: if between {
                None
            } else {
                self.asked.and(c.fit.attribute)
            },
            event: if between { None } else { c.fit.event },
            ordinal: if self.numbered || (self.summed && frame.has(Qualifier::Whole)) {
                None
            } else {
                c.fit.ordinal
            },
            ..c.fit
        };
        // Asked which is older, of no event, a thing's date is when it
        // came to be.
        let dates_asked = self.asked == Some(Attribute::When);
        !fit.conflicts()
            && fit.outside != Some(false)
            && fit.period != Some(false)
            && (!dates_asked || !frame.events.is_empty() || self.came_to_be(c))
            && if between {
                self.dated(c).is_some()
            } else {
                self.asked.is_none() || fit.attribute == Some(true)
            }
    }

    fn topic_of(&self, fact: usize) -> usize {
        self.engine.matcher.topic_of(Anchor::Fact(fact))
    }
}
