//! The engine: knowledge plus matcher, answering one question at a time.
//! Every front end (CLI, Telegram, announcer) goes through it.

use crate::answer::{self, Reply, Suggestion, Target, MAX_REPLY_CHARS};
use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::matcher::{Candidate, Matcher, Ranking};
use crate::normalize::{detect_lang, normalize};

/// A fact is given as the answer at this confidence or above.
pub const ANSWER_AT: f32 = 0.5;
/// Below `ANSWER_AT`, a fact named in the question is still the answer at
/// this confidence when it stands well clear of the runner-up.
pub const ANSWER_CLEAR_AT: f32 = 0.35;
const CLEAR_MARGIN: f32 = 0.6;
/// Facts at or above this confidence are offered as suggestions.
pub const SUGGEST_AT: f32 = 0.2;
const MAX_SUGGESTIONS: usize = 3;

pub struct Engine {
    knowledge: Knowledge,
    matcher: Matcher,
}

/// Why a question got its reply, for curators.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub reply: Reply,
    pub ranking: Ranking,
}

impl Engine {
    pub fn new(knowledge: Knowledge) -> Engine {
        let matcher = Matcher::new(&knowledge);
        Engine { knowledge, matcher }
    }

    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// Answers in the question's own language.
    pub fn ask(&self, question: &str) -> Reply {
        self.explain(question, None).reply
    }

    /// Answers in `lang`, or in the question's language when `None`.
    pub fn ask_in(&self, question: &str, lang: Option<Lang>) -> Reply {
        self.explain(question, lang).reply
    }

    pub fn explain(&self, question: &str, lang: Option<Lang>) -> Explanation {
        let normalized = normalize(question);
        let lang = lang.unwrap_or_else(|| detect_lang(&normalized_source(question)));
        let ranking = self.matcher.rank(&normalized);
        let reply = self.decide(&ranking, lang);
        Explanation {
            reply: fit(reply),
            ranking,
        }
    }

    fn decide(&self, ranking: &Ranking, lang: Lang) -> Reply {
        let k = &self.knowledge;
        if let Some(id) = &ranking.intent {
            if let Some(reply) = answer::intent_reply(k, id, lang, 1.0) {
                return reply;
            }
        }
        if let Some(t) = ranking.overview {
            return answer::topic_reply(k, &k.topics[t], lang, 0.9);
        }
        let best = ranking.candidates.first();
        let runner_up = ranking.candidates.get(1).map_or(0.0, |c| c.score);
        match best {
            Some(c)
                if c.score >= ANSWER_AT
                    || (c.anchored
                        && c.rest_fits
                        && c.score >= ANSWER_CLEAR_AT
                        && runner_up < CLEAR_MARGIN * c.score) =>
            {
                answer::fact_reply(k, &k.facts[c.fact], lang, c.score.min(1.0))
            }
            _ => {
                let suggestions = self.suggestions(&ranking.candidates, lang);
                answer::unsure_reply(lang, best.map_or(0.0, |c| c.score.min(1.0)), suggestions)
            }
        }
    }

    fn suggestions(&self, candidates: &[Candidate], lang: Lang) -> Vec<Suggestion> {
        candidates
            .iter()
            .filter(|c| c.score >= SUGGEST_AT)
            .take(MAX_SUGGESTIONS)
            .map(|c| {
                let fact = &self.knowledge.facts[c.fact];
                Suggestion {
                    target: Target::Fact(fact.id.clone()),
                    title: fact.title.get(lang).to_string(),
                }
            })
            .collect()
    }

    /// The reply a suggestion, a topic button or a deep link opens.
    pub fn open(&self, target: &Target, lang: Lang) -> Option<Reply> {
        let k = &self.knowledge;
        let reply = match target {
            Target::Fact(id) => answer::fact_reply(k, k.fact(id)?, lang, 1.0),
            Target::Topic(id) => answer::topic_reply(k, k.topic(id)?, lang, 1.0),
        };
        Some(fit(reply))
    }

    /// Facts matching a short query, best first, for inline mode.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&crate::knowledge::Fact> {
        let ranking = self.matcher.rank(&normalize(query));
        ranking
            .candidates
            .iter()
            .filter(|c| c.score >= SUGGEST_AT)
            .take(limit)
            .map(|c| &self.knowledge.facts[c.fact])
            .collect()
    }
}

/// The text language detection reads: the question as typed, capped.
fn normalized_source(question: &str) -> String {
    question
        .chars()
        .take(crate::normalize::MAX_QUESTION_CHARS)
        .collect()
}

/// Keeps a reply under Telegram's message limit, cutting the body at a line.
fn fit(mut reply: Reply) -> Reply {
    let overhead: usize = reply
        .sources
        .iter()
        .map(|s| answer::source_sentence(s, reply.lang).chars().count() + 2)
        .sum::<usize>()
        + reply
            .suggestions
            .iter()
            .map(|s| s.title.chars().count() + 3)
            .sum::<usize>()
        + 16;
    let room = MAX_REPLY_CHARS.saturating_sub(overhead);
    if reply.body.chars().count() > room {
        let cut: String = reply.body.chars().take(room.saturating_sub(1)).collect();
        let at_line = cut.rfind('\n').filter(|&i| i > 0).unwrap_or(cut.len());
        reply.body = format!("{}…", &cut[..at_line]);
    }
    reply
}
