//! Each thing named, its fact of what is asked.

use super::SideBySide;
use crate::matcher::{Anchor, Candidate, Directness};

impl<'a> SideBySide<'a> {
    /// Each subject's fact of what is asked: of an event named, the one
    /// dated by it, else its best.
    pub(super) fn each_subjects(&self) -> Option<Vec<usize>> {
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
}
