//! Milestone announcements to subscribed chats.
//!
//! Each day, `plan` says which milestones are due (round anniversaries of
//! past events, reminders of planned ones). `deliver` writes them into the
//! ledger for every subscribed chat that wants that kind (`INSERT … ON
//! CONFLICT DO NOTHING` on the key (chat, milestone, occasion)), then posts
//! the chat's pending rows, oldest first, up to its daily cap.
//!
//! **Delivery guarantee: at most once per (chat, milestone, occasion), and
//! nothing silently lost.** A row is claimed (`pending` → `sending`,
//! committed, inside the same write transaction that checks the chat's daily
//! cap) before it is sent, and settled after by what the send proved:
//!
//! | the send                                              | the row becomes | then                         |
//! |-------------------------------------------------------|-----------------|------------------------------|
//! | Telegram answered with the message                    | `sent`          | —                            |
//! | surely not delivered: connection refused, DNS, 429    | `pending`       | the next run posts it        |
//! | maybe delivered: timeout or reset after the request   | `unknown`       | never resent automatically   |
//! | was written, a 5xx or a body that is not Telegram's   |                 | (`factbot announce --status`) |
//! | the chat is gone (403 kicked/blocked, not found)      | `failed`        | the subscription ends        |
//! | refused for good (any other 4xx)                      | `failed`        | —                            |
//! | the process died mid-send                             | `sending`       | `unknown` after `SENDING_GRACE` |
//!
//! Question replies may be retried after a maybe-delivered fault (a rare
//! duplicate answer beats a lost one); announcements never are, because a
//! duplicate in a group is worse than a missed reminder, and Telegram offers
//! no idempotency key that would make a retry safe. An operator who has
//! looked at the chat settles an `unknown` row with `factbot announce
//! --release ID --as pending|sent`.
//!
//! Announcements missed while the bot was down are posted when it returns,
//! if they are at most `window` days old; older ones are marked `expired`.
//! Running `deliver` again for the same day, by the scheduler or by any
//! number of `factbot announce` processes at once, posts nothing twice.

pub mod ledger;
pub mod plan;
pub mod sender;

use std::time::Duration;

use time::Date;

use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::store::{Store, StoreError};
pub use ledger::{Claim, Doubt, Pending, Release, Subscription};
pub use plan::{card, due_on, Due, Kind};
pub use sender::{Delivery, Sender};

/// How far back missed announcements are still posted.
pub const DEFAULT_WINDOW_DAYS: u32 = 7;
/// Pause between posts: Telegram allows about 30 messages a second overall
/// and 20 a minute per group; daily caps keep each group far below the latter.
const PAUSE: Duration = Duration::from_millis(40);

/// How long a row may stay `sending` before it is taken to be in doubt:
/// longer than any send lasts (the outbound deadline plus a request).
pub const SENDING_GRACE: Duration = Duration::from_secs(15 * 60);

/// One announcement and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub chat_id: i64,
    pub milestone: String,
    pub occasion: String,
    /// Why it was not sent (empty when it was).
    pub why: String,
}

/// What one delivery run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: Vec<Outcome>,
    /// Surely not delivered: posted by a later run.
    pub deferred: Vec<Outcome>,
    /// Perhaps delivered: left `unknown` for an operator.
    pub unknown: Vec<Outcome>,
    pub failed: Vec<Outcome>,
    /// Subscriptions ended because the chat is gone, with why.
    pub ended: Vec<(i64, String)>,
    /// Rows in doubt in the ledger after the run (this run's and earlier ones).
    pub in_doubt: Vec<Doubt>,
}

impl Report {
    /// Whether anything happened worth a line in the log.
    pub fn is_eventful(&self) -> bool {
        !(self.sent.is_empty()
            && self.deferred.is_empty()
            && self.unknown.is_empty()
            && self.failed.is_empty())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AnnounceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The process stops here, as if killed; tests use it to cut a broadcast short.
    #[error("delivery interrupted")]
    Interrupted,
}

/// Queues the announcements due in the window ending on `today` for every
/// subscription that wants them.
pub fn enqueue_due(
    store: &Store,
    k: &Knowledge,
    today: Date,
    window_days: u32,
) -> Result<(), StoreError> {
    let subscriptions = store.subscriptions()?;
    for back in 0..=window_days {
        let Some(day) = today.checked_sub(time::Duration::days(back.into())) else {
            continue;
        };
        for due in due_on(k, day) {
            for s in subscriptions
                .iter()
                .filter(|s| s.wants(due.kind) && s.subscribed_on <= day)
            {
                store.enqueue(s.chat_id, &due)?;
            }
        }
    }
    if let Some(oldest) = today.checked_sub(time::Duration::days(window_days.into())) {
        store.expire_before(oldest)?;
    }
    Ok(())
}

/// Posts what is due on `today`. With `hour`, only chats whose hour has come
/// are served (the scheduler); without, every chat (`factbot announce`).
pub async fn deliver<S: Sender>(
    store: &Store,
    k: &Knowledge,
    sender: &S,
    today: Date,
    hour: Option<u8>,
    window_days: u32,
) -> Result<Report, AnnounceError> {
    store.expire_sending(SENDING_GRACE)?;
    enqueue_due(store, k, today, window_days)?;
    let mut report = Report::default();
    for s in store.subscriptions()? {
        if hour.is_some_and(|h| h < s.hour) {
            continue;
        }
        let lang = store.chat_lang(s.chat_id)?.unwrap_or(Lang::En);
        let mut chat = s.chat_id;
        for mut p in store.pending(s.chat_id)? {
            // After a migration the chat's remaining rows live under the new id.
            p.chat_id = chat;
            let Some(text) = k
                .fact(&p.milestone)
                .and_then(|f| card(k, f, &p.occasion, lang, p.due_on, today))
            else {
                // The milestone left the knowledge: nothing true to post.
                store.retire(&p, "milestone no longer in the knowledge")?;
                continue;
            };
            match store.claim(&p, today, s.daily_cap)? {
                Claim::Claimed => {}
                Claim::Taken => continue,
                Claim::CapReached => break,
            }
            let mut outcome = sender.send(chat, &text).await;
            if let Err(Delivery::Migrated(to)) = outcome {
                store.migrate_chat(chat, to)?;
                chat = to;
                p.chat_id = chat;
                outcome = sender.send(chat, &text).await;
            }
            let noted = |why: &str| Outcome {
                chat_id: chat,
                milestone: p.milestone.clone(),
                occasion: p.occasion.clone(),
                why: why.to_string(),
            };
            match outcome {
                Ok(()) => {
                    store.settle(&p, "sent", None)?;
                    report.sent.push(noted(""));
                }
                Err(Delivery::Interrupted) => return Err(AnnounceError::Interrupted),
                Err(Delivery::Later(why)) => {
                    store.settle(&p, "pending", Some(&why))?;
                    report.deferred.push(noted(&why));
                    break;
                }
                Err(Delivery::Unknown(why)) => {
                    store.settle(&p, "unknown", Some(&why))?;
                    report.unknown.push(noted(&why));
                    break;
                }
                Err(Delivery::Gone(why)) => {
                    store.settle(&p, "failed", Some(&why))?;
                    store.unsubscribe(chat, &why)?;
                    report.failed.push(noted(&why));
                    report.ended.push((chat, why));
                    break;
                }
                Err(Delivery::Migrated(_)) => {
                    // Migrated twice in one run: leave it for the next.
                    let why = "chat migrated again";
                    store.settle(&p, "pending", Some(why))?;
                    report.deferred.push(noted(why));
                    break;
                }
                Err(Delivery::Rejected(why)) => {
                    store.settle(&p, "failed", Some(&why))?;
                    report.failed.push(noted(&why));
                }
            }
            tokio::time::sleep(PAUSE).await;
        }
    }
    report.in_doubt = store.in_doubt()?;
    Ok(report)
}

/// What a run on `today` would post, to which chat, without touching the ledger.
pub fn would_post(
    store: &Store,
    k: &Knowledge,
    today: Date,
    window_days: u32,
) -> Result<Vec<(i64, Due)>, StoreError> {
    let mut out = Vec::new();
    for s in store.subscriptions()? {
        let mut room = s
            .daily_cap
            .saturating_sub(store.claimed_on(s.chat_id, today)?) as usize;
        for back in (0..=window_days).rev() {
            let Some(day) = today.checked_sub(time::Duration::days(back.into())) else {
                continue;
            };
            for due in due_on(k, day) {
                let owed = s.wants(due.kind)
                    && s.subscribed_on <= day
                    && matches!(
                        store
                            .ledger_state(s.chat_id, &due.fact, &due.occasion)?
                            .as_deref(),
                        None | Some("pending")
                    );
                if owed && room > 0 {
                    room -= 1;
                    out.push((s.chat_id, due));
                }
            }
        }
    }
    Ok(out)
}

/// Today and the hour in Hong Kong (UTC+8, no daylight saving).
pub fn hong_kong_now() -> (Date, u8) {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    (now.date(), now.hour())
}
