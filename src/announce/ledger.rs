//! Subscriptions and the announcement ledger, in the bot's SQLite store.

use rusqlite::{params, OptionalExtension, Row, Transaction, TransactionBehavior};
use time::Date;

use super::plan::{Due, Kind};
use crate::store::{Store, StoreError};

/// A chat's announcement settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub chat_id: i64,
    pub anniversaries: bool,
    pub planned: bool,
    /// Hong Kong hour of day from which the day's announcements go out.
    pub hour: u8,
    pub daily_cap: u32,
    pub subscribed_on: Date,
}

impl Subscription {
    pub fn new(chat_id: i64, today: Date) -> Subscription {
        Subscription {
            chat_id,
            anniversaries: true,
            planned: true,
            hour: 10,
            daily_cap: 3,
            subscribed_on: today,
        }
    }

    pub fn wants(&self, kind: Kind) -> bool {
        match kind {
            Kind::Anniversary => self.anniversaries,
            Kind::Planned => self.planned,
        }
    }
}

/// Whether a claim went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This run may send it.
    Claimed,
    /// Another run took it, or it is no longer pending.
    Taken,
    /// The chat has had its daily cap of announcements today.
    CapReached,
}

/// A ledger row in doubt: `sending` (a run is sending it, or died doing so)
/// or `unknown` (Telegram may have posted it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt {
    pub id: i64,
    pub chat_id: i64,
    pub milestone: String,
    pub occasion: String,
    pub state: String,
    /// When it was claimed (UTC, ISO 8601), if known.
    pub since: Option<String>,
    pub error: Option<String>,
}

/// What an operator who has looked at the chat says about a row in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Release {
    /// It did not reach the chat: post it on the next run.
    Pending,
    /// It reached the chat: never post it again.
    Sent,
}

/// A ledger row waiting to be posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub chat_id: i64,
    pub milestone: String,
    pub occasion: String,
    pub due_on: Date,
}

fn day(text: String) -> rusqlite::Result<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(&text, format).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn claimed_on(c: &rusqlite::Connection, chat_id: i64, today: Date) -> rusqlite::Result<u32> {
    c.query_row(
        "SELECT COUNT(*) FROM announcements WHERE chat_id = ?1 AND claimed_on = ?2
           AND state IN ('sending', 'unknown', 'sent')",
        params![chat_id, today.to_string()],
        |r| r.get(0),
    )
}

fn subscription(row: &Row) -> rusqlite::Result<Subscription> {
    Ok(Subscription {
        chat_id: row.get(0)?,
        anniversaries: row.get(1)?,
        planned: row.get(2)?,
        hour: row.get(3)?,
        daily_cap: row.get(4)?,
        subscribed_on: day(row.get(5)?)?,
    })
}

const SUBSCRIPTION_COLUMNS: &str =
    "chat_id, anniversaries, planned, hour, daily_cap, subscribed_on";

impl Store {
    /// Subscribes a chat, or updates its settings; a chat that had ended its
    /// subscription starts again from `subscribed_on`.
    pub fn subscribe(&self, s: &Subscription) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "INSERT INTO subscriptions (chat_id, anniversaries, planned, hour, daily_cap, subscribed_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (chat_id) DO UPDATE SET anniversaries = excluded.anniversaries,
                   planned = excluded.planned, hour = excluded.hour, daily_cap = excluded.daily_cap,
                   subscribed_on = CASE WHEN active THEN subscribed_on ELSE excluded.subscribed_on END,
                   active = 1, ended_at = NULL, end_reason = NULL",
                params![s.chat_id, s.anniversaries, s.planned, s.hour, s.daily_cap, s.subscribed_on.to_string()],
            )?;
            Ok(())
        })
    }

    /// Ends a subscription and records why; returns whether one was active.
    pub fn unsubscribe(&self, chat_id: i64, reason: &str) -> Result<bool, StoreError> {
        self.sql(|c| {
            let changed = c.execute(
                "UPDATE subscriptions SET active = 0, end_reason = ?2,
                   ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE chat_id = ?1 AND active",
                params![chat_id, reason],
            )?;
            Ok(changed > 0)
        })
    }

    pub fn subscription(&self, chat_id: i64) -> Result<Option<Subscription>, StoreError> {
        self.sql(|c| {
            let sql = format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE chat_id = ?1 AND active"
            );
            c.query_row(&sql, [chat_id], subscription).optional()
        })
    }

    pub fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.sql(|c| {
            let sql = format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE active ORDER BY chat_id"
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map([], subscription)?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Why a chat's subscription ended, if it did.
    pub fn end_reason(&self, chat_id: i64) -> Result<Option<String>, StoreError> {
        self.sql(|c| {
            c.query_row(
                "SELECT end_reason FROM subscriptions WHERE chat_id = ?1 AND NOT active",
                [chat_id],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// A group upgraded to a supergroup keeps its subscription and ledger under the new id.
    pub fn migrate_chat(&self, from: i64, to: i64) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE OR IGNORE subscriptions SET chat_id = ?2 WHERE chat_id = ?1",
                params![from, to],
            )?;
            c.execute(
                "UPDATE OR IGNORE announcements SET chat_id = ?2 WHERE chat_id = ?1",
                params![from, to],
            )?;
            c.execute(
                "UPDATE OR IGNORE chat_settings SET chat_id = ?2 WHERE chat_id = ?1",
                params![from, to],
            )?;
            Ok(())
        })
    }

    /// Records an announcement as owed to a chat; a second call is a no-op.
    pub fn enqueue(&self, chat_id: i64, due: &Due) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "INSERT INTO announcements (chat_id, milestone, occasion, due_on, state)
                 VALUES (?1, ?2, ?3, ?4, 'pending') ON CONFLICT DO NOTHING",
                params![chat_id, due.fact, due.occasion, due.on.to_string()],
            )?;
            Ok(())
        })
    }

    /// Pending announcements due before `oldest` will not be posted any more.
    pub fn expire_before(&self, oldest: Date) -> Result<usize, StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE announcements SET state = 'expired' WHERE state = 'pending' AND due_on < ?1",
                [oldest.to_string()],
            )
        })
    }

    /// A chat's pending announcements, oldest first.
    pub fn pending(&self, chat_id: i64) -> Result<Vec<Pending>, StoreError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT chat_id, milestone, occasion, due_on FROM announcements
                 WHERE chat_id = ?1 AND state = 'pending' ORDER BY due_on, milestone, occasion",
            )?;
            let rows = stmt.query_map([chat_id], |r| {
                Ok(Pending {
                    chat_id: r.get(0)?,
                    milestone: r.get(1)?,
                    occasion: r.get(2)?,
                    due_on: day(r.get(3)?)?,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// How many announcements a chat was given on `today`, for its daily
    /// cap: those sent, being sent, or perhaps sent.
    pub fn claimed_on(&self, chat_id: i64, today: Date) -> Result<u32, StoreError> {
        self.sql(|c| claimed_on(c, chat_id, today))
    }

    /// Takes a pending announcement for sending if the chat's daily cap
    /// allows. The count and the claim are one write transaction (`BEGIN
    /// IMMEDIATE`), so runs in several processes never exceed a cap nor take
    /// a row twice. Committed before the send, so a crash afterwards never
    /// posts it again.
    pub fn claim(&self, p: &Pending, today: Date, cap: u32) -> Result<Claim, StoreError> {
        self.sql(|c| {
            let tx = Transaction::new_unchecked(c, TransactionBehavior::Immediate)?;
            if claimed_on(&tx, p.chat_id, today)? >= cap {
                return Ok(Claim::CapReached);
            }
            let changed = tx.execute(
                "UPDATE announcements SET state = 'sending', attempts = attempts + 1, claimed_on = ?4,
                   claimed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')
                 WHERE chat_id = ?1 AND milestone = ?2 AND occasion = ?3 AND state = 'pending'",
                params![p.chat_id, p.milestone, p.occasion, today.to_string()],
            )?;
            tx.commit()?;
            Ok(if changed == 1 {
                Claim::Claimed
            } else {
                Claim::Taken
            })
        })
    }

    /// Gives up a pending announcement that can never be posted.
    pub fn retire(&self, p: &Pending, why: &str) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE announcements SET state = 'failed', error = ?4
                 WHERE chat_id = ?1 AND milestone = ?2 AND occasion = ?3 AND state = 'pending'",
                params![p.chat_id, p.milestone, p.occasion, why],
            )?;
            Ok(())
        })
    }

    /// Rows left `sending` for longer than `grace` (their run died mid-send)
    /// become `unknown`; returns how many.
    pub fn expire_sending(&self, grace: std::time::Duration) -> Result<usize, StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE announcements SET state = 'unknown',
                   error = 'the run sending it stopped before knowing whether Telegram posted it'
                 WHERE state = 'sending'
                   AND (claimed_at IS NULL OR claimed_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1))",
                [format!("-{} seconds", grace.as_secs())],
            )
        })
    }

    /// Rows in doubt, oldest first.
    pub fn in_doubt(&self) -> Result<Vec<Doubt>, StoreError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT id, chat_id, milestone, occasion, state, claimed_at, error FROM announcements
                 WHERE state IN ('sending', 'unknown') ORDER BY claimed_at, id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Doubt {
                    id: r.get(0)?,
                    chat_id: r.get(1)?,
                    milestone: r.get(2)?,
                    occasion: r.get(3)?,
                    state: r.get(4)?,
                    since: r.get(5)?,
                    error: r.get(6)?,
                })
            })?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Settles a row in doubt as an operator decided; false if no row with
    /// that id is in doubt.
    pub fn release(&self, id: i64, to: Release) -> Result<bool, StoreError> {
        let sql = match to {
            Release::Pending => {
                "UPDATE announcements SET state = 'pending', claimed_on = NULL, claimed_at = NULL,
                   error = 'released by the operator' WHERE id = ?1 AND state IN ('sending', 'unknown')"
            }
            Release::Sent => {
                "UPDATE announcements SET state = 'sent', error = 'marked sent by the operator'
                 WHERE id = ?1 AND state IN ('sending', 'unknown')"
            }
        };
        self.sql(|c| Ok(c.execute(sql, [id])? == 1))
    }

    /// Settles a claimed announcement: `sent`, `unknown` or `failed` (with
    /// why), or back to `pending`.
    pub fn settle(&self, p: &Pending, state: &str, error: Option<&str>) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE announcements SET state = ?4, error = ?5,
                   claimed_on = CASE WHEN ?4 = 'pending' THEN NULL ELSE claimed_on END
                 WHERE chat_id = ?1 AND milestone = ?2 AND occasion = ?3 AND state = 'sending'",
                params![p.chat_id, p.milestone, p.occasion, state, error],
            )?;
            Ok(())
        })
    }

    /// The ledger state of one announcement, if it was ever queued.
    pub fn ledger_state(
        &self,
        chat_id: i64,
        milestone: &str,
        occasion: &str,
    ) -> Result<Option<String>, StoreError> {
        self.sql(|c| {
            c
                .query_row(
                    "SELECT state FROM announcements WHERE chat_id = ?1 AND milestone = ?2 AND occasion = ?3",
                    params![chat_id, milestone, occasion],
                    |r| r.get(0),
                )
                .optional()
        })
    }

    /// Counts of ledger rows by state, for reports and tests.
    pub fn ledger_counts(&self) -> Result<Vec<(String, u32)>, StoreError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT state, COUNT(*) FROM announcements GROUP BY state ORDER BY state",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()
        })
    }
}
