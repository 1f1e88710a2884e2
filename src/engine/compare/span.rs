//! One thing's dates: the facts that date the events asked.

use super::SideBySide;
use crate::knowledge::{Event, Milestone, Qualifier};
use crate::matcher::Candidate;

impl<'a> SideBySide<'a> {
    /// One subject's span ("how long after the bureau was set up was it
    /// renamed", 由開展到展出相隔多久): its fact of each event named; of
    /// one event before or after, that and its coming to be.
    pub(super) fn span_of_one(&self) -> Vec<usize> {
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

    /// Of facts, the first dated by the very event the question names
    /// ("which was set up earlier"), else by one like it (any beginning).
    pub(super) fn by_event(&self, its: &[&Candidate], events: &[Event]) -> Option<usize> {
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
    pub(super) fn came_to_be(&self, c: &Candidate) -> bool {
        self.dated(c).is_some_and(|m| {
            m.event
                .is_none_or(|e| !e.is_change() && e != Event::Completed)
        })
    }

    pub(super) fn dated(&self, c: &Candidate) -> Option<&'a Milestone> {
        self.engine.knowledge.facts[c.fact].milestone.as_ref()
    }
}
