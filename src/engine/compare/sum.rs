//! Things that add up: numbered parts, and a sum with the one it adds to.

use super::SideBySide;
use crate::engine::NEAR_TIE;
use crate::knowledge::{Fact, Qualifier};
use crate::matcher::Candidate;

impl<'a> SideBySide<'a> {
    /// One subject's numbered parts: those named ("the first and second
    /// batches"); added up, every one ("both RAISe+ batches added up",
    /// 兩批合共), or, unless the whole is asked, only where no unnumbered
    /// fact of it gives the quantity (that would be the total).
    pub(super) fn parts(&self) -> Option<Vec<usize>> {
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
    pub(super) fn added_up(&self) -> Option<Vec<usize>> {
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
}
