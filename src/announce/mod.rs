//! Milestone announcements to subscribed chats.
//!
//! Each day, `plan` says which milestones are due (round anniversaries of
//! past events, reminders of planned ones). `deliver` writes them into the
//! ledger for every subscribed chat that wants that kind (`INSERT … ON
//! CONFLICT DO NOTHING` on the key (chat, milestone, occasion)), then posts
//! the chat's pending rows, oldest first, up to its daily cap.
//!
//! **Delivery guarantee: at most once per (chat, milestone, occasion), and
//! nothing silently lost.** A row is claimed (`pending` → `sending`, committed)
//! before it is sent and settled after: `sent`; back to `pending` when
//! Telegram asks to wait or the network fails (the next run posts it);
//! `failed` when the chat is gone (the subscription ends, with the reason).
//! A crash between the send and the settle leaves the row `sending`, and it is
//! never sent again: a duplicate in a group is worse than a missed reminder,
//! and Telegram offers no idempotency key that would let a retry be safe.
//! Announcements missed while the bot was down are posted when it returns,
//! if they are at most `window` days old; older ones are marked `expired`.
//! Running `deliver` again for the same day, by the scheduler or by
//! `factbot announce`, posts nothing twice.

pub mod ledger;
pub mod plan;
pub mod sender;

use std::time::Duration;

use time::Date;

use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::store::{Store, StoreError};
pub use ledger::{Pending, Subscription};
pub use plan::{card, due_on, Due, Kind};
pub use sender::{Delivery, Sender};

/// How far back missed announcements are still posted.
pub const DEFAULT_WINDOW_DAYS: u32 = 7;
/// Pause between posts: Telegram allows about 30 messages a second overall
/// and 20 a minute per group; daily caps keep each group far below the latter.
const PAUSE: Duration = Duration::from_millis(40);

/// What one delivery run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: Vec<(i64, String, String)>,
    pub deferred: usize,
    pub failed: usize,
    pub ended: Vec<(i64, String)>,
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
    enqueue_due(store, k, today, window_days)?;
    let mut report = Report::default();
    for s in store.subscriptions()? {
        if hour.is_some_and(|h| h < s.hour) {
            continue;
        }
        let lang = store.chat_lang(s.chat_id)?.unwrap_or(Lang::En);
        let mut room = s
            .daily_cap
            .saturating_sub(store.claimed_on(s.chat_id, today)?);
        let mut chat = s.chat_id;
        for mut p in store.pending(s.chat_id)? {
            if room == 0 {
                break;
            }
            // After a migration the chat's remaining rows live under the new id.
            p.chat_id = chat;
            let Some(text) = k
                .fact(&p.milestone)
                .and_then(|f| card(k, f, &p.occasion, lang))
            else {
                // The milestone left the knowledge: nothing true to post.
                if store.claim(&p, today)? {
                    store.settle(&p, "failed", Some("milestone no longer in the knowledge"))?;
                }
                continue;
            };
            if !store.claim(&p, today)? {
                continue;
            }
            room -= 1;
            let mut outcome = sender.send(chat, &text).await;
            if let Err(Delivery::Migrated(to)) = outcome {
                store.migrate_chat(chat, to)?;
                chat = to;
                p.chat_id = chat;
                outcome = sender.send(chat, &text).await;
            }
            match outcome {
                Ok(()) => {
                    store.settle(&p, "sent", None)?;
                    report
                        .sent
                        .push((chat, p.milestone.clone(), p.occasion.clone()));
                }
                Err(Delivery::Interrupted) => return Err(AnnounceError::Interrupted),
                Err(Delivery::Later(why)) => {
                    store.settle(&p, "pending", Some(&why))?;
                    report.deferred += 1;
                    break;
                }
                Err(Delivery::Gone(why)) => {
                    store.settle(&p, "failed", Some(&why))?;
                    store.unsubscribe(chat, &why)?;
                    report.failed += 1;
                    report.ended.push((chat, why));
                    break;
                }
                Err(Delivery::Migrated(_)) => {
                    // Migrated twice in one run: leave it for the next.
                    store.settle(&p, "pending", Some("chat migrated again"))?;
                    report.deferred += 1;
                    break;
                }
                Err(Delivery::Rejected(why)) => {
                    store.settle(&p, "failed", Some(&why))?;
                    report.failed += 1;
                }
            }
            tokio::time::sleep(PAUSE).await;
        }
    }
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
