//! Several subjects set side by side: a comparison of things the
//! question names ("which came first", 幾倍, 邊個多), or the time from one
//! to another, answered with each one's fact rather than any one of them.

use super::{Engine, NAMED_AT, SUBJECT_AT};
use crate::answer::{self, Reply};
use crate::knowledge::{Attribute, Event, Fact, Qualifier};
use crate::lang::Lang;
use crate::matcher::scoring::{FactFrame, Fit};
use crate::matcher::{Anchor, Candidate, Directness, How, Ranking};

impl Engine {
    /// Two or more subjects named and compared ("which came first, the
    /// Smart Government Innovation Lab or iAM Smart?", "數碼港擴建係18W
    /// 幾多倍?") are answered with each one's fact of what is asked, side
    /// by side: the factsheet compares nothing itself, and one subject's
    /// figure alone is not the answer. A subject named by a fact's own name
    /// is that fact, not its topic. Every subject needs a fact that gives
    /// what is asked (a date, an area); asked only which one, the best fact
    /// of each is taken, and they must give the same kind of figure, or
    /// all be dated. Otherwise no one fact answers (`answerable` judges
    /// comparisons).
    pub(super) fn compared(&self, ranking: &Ranking, lang: Lang) -> Option<Reply> {
        let frame = &ranking.frame;
        // How long from one thing to another ("how many years after ITIB
        // was set up did the blueprint come out", 比智方便遲了多久, "how long
        // did it run before it was renamed") sets their dates side by side
        // as well.
        let between = frame.main_attribute() == Some(Attribute::Duration)
            && (frame.has(Qualifier::After)
                || frame.has(Qualifier::Before)
                || frame.has(Qualifier::Comparison)
                || frame.events.len() > 1);
        // Things offered to choose between ("which opened earlier, the hub
        // or the centre?") are compared; a quantity of several things added
        // up ("the posts and the internships put together") is each one's.
        // ("the ITF's funding for the TCFS so far" adds nothing up: the
        // things added are joined, "X and Y").
        let summed = frame.has(Qualifier::Cumulative)
            && frame.main_attribute().is_some_and(Attribute::is_quantity);
        let compares = frame.has(Qualifier::Comparison)
            || frame.has(Qualifier::Choice)
            || (summed && frame.has(Qualifier::Joined));
        if !(compares || between || summed) || frame.has(Qualifier::Opinion) {
            return None;
        }
        let k = &self.knowledge;
        let named: Vec<Anchor> = ranking
            .subjects
            .iter()
            .filter(|h| h.how != How::Description && h.strength >= NAMED_AT)
            .map(|h| h.anchor)
            .collect();
        let topic_of = |f: usize| self.matcher.topic_of(Anchor::Fact(f));
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
        // Asked only which one, or how many times the other, no fact gives
        // it; asked the time between, each gives its date.
        let asked = frame
            .main_attribute()
            .filter(|a| !matches!(a, Attribute::Which | Attribute::Ratio))
            .map(|a| if between { Attribute::When } else { a });
        let dated = |c: &Candidate| k.facts[c.fact].milestone.as_ref();
        // Asked which is older, of no event, a thing's date is when it came
        // to be, not when it was renamed, expanded or a part completed.
        let dates_asked = asked == Some(Attribute::When);
        let came_to_be = |c: &Candidate| {
            dated(c).is_some_and(|m| {
                m.event
                    .is_none_or(|e| !e.is_change() && e != Event::Completed)
            })
        };
        // Set side by side, a fact need not rank anything by itself (a
        // comparison reads as a ranking to the fit), nor date the very
        // event the question names last.
        let gives_it = |c: &Candidate| {
            let fit = Fit {
                narrowing: None,
                attribute: if between {
                    None
                } else {
                    asked.and(c.fit.attribute)
                },
                event: if between { None } else { c.fit.event },
                // Several numbered ones asked ("the first and second
                // batches"), each fact is one of them.
                ordinal: if frame.ordinals.len() > 1 {
                    None
                } else {
                    c.fit.ordinal
                },
                ..c.fit
            };
            !fit.conflicts()
                && fit.outside != Some(false)
                && fit.period != Some(false)
                && (!dates_asked || !frame.events.is_empty() || came_to_be(c))
                && if between {
                    dated(c).is_some()
                } else {
                    asked.is_none() || fit.attribute == Some(true)
                }
        };
        // Of facts, the first dated by the very event the question names
        // ("which was set up earlier"), else by one like it (any beginning).
        let by_event = |its: &[&'_ Candidate], events: &[Event]| -> Option<usize> {
            let dated_by = |c: &Candidate, like: fn(Event, Event) -> bool| {
                dated(c)
                    .and_then(|m| m.event)
                    .is_some_and(|e| events.iter().any(|asked| like(e, *asked)))
            };
            its.iter()
                .find(|c| dated_by(c, |e, asked| e == asked))
                .or_else(|| its.iter().find(|c| dated_by(c, Event::answers)))
                .map(|c| c.fact)
        };
        // Of one subject: the facts of subjects the question names that
        // give what is asked.
        let its: Vec<&Candidate> = ranking
            .candidates
            .iter()
            .filter(|c| c.subject >= SUBJECT_AT && gives_it(c))
            .collect();
        let mut facts: Vec<usize> = Vec::new();
        if subjects.len() >= 2 && (compares || between) {
            for subject in &subjects {
                let of_it = |c: &&Candidate| match subject {
                    Anchor::Fact(f) => c.fact == *f,
                    Anchor::Topic(t) => c.directness >= Directness::Topic && topic_of(c.fact) == *t,
                };
                let its: Vec<&Candidate> = ranking
                    .candidates
                    .iter()
                    .filter(of_it)
                    .filter(|c| gives_it(c))
                    .collect();
                let best = by_event(&its, &frame.events).or(its.first().map(|c| c.fact))?;
                if facts.contains(&best) {
                    return None;
                }
                facts.push(best);
            }
        } else if between {
            // One subject's span ("how long after the bureau was set up was
            // it renamed", 由開展到展出相隔多久): its fact of each event
            // named; of one event before or after, that and its coming to be.
            for event in &frame.events {
                if let Some(f) = by_event(&its, &[*event]).filter(|f| !facts.contains(f)) {
                    facts.push(f);
                }
            }
            if let [end] = facts[..] {
                if frame.has(Qualifier::After) || frame.has(Qualifier::Before) {
                    facts.extend(
                        its.iter()
                            .find(|c| {
                                c.fact != end && came_to_be(c) && topic_of(c.fact) == topic_of(end)
                            })
                            .map(|c| c.fact),
                    );
                }
            }
        } else if summed {
            // One subject's numbered parts added up ("both RAISe+ batches
            // added up"): each part's figure, where no one fact of it
            // gives the total.
            let part = |c: &Candidate| match self.matcher.fact_frame(c.fact).title_ordinals[..] {
                [n] => Some(n),
                _ => None,
            };
            if let Some(first) = its.first() {
                let mut parts: Vec<(u8, usize)> = its
                    .iter()
                    .filter(|c| topic_of(c.fact) == topic_of(first.fact))
                    .map(|c| part(c).map(|n| (n, c.fact)))
                    .collect::<Option<_>>()?;
                parts.sort_unstable();
                parts.dedup_by_key(|(n, _)| *n);
                facts.extend(parts.into_iter().map(|(_, f)| f));
            }
        }
        if facts.len() < 2 {
            return None;
        }
        let frames: Vec<&FactFrame> = facts.iter().map(|f| self.matcher.fact_frame(*f)).collect();
        let alike = asked.is_some()
            || facts.iter().all(|f| k.facts[*f].milestone.is_some())
            || frames[0].figures.iter().any(|g| {
                frames[1..]
                    .iter()
                    .all(|f| f.figures.iter().any(|h| h.attribute == g.attribute))
            });
        if !alike {
            return None;
        }
        let facts: Vec<&Fact> = facts.iter().map(|f| &k.facts[*f]).collect();
        let mut reply = answer::facts_reply(k, &facts, lang, 1.0);
        // Which came first is told, not left to the reader, where the
        // dates say it.
        if asked.is_none_or(|a| a == Attribute::When) {
            if let Some(order) = answer::in_date_order(&facts, lang) {
                reply.body = format!("{order}\n\n{}", reply.body);
            }
        }
        Some(reply)
    }
}
