//! Usage statistics for curators: how many questions a day, how often each
//! language gets an answer, what becomes of the rest, which facts are asked
//! for most and which declined questions recur. Recorded per question
//! without its text or any user or chat id (the declined questions' text is
//! the curation log, `unanswered`, which has no ids either).

use rusqlite::params;
use serde::Serialize;

use crate::answer::Reply;
use crate::eval::answer_key;
use crate::store::{Store, StoreError, UnansweredGroup};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub days: u32,
    pub total: u64,
    /// (day, questions), oldest first.
    pub per_day: Vec<(String, u64)>,
    pub by_lang: Vec<LangUsage>,
    /// (outcome or decline reason, questions), most first.
    pub by_outcome: Vec<(String, u64)>,
    /// (fact, facts joined by `+`, or `topic:<id>`, times answered with), most first.
    pub top_answers: Vec<(String, u64)>,
    pub top_declined: Vec<UnansweredGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangUsage {
    pub lang: String,
    pub asked: u64,
    pub answered: u64,
}

/// How many of the top answers and declined questions a report lists.
const TOP: usize = 10;

impl Store {
    /// Records what became of one question.
    pub fn record_question(&self, reply: &Reply, follow_up: bool) -> Result<(), StoreError> {
        let outcome = serde_json::to_value(reply.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let reason = reply
            .reason
            .and_then(|r| serde_json::to_value(r).ok())
            .and_then(|v| v.as_str().map(str::to_string));
        self.sql(|c| {
            c.execute(
                "INSERT INTO questions (lang, outcome, reason, answer, follow_up) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![reply.lang.code(), outcome, reason, answer_key(reply), follow_up],
            )
            .map(drop)
        })
    }

    /// The statistics of the last `days` days, today included.
    pub fn stats(&self, days: u32) -> Result<Stats, StoreError> {
        let since = format!("-{} days", days.saturating_sub(1));
        let counted = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            self.sql(|c| {
                c.prepare(sql)?
                    .query_map(params![since], |r| {
                        Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
                    })?
                    .collect()
            })
        };
        let window = "asked_on >= date('now', ?1)";
        let per_day = counted(&format!(
            "SELECT asked_on, COUNT(*) FROM questions WHERE {window} GROUP BY asked_on ORDER BY asked_on"
        ))?;
        let by_outcome = counted(&format!(
            "SELECT COALESCE(reason, outcome), COUNT(*) AS n FROM questions WHERE {window}
             GROUP BY COALESCE(reason, outcome) ORDER BY n DESC, 1"
        ))?;
        let top_answers = counted(&format!(
            "SELECT answer, COUNT(*) AS n FROM questions WHERE {window} AND answer IS NOT NULL
               AND outcome IN ('fact', 'topic') GROUP BY answer ORDER BY n DESC, answer LIMIT {TOP}"
        ))?;
        let by_lang = self.sql(|c| {
            c.prepare(&format!(
                "SELECT lang, COUNT(*), SUM(outcome IN ('fact', 'topic', 'intent')) FROM questions
                 WHERE {window} GROUP BY lang ORDER BY lang"
            ))?
            .query_map(params![since], |r| {
                Ok(LangUsage {
                    lang: r.get(0)?,
                    asked: r.get::<_, i64>(1)? as u64,
                    answered: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect()
        })?;
        let top_declined = self.unanswered_since(&since, TOP)?;
        Ok(Stats {
            days,
            total: per_day.iter().map(|(_, n)| n).sum(),
            per_day,
            by_lang,
            by_outcome,
            top_answers,
            top_declined,
        })
    }
}
