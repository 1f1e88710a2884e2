//! A question that asks two things of one subject, one after the other
//! ("《創科藍圖》係幾時出嘅?有幾多個發展方向?", "when did it open, and how
//! many companies are there?"): each ask is read on its own, the second as
//! a follow-up of the first's subject, and both answers are given. Read
//! whole, such a question is answered with one of its two facts, which
//! could pass for the whole answer. Where the factsheet holds one and not
//! the other ("數碼港幾時成立?有幾多間公司?"), the one is answered and
//! the lack of the other said, rather than the whole declined.

use super::{asked_noun, surely_named, Engine, Explanation};
use crate::answer::{self, Outcome, Reason, Reply, Target};
use crate::knowledge::Attribute;
use crate::lang::Lang;
use crate::matcher::{Anchor, Candidate};

/// English words that open a second ask after "and".
const SECOND_ASK: [&str; 7] = ["how", "when", "what", "where", "who", "which", "whose"];

impl Engine {
    /// Both asks' answers, where the question asks two things (read
    /// whole, its frame asks two), splits into two asks of one subject,
    /// and read whole gets one of their facts, "not sure" with them among
    /// the suggestions, or "not in the factsheet" (one ask the subject's
    /// facts do not give drags the whole down). A whole question declined
    /// for a year stays declined: the second ask, read alone, would lose
    /// the first's year.
    pub(super) fn two_asks(
        &self,
        question: &str,
        whole: &Explanation,
        lang: Lang,
    ) -> Option<Reply> {
        let (ranking, whole) = (&whole.ranking, &whole.reply);
        let whole_reads = match whole.reason {
            None => whole.outcome == Outcome::Fact,
            Some(reason) => {
                reason == Reason::Unsure
                    || (reason == Reason::NotInFactsheet && ranking.frame.years.is_empty())
            }
        };
        if !whole_reads || ranking.frame.attributes.len() < 2 {
            return None;
        }
        let (first, second) = split(question)?;
        let k = &self.knowledge;
        let one_fact = |reply: &Reply| match (reply.outcome, &reply.facts[..]) {
            (Outcome::Fact, [id]) => k.fact_index(id),
            _ => None,
        };
        let first = self.read(first, None, None, lang);
        // The subject is the first ask's fact's, or the one it names of
        // which the factsheet does not give what it asks.
        let first_fact = one_fact(&first.reply);
        let topic = match first_fact {
            Some(f) => self.matcher.topic_of(Anchor::Fact(f)),
            None => self.lacking(&first)?,
        };
        // Read as a follow-up is read: the subject's name before it.
        let second = format!("{} {second}", k.topics[topic].name.get(lang));
        let second = self.read(&second, Some(topic), None, lang);
        let asked = |e: &Explanation| e.ranking.frame.main_attribute();
        let asks = [asked(&first)?, asked(&second)?];
        // The first ask's fact may give what the second asks as well
        // ("RAISe+ 第一批有幾多個 project?總資助幾多?"): then it is the
        // answer to both, and the second ask, read without the first's
        // batch, would name another.
        let answers_both = first_fact.is_some_and(|f| {
            gives(&second, f, |c| {
                c.fit.attribute == Some(true) && !speaks_of_other(c)
            })
        });
        if answers_both {
            return None;
        }
        // The second ask is of the first's subject: a fact of another is
        // the second ask read as a question of its own.
        let second_fact =
            one_fact(&second.reply).filter(|f| self.matcher.topic_of(Anchor::Fact(*f)) == topic);
        let offered = |id: &String| {
            whole
                .suggestions
                .iter()
                .any(|s| matches!(&s.target, Target::Fact(offered) if offered == id))
        };
        // What the whole got is one of the answers: one of the facts, both
        // offered, or the factsheet lacking one of them.
        let one_of_them = |ids: &[&String]| match whole.reason {
            None => whole.facts.iter().all(|id| ids.contains(&id)),
            Some(Reason::Unsure) => ids.iter().all(|id| offered(id)),
            Some(_) => true,
        };
        let confidence = whole.confidence.max(0.5);
        let (answered, lack_first) = match (first_fact, second_fact) {
            // Two asks ask two things, each in words of its own: "what does
            // it cover? like records or what?" asks one thing twice.
            (Some(a), Some(b)) => {
                let ids = [&k.facts[a].id, &k.facts[b].id];
                if a == b || asks[0] == asks[1] || !one_of_them(&ids) {
                    return None;
                }
                let facts = [&k.facts[a], &k.facts[b]];
                return Some(answer::facts_reply(k, &facts, lang, confidence));
            }
            (Some(a), None) if self.lacking(&second) == Some(topic) => (a, false),
            (None, Some(b)) => (b, true),
            _ => return None,
        };
        let [answering, lacking] = if lack_first {
            [&second, &first]
        } else {
            [&first, &second]
        };
        // One answered and the other lacked only of figures and dates, which
        // a fact is known to give or not (by its figures and milestones):
        // read alone, an ask of a name or a description ("第三個平台叫咩
        // 名?") finds a fact of the subject that does not say it. And only
        // where the fact is known not to give the other: one that may ("the
        // winning entries were shown at the InnoCarnival") answers both.
        let figure_or_date = |a: &Attribute| a.is_quantity() || *a == Attribute::When;
        let may_give_other = gives(lacking, answered, |c| {
            c.fit.attribute != Some(false) && !speaks_of_other(c)
        });
        if !asks.iter().all(figure_or_date)
            || !gives(answering, answered, |c| c.fit.attribute == Some(true))
            || may_give_other
            || !one_of_them(&[&k.facts[answered].id])
        {
            return None;
        }
        let lacked = asks[usize::from(!lack_first)];
        Some(answer::fact_and_lack_reply(
            k,
            &k.facts[answered],
            &k.topics[topic],
            asked_noun(lacked, lang),
            lack_first,
            lang,
            confidence,
        ))
    }

    /// The subject named of which an ask, read alone, asks what its facts
    /// do not give ("the factsheet doesn't give that date for Cyberport").
    fn lacking(&self, ask: &Explanation) -> Option<usize> {
        if ask.reply.reason != Some(Reason::NotInFactsheet) {
            return None;
        }
        surely_named(&ask.ranking, &self.knowledge)
    }
}

/// Whether a reading ranks the fact so that it passes `test`.
fn gives(reading: &Explanation, fact: usize, test: impl Fn(&Candidate) -> bool) -> bool {
    reading
        .ranking
        .candidates
        .iter()
        .any(|c| c.fact == fact && test(c))
}

/// Whether the question asks of a thing the fact does not speak of (rent,
/// staff): the fact is known not to give it.
fn speaks_of_other(c: &Candidate) -> bool {
    c.fit.outside == Some(false)
}

/// The question's two asks: split after a question mark with more asked
/// after it, or before ", and how/when/what…" in English.
fn split(question: &str) -> Option<(&str, &str)> {
    let asks_more = |rest: &str| {
        rest.chars()
            .filter(|c| c.is_alphanumeric())
            .nth(1)
            .is_some()
    };
    if let Some((at, mark)) = question
        .char_indices()
        .find(|(at, c)| matches!(c, '?' | '？') && asks_more(&question[at + c.len_utf8()..]))
    {
        let rest = &question[at + mark.len_utf8()..];
        return Some((&question[..at + mark.len_utf8()], rest.trim()));
    }
    let lower = question.to_ascii_lowercase();
    SECOND_ASK.iter().find_map(|word| {
        [format!(", and {word} "), format!(" and {word} ")]
            .iter()
            .find_map(|joint| lower.find(joint.as_str()).map(|at| (at, joint.len())))
            .map(|(at, len)| {
                let second = &question[at + len - word.len() - 1..];
                (question[..at].trim_end_matches(','), second.trim())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_two_asks() {
        assert_eq!(
            split("《創科藍圖》係幾時出嘅?有幾多個發展方向?"),
            Some(("《創科藍圖》係幾時出嘅?", "有幾多個發展方向?"))
        );
        assert_eq!(
            split("When was the blueprint published, and how many directions does it set?"),
            Some((
                "When was the blueprint published",
                "how many directions does it set?"
            ))
        );
        assert_eq!(
            split("When did it open and where is it?"),
            Some(("When did it open", "where is it?"))
        );
    }

    #[test]
    fn one_ask_is_not_split() {
        for q in [
            "How many companies are in Cyberport?",
            "智方便有多少用户？",
            "Science Park and Cyberport: how big?",
            "Which is older?  ",
            "What research and development centres are there?",
        ] {
            assert_eq!(split(q), None, "{q}");
        }
    }
}
