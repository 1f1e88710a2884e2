//! The durable inbox: no question is lost to a crash or a restart.
//!
//! Every update fetched from Telegram (or posted to the webhook) is written
//! here, keyed by its `update_id`, before Telegram is told it was received
//! (the next `getUpdates` offset, or the webhook's 200). It is marked
//! `handled` once its handling has finished, and its payload, which holds the
//! user's text, is dropped then. On start, updates still `pending` and younger
//! than `REPLAY_WITHIN` are handled first; older ones are marked `expired` and
//! counted in the log. An update Telegram delivers again finds its row and is
//! not handled twice.
//!
//! The one exception: a crash after a reply was sent but before its update
//! was marked handled replays that update, and its asker gets the answer
//! twice. Only the updates being handled at the moment of the crash can be
//! affected; the start-up log says how many were replayed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::params;

use crate::store::{Store, StoreError};

/// Unanswered updates older than this are not replayed: an answer an hour
/// late is worse than none.
pub const REPLAY_WITHIN: Duration = Duration::from_secs(3600);
/// Handled rows are kept this long, so that a late redelivery is recognised.
const KEEP_HANDLED: Duration = Duration::from_secs(24 * 3600);

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What start-up found in the inbox.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Backlog {
    /// Updates to handle now, oldest first: (update id, payload).
    pub replay: Vec<(u32, String)>,
    /// Updates too old to answer, now marked expired.
    pub expired: usize,
}

impl Store {
    /// Records a batch of updates in one transaction; says for each whether
    /// it is new (and so must be handled).
    pub fn inbox_accept(
        &self,
        updates: &[(u32, String)],
        now: i64,
    ) -> Result<Vec<bool>, StoreError> {
        self.sql(|c| {
            let tx = c.unchecked_transaction()?;
            let mut fresh = Vec::with_capacity(updates.len());
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO inbox (update_id, payload, state, received_at)
                     VALUES (?1, ?2, 'pending', ?3) ON CONFLICT (update_id) DO NOTHING",
                )?;
                for (id, payload) in updates {
                    fresh.push(insert.execute(params![id, payload, now])? == 1);
                }
            }
            tx.commit()?;
            Ok(fresh)
        })
    }

    /// Marks an update handled and forgets what it said.
    pub fn inbox_settle(&self, update_id: u32, now: i64) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE inbox SET state = 'handled', payload = NULL, settled_at = ?2
                 WHERE update_id = ?1",
                params![update_id, now],
            )
            .map(drop)
        })
    }

    /// The updates to handle after a restart; expires the ones too old and
    /// prunes handled rows past keeping.
    pub fn inbox_backlog(&self, now: i64) -> Result<Backlog, StoreError> {
        let oldest = now - REPLAY_WITHIN.as_secs() as i64;
        self.sql(|c| {
            let expired = c.execute(
                "UPDATE inbox SET state = 'expired', payload = NULL, settled_at = ?2
                 WHERE state = 'pending' AND received_at < ?1",
                params![oldest, now],
            )?;
            c.execute(
                "DELETE FROM inbox WHERE state != 'pending' AND settled_at < ?1",
                params![now - KEEP_HANDLED.as_secs() as i64],
            )?;
            let mut stmt = c.prepare(
                "SELECT update_id, payload FROM inbox WHERE state = 'pending' ORDER BY update_id",
            )?;
            let replay = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ))
                })?
                .collect::<Result<_, _>>()?;
            Ok(Backlog { replay, expired })
        })
    }

    /// How many updates wait to be handled.
    pub fn inbox_pending(&self) -> Result<u64, StoreError> {
        self.sql(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM inbox WHERE state = 'pending'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_handled_once_and_forgotten_after() {
        let store = Store::in_memory().unwrap();
        let batch = vec![(7, "{\"a\":1}".to_string()), (8, "{\"b\":2}".to_string())];
        assert_eq!(store.inbox_accept(&batch, 1000).unwrap(), vec![true, true]);
        assert_eq!(
            store.inbox_accept(&batch[..1], 1001).unwrap(),
            vec![false],
            "a redelivery is recognised"
        );
        store.inbox_settle(7, 1002).unwrap();
        assert_eq!(store.inbox_pending().unwrap(), 1);
        let payload: Option<String> = store
            .connection()
            .query_row("SELECT payload FROM inbox WHERE update_id = 7", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(payload, None, "a handled update keeps no text");
        let backlog = store.inbox_backlog(1003).unwrap();
        assert_eq!(backlog.replay, vec![(8, "{\"b\":2}".to_string())]);
        assert_eq!(backlog.expired, 0);
    }

    #[test]
    fn old_updates_expire_instead_of_replaying() {
        let store = Store::in_memory().unwrap();
        store
            .inbox_accept(&[(1, "{}".into()), (2, "{}".into())], 0)
            .unwrap();
        store.inbox_accept(&[(3, "{}".into())], 4000).unwrap();
        let backlog = store.inbox_backlog(4000).unwrap();
        assert_eq!(backlog.expired, 2);
        assert_eq!(backlog.replay.len(), 1);
        // A day later the settled rows are gone, and a redelivery of them would
        // be new again: Telegram never redelivers that late.
        let later = 4000 + KEEP_HANDLED.as_secs() as i64 + 1;
        store.inbox_backlog(later).unwrap();
        let rows: i64 = store
            .connection()
            .query_row("SELECT COUNT(*) FROM inbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1, "rows settled over a day ago are gone");
    }
}
