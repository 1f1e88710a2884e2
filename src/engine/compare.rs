//! Several facts set side by side: a comparison of things the question
//! names ("which came first", 幾倍, 邊個多, "X or Y"), the time from one
//! event to another, or a total of things added up, answered with each
//! one's fact rather than any one of them.

use super::{Engine, NAMED_AT, NEAR_TIE, SUBJECT_AT};
use crate::answer::{self, Reply};
use crate::knowledge::{Attribute, Event, Fact, Milestone, Qualifier};
use crate::lang::Lang;
use crate::matcher::scoring::{FactFrame, Fit};
use crate::matcher::subjects::SubjectHit;
use crate::matcher::{Anchor, Candidate, Directness, How, Ranking};

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
            return side.sum_of_named.then(|| self.unsure(ranking, lang));
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
    /// A total of two or more things named, joined or added.
    sum_of_named: bool,
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
        let one_tells_all = ranking
            .candidates
            .first()
            .is_some_and(|c| named.iter().all(|a| engine.matcher.tells_of(*a, c.fact)));
        let added = summed
            && !joined
            && frame.has(Qualifier::Added)
            && !one_tells_all
            && named.iter().filter(|a| !within_another(a)).count() > 1;
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
        let sum_of_named = added && subjects.len() >= 2;
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
            sum_of_named,
            numbered,
            asked,
            subjects,
        })
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

    /// Each subject's fact of what is asked: of an event named, the one
    /// dated by it, else its best.
    fn each_subjects(&self) -> Option<Vec<usize>> {
        let mut facts = Vec::new();
        for subject in &self.subjects {
            let its: Vec<&Candidate> = self
                .ranking
                .candidates
                .iter()
                .filter(|c| match subject {
                    Anchor::Fact(f) => c.fact == *f,
                    Anchor::Topic(t) => {
                        c.directness >= Directness::Topic && self.topic_of(c.fact) == *t
                    }
                })
                .filter(|c| self.gives_it(c))
                // With no "and", one thing named may describe the other
                // (InnoHK啲研發中心 are InnoHK's): each one's figure must be
                // of what is counted, not the R&D centres' projects for
                // "InnoHK啲研發中心加埋有幾多科研人員".
                .filter(|c| !(self.added && c.unspoken))
                .collect();
            let events = &self.ranking.frame.events;
            let by_event = self.by_event(&its, events);
            let best = if self.apart {
                by_event?
            } else {
                by_event.or(its.first().map(|c| c.fact))?
            };
            if facts.contains(&best) {
                return None;
            }
            facts.push(best);
        }
        Some(facts)
    }

    /// One subject's span ("how long after the bureau was set up was it
    /// renamed", 由開展到展出相隔多久): its fact of each event named; of
    /// one event before or after, that and its coming to be.
    fn span_of_one(&self) -> Vec<usize> {
        let frame = &self.ranking.frame;
        let its = self.of_subjects_named();
        let mut facts: Vec<usize> = Vec::new();
        for event in &frame.events {
            if let Some(f) = self
                .by_event(&its, &[*event])
                .filter(|f| !facts.contains(f))
            {
                facts.push(f);
            }
        }
        if let [end] = facts[..] {
            if frame.has(Qualifier::After) || frame.has(Qualifier::Before) {
                facts.extend(
                    its.iter()
                        .find(|c| {
                            c.fact != end
                                && self.came_to_be(c)
                                && self.topic_of(c.fact) == self.topic_of(end)
                        })
                        .map(|c| c.fact),
                );
            }
        }
        facts
    }

    /// One subject's numbered parts: those named ("the first and second
    /// batches"); added up, every one ("both RAISe+ batches added up",
    /// 兩批合共), or, unless the whole is asked, only where no unnumbered
    /// fact of it gives the quantity (that would be the total).
    fn parts(&self) -> Option<Vec<usize>> {
        let frame = &self.ranking.frame;
        let its = self.of_subjects_named();
        let first = its.first()?;
        let part = |c: &Candidate| match self.engine.matcher.fact_frame(c.fact).title_ordinals[..] {
            [n] => Some((n, c.fact)),
            _ => None,
        };
        let of_first = its
            .iter()
            .filter(|c| self.topic_of(c.fact) == self.topic_of(first.fact));
        let mut parts: Vec<(u8, usize)> = if self.numbered {
            let named: Vec<(u8, usize)> = of_first
                .filter_map(|c| part(c))
                .filter(|(n, _)| frame.ordinals.contains(n))
                .collect();
            let each_found = frame
                .ordinals
                .iter()
                .all(|o| named.iter().any(|(n, _)| n == o));
            each_found.then_some(named)?
        } else if frame.has(Qualifier::Whole) {
            of_first.filter_map(|c| part(c)).collect()
        } else {
            of_first.map(|c| part(c)).collect::<Option<_>>()?
        };
        parts.sort_unstable();
        parts.dedup_by_key(|(n, _)| *n);
        Some(parts.into_iter().map(|(_, f)| f).collect())
    }

    /// A sum and the one it adds to, asked in total or one against the
    /// other ("the seed money and later top-ups", 後來追加的是最初的幾倍,
    /// 前前後後注咗幾多錢), where the fact that best gives what is asked is
    /// either. What came after the first ("after the initial HK$5
    /// billion") is the addition alone, and so is what was added on top
    /// ("how much extra", 後來一共追加了多少) unless the first is asked
    /// too: joined to it, or counted ("the first money and later top-ups").
    fn added_up(&self) -> Option<Vec<usize>> {
        let frame = &self.ranking.frame;
        if !(self.summed || self.compares) || self.subjects.len() > 1 || frame.has(Qualifier::After)
        {
            return None;
        }
        let k = &self.engine.knowledge;
        let best = *self.of_subjects_named().first()?;
        let fact = &k.facts[best.fact];
        let pair = |f: &Fact| {
            f.id == fact.id
                || fact.adds_to.as_deref() == Some(f.id.as_str())
                || f.adds_to.as_deref() == Some(fact.id.as_str())
        };
        // Another fact of the subject as close that gives what is asked is
        // another reading: "what the fund has committed so far" may be its
        // grants.
        let another_as_close = self.of_subjects_named().iter().any(|r| {
            r.score >= NEAR_TIE * best.score
                && r.fit.attribute == Some(true)
                && !pair(&k.facts[r.fact])
        });
        if another_as_close {
            return None;
        }
        match &fact.adds_to {
            Some(_)
                if frame.has(Qualifier::Extra)
                    && !self.compares
                    && !frame.has(Qualifier::Joined)
                    && !frame.ordinals.contains(&1) =>
            {
                None
            }
            Some(base) => Some(vec![k.fact_index(base)?, best.fact]),
            None => {
                let addition = k
                    .facts
                    .iter()
                    .position(|f| f.adds_to.as_deref() == Some(fact.id.as_str()))?;
                Some(vec![best.fact, addition])
            }
        }
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

    /// Of facts, the first dated by the very event the question names
    /// ("which was set up earlier"), else by one like it (any beginning).
    fn by_event(&self, its: &[&Candidate], events: &[Event]) -> Option<usize> {
        let dated_by = |c: &Candidate, like: fn(Event, Event) -> bool| {
            self.dated(c)
                .and_then(|m| m.event)
                .is_some_and(|e| events.iter().any(|asked| like(e, *asked)))
        };
        its.iter()
            .find(|c| dated_by(c, |e, asked| e == asked))
            .or_else(|| its.iter().find(|c| dated_by(c, Event::answers)))
            .map(|c| c.fact)
    }

    /// Dated as coming to be, not as renamed, expanded or a part completed.
    fn came_to_be(&self, c: &Candidate) -> bool {
        self.dated(c).is_some_and(|m| {
            m.event
                .is_none_or(|e| !e.is_change() && e != Event::Completed)
        })
    }

    fn dated(&self, c: &Candidate) -> Option<&'a Milestone> {
        self.engine.knowledge.facts[c.fact].milestone.as_ref()
    }

    fn topic_of(&self, fact: usize) -> usize {
        self.engine.matcher.topic_of(Anchor::Fact(fact))
    }
}
