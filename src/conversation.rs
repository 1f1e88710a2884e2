//! Follow-up questions. People in a chat do not repeat themselves: after
//! "How big is Science Park?" they ask "and Cyberport?" or "where is it?".
//! The engine stays pure: the context of a conversation is a value the
//! front end keeps and passes in with the next question, and gets back.
//!
//! A question that names its own subject and says what it asks starts
//! afresh. One that lacks the subject takes the last answer's topic
//! ("when was it renamed?" → "<ITB> when was it renamed?"); one that names
//! a subject but asks nothing takes the last question's words for what it
//! asked ("and Cyberport?" → "how big … Cyberport"). The question so
//! resolved is answered like any other, and is declined or suggested like
//! any other when the factsheet does not hold it: never answered from the
//! context alone. Meta follow-ups ("source?", "more", "in English") act on
//! the last answer itself.

use crate::answer::{self, Reason, Reply, Target};
use crate::engine::{Engine, SUBJECT_AT};
use crate::knowledge::{Attribute, Fact, Knowledge};
use crate::lang::Lang;
use crate::matcher::Ranking;

/// A follow-up keeping the subject takes the last answer again when it
/// scores within this share of the best.
const LAST_ANSWER_MARGIN: f32 = 0.9;

/// A fact holding this share of a question holds all of it.
const WHOLE: f32 = 0.95;
/// ... and this many times better than any other fact.
const ALONE_LEAD: f32 = 2.0;

/// What a conversation remembers of its last answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The last answer: a fact, or a topic's overview.
    pub target: Target,
    /// Its topic: the subject a follow-up without one keeps.
    pub topic: String,
    /// The words of the question that said what it asked, for a follow-up
    /// that names only a new subject.
    pub asked: String,
    /// The language of the last answer: a follow-up written the same in
    /// both Chinese scripts ("哪年成立的?") keeps it.
    pub lang: Lang,
}

/// One turn of a conversation: the reply, the context to keep for the next
/// turn, and the question as understood when it was resolved from context.
#[derive(Debug, Clone)]
pub struct Turn {
    pub reply: Reply,
    pub context: Option<Context>,
    pub resolved: Option<String>,
}

/// Follow-ups about the last answer itself; their ids are intents in
/// `knowledge/intents.toml`, whose replies serve when there is no context.
enum Meta {
    Source,
    More,
    Language(Lang),
}

fn meta(intent: &str) -> Option<Meta> {
    Some(match intent {
        // "Where is your data from?" after an answer asks for its source.
        "source" | "about" => Meta::Source,
        "more" => Meta::More,
        "in-english" => Meta::Language(Lang::En),
        "in-traditional" | "in-chinese" => Meta::Language(Lang::ZhHant),
        "in-simplified" => Meta::Language(Lang::ZhHans),
        _ => return None,
    })
}

impl Context {
    /// The context an answer leaves, if it answered with a fact or a topic.
    fn after(k: &Knowledge, reply: &Reply, asked: String) -> Option<Context> {
        if let Some(id) = reply.facts.first() {
            let fact = k.fact(id)?;
            return Some(Context {
                target: Target::Fact(fact.id.clone()),
                topic: fact.topic.clone(),
                asked,
                lang: reply.lang,
            });
        }
        let topic = reply.intent.as_deref()?.strip_prefix("topic:")?;
        Some(Context {
            target: Target::Topic(topic.to_string()),
            topic: topic.to_string(),
            asked,
            lang: reply.lang,
        })
    }

    fn fact<'k>(&self, k: &'k Knowledge) -> Option<&'k Fact> {
        match &self.target {
            Target::Fact(id) => k.fact(id),
            Target::Topic(_) => None,
        }
    }
}

impl Engine {
    /// Answers a question in a conversation whose last answer left `context`.
    pub fn converse(&self, question: &str, context: Option<&Context>, lang: Option<Lang>) -> Turn {
        let question = crate::normalize::capped(question);
        let k = self.knowledge();
        let lang = lang.or_else(|| {
            context
                .filter(|c| c.lang != Lang::En && same_in_both_scripts(question))
                .map(|c| c.lang)
        });
        let alone = self.explain(question, lang);
        let ranking = &alone.ranking;
        let asked_here = ranking.frame.asked.join(" ");
        let Some(context) = context else {
            let context = Context::after(k, &alone.reply, asked_here);
            return Turn {
                reply: alone.reply,
                context,
                resolved: None,
            };
        };
        if let Some(m) = ranking.intent.as_deref().and_then(meta) {
            if let Some(reply) = self.about_last(context, m, alone.reply.lang) {
                return Turn {
                    reply,
                    context: Some(context.clone()),
                    resolved: None,
                };
            }
        }
        let topic = k.topics.iter().position(|t| t.id == context.topic);
        // A name the last answer's subject holds whole ("the blueprint"
        // after the Smart City Blueprint) refers back to it, and words that
        // only resemble another subject's description, in other words, do
        // not name it ("can those companies hire extra research talent
        // too?" after the acceleration scheme).
        let names_subject = ranking.subjects.iter().any(|s| {
            s.strength >= SUBJECT_AT
                && !s.in_other_words
                && !topic.is_some_and(|t| self.matcher().names_in_short(s, t))
        });
        let frame = &ranking.frame;
        let says_what = !frame.attributes.is_empty() || !frame.events.is_empty();
        // A question whose every word one fact holds, far better than any
        // other, and which that fact answers on its own, is not elliptic
        // even without a named subject: "中试线什么时候投入运作?" after the
        // MEC's pilot facilities is about the pilot lines. ("What do they
        // measure?" is held as well by several facts.)
        let stands_alone = match (ranking.candidates.as_slice(), alone.reply.facts.first()) {
            ([first, second, ..], Some(id)) => {
                &k.facts[first.fact].id == id
                    && first.coverage >= WHOLE
                    && first.residue <= 0.0
                    && first.score >= ALONE_LEAD * second.score
            }
            _ => false,
        };
        let elliptic = ranking.intent.is_none() && !(names_subject && says_what) && !stands_alone;
        let resolved = match (elliptic, names_subject) {
            (false, _) => None,
            // "and Cyberport?": the new subject, asked what the last question asked.
            (true, true) if !context.asked.is_empty() => {
                Some((format!("{} {question}", context.asked), None))
            }
            (true, true) => None,
            // "where is it?", "幾時?": the last answer's subject; one that
            // only narrows ("and back in 2020?", "in total?") also asks
            // what the last question asked.
            (true, false) => topic.map(|t| {
                let name = k.topics[t].name.get(alone.reply.lang);
                let resolved = if says_what || !frame.narrows() || context.asked.is_empty() {
                    format!("{name} {question}")
                } else {
                    format!("{name} {} {question}", context.asked)
                };
                (resolved, Some(t))
            }),
        };
        let Some((resolved, supplied)) = resolved else {
            let kept = Context::after(k, &alone.reply, asked_here).or(Some(context.clone()));
            return Turn {
                reply: alone.reply,
                context: kept,
                resolved: None,
            };
        };
        let lang = lang.or(Some(alone.reply.lang));
        // "之後再注資咗幾多?" asks what came after the last answer.
        let later = self.matcher().asks_later(question);
        let passed = context
            .fact(k)
            .filter(|_| later)
            .and_then(|last| k.fact_index(&last.id));
        let mut turn = self.explain_following(&resolved, supplied, passed, lang);
        // "ITF批咗幾多個項目?" → "涉及幾多錢?": when the last answer itself
        // gives what the follow-up asks, it is the one meant.
        // It must rank close to the best: a follow-up asking another event
        // of the same subject ("and when was it renamed?") means another fact.
        // Nor when another fact of the subject holds every word of the
        // follow-up and the last answer does not.
        if let Some(last) = context.fact(k).filter(|_| !names_subject && !later) {
            if turn.reply.facts.first() != Some(&last.id)
                && !outworded(k, ranking, last)
                && self.gives_what_is_asked(&turn.ranking, &last.id, LAST_ANSWER_MARGIN)
            {
                turn.reply = self
                    .open(&context.target, turn.reply.lang)
                    .unwrap_or(turn.reply);
            }
        }
        // "which ones?" says only how it asks: it asks which of the last
        // answer's things; when the last answer does not list them, the
        // factsheet does not, whatever else of its subject lists things.
        let which_of_last = ranking.only_cues && frame.main_attribute() == Some(Attribute::Which);
        if let Some(last) = context.fact(k).filter(|_| which_of_last) {
            if turn.reply.facts.first() != Some(&last.id) {
                if let Some(lacks) = self.fact_lacks(&turn.ranking, &last.id, turn.reply.lang) {
                    turn.reply = lacks;
                }
            }
        }
        let asked = if says_what {
            asked_here
        } else {
            context.asked.clone()
        };
        let mut reply = turn.reply;
        let next = Context::after(k, &reply, asked).or(Some(context.clone()));
        // A decline that does not name the subject says which one it meant.
        if matches!(reply.reason, Some(Reason::Unsure | Reason::OutOfScope)) {
            let topic = turn
                .ranking
                .topics(k)
                .first()
                .filter(|(_, strength)| *strength >= SUBJECT_AT)
                .map(|(t, _)| *t)
                .or(topic);
            if let Some(topic) = topic {
                reply.body = format!("{}{}", about(k, topic, reply.lang), reply.body);
            }
        }
        Turn {
            reply,
            context: next,
            resolved: Some(resolved),
        }
    }

    /// The last answer's source, its topic's overview, or the answer again
    /// in another language.
    fn about_last(&self, context: &Context, m: Meta, lang: Lang) -> Option<Reply> {
        let k = self.knowledge();
        match m {
            Meta::Source => {
                let fact = context.fact(k)?;
                let line = answer::source_line(k, fact, lang);
                let mut reply = answer::fact_reply(k, fact, lang, 1.0);
                reply.body = format!(
                    "{}\n\n{}",
                    fact.title.get(lang),
                    answer::source_sentence(&line, lang)
                );
                reply.sources.clear();
                Some(reply)
            }
            Meta::More => self.open(&Target::Topic(context.topic.clone()), lang),
            Meta::Language(to) => self.open(&context.target, to),
        }
    }
}

/// Whether facts of the last answer's subject hold every word of a
/// follow-up (read alone) and the last answer does not: "咁個平台係幾時推出?"
/// after a service on the platform asks about the platform. A follow-up
/// that says only how it asks ("谁可以申请?") is held by many facts, and
/// outwords nothing.
fn outworded(k: &Knowledge, alone: &Ranking, last: &Fact) -> bool {
    let whole: Vec<&str> = alone
        .candidates
        .iter()
        .filter(|c| c.coverage >= WHOLE && k.facts[c.fact].topic == last.topic)
        .map(|c| k.facts[c.fact].id.as_str())
        .collect();
    !alone.only_cues && !whole.is_empty() && !whole.contains(&last.id.as_str())
}

/// "About Cyberport: " before a reply to a follow-up that could not be
/// answered, so the asker sees what it was taken to mean.
fn about(k: &Knowledge, topic: usize, lang: Lang) -> String {
    let name = k.topics[topic].name.get(lang);
    match lang {
        Lang::En => format!("About {name}: "),
        Lang::ZhHans => format!("关于{name}："),
        Lang::ZhHant => format!("關於{name}："),
    }
}

/// Whether Chinese text reads the same in Simplified and Traditional script.
fn same_in_both_scripts(text: &str) -> bool {
    text.chars().any(crate::script::is_han)
        && crate::script::to_simplified(text) == text
        && crate::script::to_traditional_hk(text) == text
}
