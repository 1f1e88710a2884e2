//! `factbot announce` as cron would run it, against a fake Bot API server:
//! subscribed groups only, flood limits waited out, kicked bots unsubscribed,
//! migrated groups followed, and a kill -9 mid-broadcast never duplicating.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use factbot::announce::Subscription;
use factbot::store::Store;
use support::fake_api::{FakeApi, Script, TOKEN};
use time::macros::date;

fn announce(api: &FakeApi, db: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbot"));
    cmd.args(["announce", "--date", "2025-11-01", "--db"])
        .arg(db)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env_remove("FACTBOT_KNOWLEDGE");
    cmd
}

/// Runs a command to completion off the async runtime the fake server needs.
async fn output(mut cmd: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn subscribe(db: &std::path::Path, chats: &[i64]) {
    let store = Store::open(db).unwrap();
    for &chat in chats {
        store
            .subscribe(&Subscription::new(chat, date!(2025 - 01 - 01)))
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announce_delivers_to_subscribers_and_handles_telegram_faults() {
    const SUBSCRIBED: i64 = -101;
    const KICKED: i64 = -102;
    const OLD_GROUP: i64 = -103;
    const SUPERGROUP: i64 = -1_000_103;
    let mut script = Script {
        flood_first: 1,
        ..Script::default()
    };
    script.forbidden.insert(KICKED);
    script.migrated.insert(OLD_GROUP, SUPERGROUP);
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    subscribe(&db, &[SUBSCRIBED, KICKED, OLD_GROUP]);

    let out = output(announce(&api, &db)).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let delivered: Vec<i64> = api.sent_to();
    let to = |chat: i64| delivered.iter().filter(|c| **c == chat).count();
    assert_eq!(to(SUBSCRIBED), 2, "{delivered:?}");
    // 4 delivered, plus the refusals: one 429 (then retried), one 403, one "migrated".
    assert_eq!(delivered.len(), 7, "{delivered:?}");
    assert_eq!(
        api.script.lock().unwrap().flood_first,
        0,
        "the 429 was met and waited out"
    );
    assert_eq!(
        to(SUPERGROUP),
        2,
        "the migrated group keeps receiving: {delivered:?}"
    );
    assert_eq!(to(-999), 0);
    let store = Store::open(&db).unwrap();
    assert!(
        store.subscription(KICKED).unwrap().is_none(),
        "a 403 ends the subscription"
    );
    assert!(store
        .end_reason(KICKED)
        .unwrap()
        .unwrap()
        .contains("kicked"));
    assert!(store.subscription(SUPERGROUP).unwrap().is_some());
    drop(store);

    // Running the same day again posts nothing new.
    let before = api.sent_to().len();
    let again = output(announce(&api, &db)).await;
    assert!(again.status.success());
    assert_eq!(api.sent_to().len(), before);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_mid_broadcast_never_posts_twice_and_the_restart_posts_the_rest() {
    let script = Script {
        send_delay: Duration::from_millis(150),
        ..Script::default()
    };
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let chats: Vec<i64> = (1..=6).map(|i| -200 - i).collect();
    subscribe(&db, &chats);

    let mut child = announce(&api, &db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = api
        .wait_for(Duration::from_secs(20), |s| {
            s.requests
                .iter()
                .filter(|(m, _)| m == "sendmessage")
                .count()
                >= 4
        })
        .await;
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    assert!(started, "the broadcast began");
    let before_restart = api.sent_to().len();
    assert!(before_restart < 12, "killed before the end");

    let out = output(announce(&api, &db)).await;
    assert!(out.status.success());
    let mut posts: Vec<(i64, String)> = api
        .requests("sendmessage")
        .iter()
        .map(|b| {
            (
                b["chat_id"].as_i64().unwrap(),
                b["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let total = posts.len();
    posts.sort();
    posts.dedup();
    assert_eq!(posts.len(), total, "no announcement reached a chat twice");
    // At most the one message in flight at the kill can be lost.
    assert!(total >= 11, "the restart posts the rest: {total} of 12");
}

#[test]
fn dry_run_prints_the_days_announcements_and_sends_nothing() {
    let output = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["announce", "--dry-run", "--date", "2026-12-31"])
        .current_dir(tempfile::tempdir().unwrap().path())
        .env_remove("TELOXIDE_TOKEN")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("[corpid-launch: planned-due-2026]"));
    assert!(stdout.contains("Scheduled for the end of 2026 (status as of the factsheet's 2025 edition; not confirmed as done)"));
    assert!(stdout.contains("would send 0 message(s)"));
}
