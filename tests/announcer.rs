//! Milestone announcements on a real SQLite file: the ledger's at-most-once
//! guarantee across repeated runs and interrupted broadcasts, and Telegram
//! faults (flood limits, kicked bots, migrated groups, sends that may or may
//! not have reached Telegram).

mod support;

use std::sync::Mutex;

use factbot::announce::{
    deliver, Delivery, Release, Sender, Subscription, DEFAULT_WINDOW_DAYS, SENDING_GRACE,
};
use factbot::knowledge::Knowledge;
use factbot::store::Store;
use time::macros::date;
use time::Date;

/// Records what it posts; can be told how to fail.
#[derive(Default)]
struct Recorder {
    posts: Mutex<Vec<(i64, String)>>,
    /// Fail the n-th send (0-based) with this delivery error, after recording it
    /// when the error is `Interrupted` (the message left; the process died).
    fail_at: Option<(usize, Delivery)>,
    calls: Mutex<usize>,
}

impl Sender for Recorder {
    async fn send(&self, chat: i64, text: &str) -> Result<(), Delivery> {
        let n = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls - 1
        };
        match &self.fail_at {
            Some((at, Delivery::Interrupted)) if *at == n => {
                self.posts.lock().unwrap().push((chat, text.to_string()));
                Err(Delivery::Interrupted)
            }
            Some((at, err)) if *at == n => Err(err.clone()),
            _ => {
                self.posts.lock().unwrap().push((chat, text.to_string()));
                Ok(())
            }
        }
    }
}

impl Recorder {
    fn failing(at: usize, err: Delivery) -> Recorder {
        Recorder {
            fail_at: Some((at, err)),
            ..Recorder::default()
        }
    }

    fn posts(&self) -> Vec<(i64, String)> {
        self.posts.lock().unwrap().clone()
    }
}

fn knowledge() -> Knowledge {
    Knowledge::load_from(None).unwrap()
}

fn subscribe(store: &Store, chat: i64, since: Date) {
    store.subscribe(&Subscription::new(chat, since)).unwrap();
}

const NOV_1: Date = date!(2025 - 11 - 01);

#[tokio::test]
async fn two_runs_on_the_same_day_post_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite3");
    let k = knowledge();
    let store = Store::open(&path).unwrap();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    subscribe(&store, -2, date!(2025 - 01 - 01));
    let sender = Recorder::default();
    let first = deliver(&store, &k, &sender, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(
        first.sent.len(),
        4,
        "2 milestones due on 2025-11-01, to 2 chats"
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    let second = deliver(&store, &k, &sender, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert!(second.sent.is_empty());
    assert_eq!(sender.posts().len(), 4);
    let posts = sender.posts();
    assert!(
        posts
            .iter()
            .any(|(_, text)| text.starts_with("10 years ago this month (November 2015)")),
        "{posts:?}"
    );
}

#[tokio::test]
async fn a_broadcast_killed_midway_posts_each_at_most_once_and_the_rest_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite3");
    let k = knowledge();
    for chat in [-1, -2, -3] {
        subscribe(&Store::open(&path).unwrap(), chat, date!(2025 - 01 - 01));
    }
    // The third message leaves, then the process dies before recording it.
    let dying = Recorder::failing(2, Delivery::Interrupted);
    let store = Store::open(&path).unwrap();
    assert!(
        deliver(&store, &k, &dying, NOV_1, None, DEFAULT_WINDOW_DAYS)
            .await
            .is_err()
    );
    drop(store);

    let restarted = Recorder::default();
    let store = Store::open(&path).unwrap();
    deliver(&store, &k, &restarted, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    let mut all = dying.posts();
    all.extend(restarted.posts());
    assert_eq!(all.len(), 6, "every announcement posted: {all:?}");
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "nothing posted twice");
}

#[tokio::test]
async fn a_flood_limit_leaves_the_announcement_pending_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let flooded = Recorder::failing(0, Delivery::Later("flood".into()));
    let report = deliver(&store, &k, &flooded, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!((report.sent.len(), report.deferred.len()), (0, 1));
    assert_eq!(report.deferred[0].why, "flood");
    let next = Recorder::default();
    deliver(&store, &k, &next, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(next.posts().len(), 2);
}

#[tokio::test]
async fn a_kicked_bot_ends_the_subscription_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let kicked = Recorder::failing(0, Delivery::Gone("bot was kicked".into()));
    let report = deliver(&store, &k, &kicked, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(report.ended, vec![(-1, "bot was kicked".to_string())]);
    assert!(store.subscription(-1).unwrap().is_none());
    assert_eq!(
        store.end_reason(-1).unwrap().as_deref(),
        Some("bot was kicked")
    );
}

#[tokio::test]
async fn a_migrated_group_keeps_receiving_under_its_new_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let migrating = Recorder::failing(0, Delivery::Migrated(-1001));
    deliver(&store, &k, &migrating, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert!(migrating.posts().iter().all(|(chat, _)| *chat == -1001));
    assert_eq!(migrating.posts().len(), 2);
    assert!(store.subscription(-1001).unwrap().is_some());
    assert!(store.subscription(-1).unwrap().is_none());
}

#[tokio::test]
async fn missed_days_are_caught_up_within_the_window_and_expire_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let late = Recorder::default();
    deliver(
        &store,
        &k,
        &late,
        date!(2025 - 11 - 05),
        None,
        DEFAULT_WINDOW_DAYS,
    )
    .await
    .unwrap();
    assert_eq!(
        late.posts().len(),
        2,
        "the 1 November announcements, 4 days late"
    );

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let too_late = Recorder::default();
    deliver(
        &store,
        &k,
        &too_late,
        date!(2025 - 11 - 20),
        None,
        DEFAULT_WINDOW_DAYS,
    )
    .await
    .unwrap();
    assert!(
        too_late.posts().is_empty(),
        "19 days is past the 7-day window"
    );
}

#[tokio::test]
async fn chats_get_only_the_kinds_they_chose_within_their_cap_and_hour() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    let mut planned_only = Subscription::new(-1, date!(2025 - 01 - 01));
    planned_only.anniversaries = false;
    store.subscribe(&planned_only).unwrap();
    let mut capped = Subscription::new(-2, date!(2025 - 01 - 01));
    capped.daily_cap = 1;
    store.subscribe(&capped).unwrap();
    let mut late_riser = Subscription::new(-3, date!(2025 - 01 - 01));
    late_riser.hour = 18;
    store.subscribe(&late_riser).unwrap();
    let sender = Recorder::default();
    deliver(&store, &k, &sender, NOV_1, Some(10), DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    let to = |chat: i64| sender.posts().iter().filter(|(c, _)| *c == chat).count();
    assert_eq!(to(-1), 0, "no planned milestone is due on 1 November");
    assert_eq!(to(-2), 1, "the daily cap holds");
    assert_eq!(to(-3), 0, "not before the chat's hour");
}

#[tokio::test]
async fn a_send_that_may_have_reached_telegram_is_never_repeated_until_an_operator_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let k = knowledge();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let timed_out = Recorder::failing(0, Delivery::Unknown("timed out".into()));
    let report = deliver(&store, &k, &timed_out, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(report.unknown.len(), 1);
    assert_eq!(report.unknown[0].why, "timed out");
    assert_eq!(report.in_doubt.len(), 1);
    let doubt = &report.in_doubt[0];
    assert_eq!((doubt.chat_id, doubt.state.as_str()), (-1, "unknown"));

    // Later runs post the chat's other card, never the one in doubt.
    let next = Recorder::default();
    for _ in 0..3 {
        deliver(&store, &k, &next, NOV_1, None, DEFAULT_WINDOW_DAYS)
            .await
            .unwrap();
    }
    assert_eq!(next.posts().len(), 1, "{:?}", next.posts());
    assert_eq!(store.in_doubt().unwrap().len(), 1);

    // The operator checked the chat: it never arrived.
    assert!(store.release(doubt.id, Release::Pending).unwrap());
    assert!(
        !store.release(doubt.id, Release::Pending).unwrap(),
        "only rows in doubt"
    );
    deliver(&store, &k, &next, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(next.posts().len(), 2);
    assert!(store.in_doubt().unwrap().is_empty());
}

#[tokio::test]
async fn a_row_left_sending_by_a_dead_run_is_reported_and_then_taken_as_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let k = knowledge();
    let store = Store::open(&path).unwrap();
    subscribe(&store, -1, date!(2025 - 01 - 01));
    let dying = Recorder::failing(0, Delivery::Interrupted);
    assert!(
        deliver(&store, &k, &dying, NOV_1, None, DEFAULT_WINDOW_DAYS)
            .await
            .is_err()
    );
    drop(store);

    // A rerun within the grace leaves it alone (another run may be sending it) and says so.
    let store = Store::open(&path).unwrap();
    let rerun = Recorder::default();
    let report = deliver(&store, &k, &rerun, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(rerun.posts().len(), 1, "only the other card");
    assert_eq!(report.in_doubt.len(), 1);
    assert_eq!(report.in_doubt[0].state, "sending");

    // Past the grace, it is in doubt for good: `unknown`, still never resent.
    store
        .connection()
        .execute(
            "UPDATE announcements SET claimed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1) WHERE state = 'sending'",
            [format!("-{} seconds", SENDING_GRACE.as_secs() + 60)],
        )
        .unwrap();
    let report = deliver(&store, &k, &rerun, NOV_1, None, DEFAULT_WINDOW_DAYS)
        .await
        .unwrap();
    assert_eq!(report.in_doubt[0].state, "unknown");
    assert_eq!(rerun.posts().len(), 1);
    assert!(store.release(report.in_doubt[0].id, Release::Sent).unwrap());
    assert!(store.in_doubt().unwrap().is_empty());
}
