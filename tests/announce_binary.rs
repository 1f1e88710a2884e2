//! `factbot announce` as cron would run it, against a fake Bot API server:
//! subscribed groups only, flood limits waited out, kicked bots unsubscribed,
//! migrated groups followed, sends that may have reached Telegram never
//! repeated and reported, caps that hold across processes, and a kill -9
//! mid-broadcast never duplicating.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use factbot::announce::Subscription;
use factbot::store::Store;
use support::fake_api::{FakeApi, Fault, Script, TOKEN};
use time::macros::date;

fn announce(api: &FakeApi, db: &std::path::Path) -> Command {
    announce_on(api, db, "2025-11-01")
}

fn announce_on(api: &FakeApi, db: &std::path::Path, date: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbot"));
    cmd.args(["announce", "--date", date, "--db"])
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

/// `factbot announce --status`, which needs no Telegram.
fn status(db: &std::path::Path) -> String {
    support::Run::new(["announce", "--status", "--db", db.to_str().unwrap()])
        .output()
        .success()
        .stdout
}

/// Every card each chat was sent, by (chat, text), with how many requests.
fn requests_per_card(api: &FakeApi) -> std::collections::HashMap<(i64, String), usize> {
    let mut counts = std::collections::HashMap::new();
    for body in api.requests("sendmessage") {
        let key = (
            body["chat_id"].as_i64().unwrap(),
            body["text"].as_str().unwrap().to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    counts
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
    let sends = |n: usize| {
        move |s: &Script| {
            s.requests
                .iter()
                .filter(|(m, _)| m == "sendmessage")
                .count()
                >= n
        }
    };
    let started = api.wait_for(Duration::from_secs(20), sends(4)).await;
    // The fifth card reaches Telegram, whose answer is slow: the kill comes
    // while it is in flight.
    api.script.lock().unwrap().faults.push_back((
        "sendmessage".to_string(),
        Fault::AnswerAfter(Duration::from_secs(10)),
    ));
    assert!(api.wait_for(Duration::from_secs(20), sends(5)).await);
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
    assert_eq!(total, 12, "the restart posts the rest");
    // And it is not forgotten: the rerun and --status name it.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 announcement(s) in doubt"), "{stdout}");
    let report = status(&db);
    assert_eq!(report.matches(": sending since ").count(), 1, "{report}");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_that_may_have_reached_telegram_are_never_repeated_and_are_reported() {
    let mut script = Script::default();
    // The first card of each chat (served in chat id order) meets one fault.
    script.faults.extend([
        ("sendmessage".to_string(), Fault::ResetAfterReceipt),
        // Posted, but answered after the client's 17 s timeout.
        (
            "sendmessage".to_string(),
            Fault::AnswerAfter(Duration::from_secs(19)),
        ),
        ("sendmessage".to_string(), Fault::BadGatewayHtml),
        ("sendmessage".to_string(), Fault::ServerErrorJson),
    ]);
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let chats = [-304, -303, -302, -301];
    subscribe(&db, &chats);

    let first = output(announce(&api, &db)).await;
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{stdout}");
    assert!(
        stdout.contains("0 sent, 0 deferred to a later run, 4 in doubt, 0 failed"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("unknown ").count(),
        4,
        "each named with its reason: {stdout}"
    );
    for _ in 0..2 {
        assert!(output(announce(&api, &db)).await.status.success());
    }
    let cards = requests_per_card(&api);
    assert!(
        cards.values().all(|n| *n == 1),
        "a card requested twice: {cards:?}"
    );
    for chat in chats {
        assert_eq!(
            cards.keys().filter(|(c, _)| *c == chat).count(),
            2,
            "both cards reached {chat}"
        );
    }

    let report = status(&db);
    assert!(
        report.contains("4 sent") && report.contains("4 unknown"),
        "{report}"
    );
    assert_eq!(report.matches(": unknown since ").count(), 4, "{report}");
    for reason in [
        "the connection broke",
        "timeout",
        "not telegram's json",
        "internal server error",
    ] {
        assert!(
            report.to_lowercase().contains(reason),
            "{reason} missing: {report}"
        );
    }

    // The operator checked two chats: one card never came, one did.
    let ids: Vec<String> = report
        .lines()
        .filter_map(|l| {
            l.trim()
                .split_once(": unknown")
                .map(|(id, _)| id.to_string())
        })
        .collect();
    let release = |id: &str, to: &str| {
        Command::new(env!("CARGO_BIN_EXE_factbot"))
            .args(["announce", "--release", id, "--as", to, "--db"])
            .arg(&db)
            .output()
            .unwrap()
    };
    assert!(release(&ids[0], "pending").status.success());
    assert!(release(&ids[1], "sent").status.success());
    let again = release(&ids[1], "sent");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no announcement in doubt with id"));
    assert!(output(announce(&api, &db)).await.status.success());
    assert_eq!(
        api.requests("sendmessage").len(),
        9,
        "only the card released as pending is sent again"
    );
    assert_eq!(status(&db).matches(": unknown since ").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_in_several_processes_at_once_keep_each_chats_cap_and_post_nothing_twice() {
    let script = Script {
        send_delay: Duration::from_millis(15),
        ..Script::default()
    };
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let chats: Vec<i64> = (1..=24).map(|i| -400 - i).collect();
    subscribe(&db, &chats);

    // Five milestones fall due on 2025-09-01; the default cap is 3 a day.
    let runs: Vec<_> = (0..3)
        .map(|_| output(announce_on(&api, &db, "2025-09-01")))
        .collect();
    for out in futures_util::future::join_all(runs).await {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let cards = requests_per_card(&api);
    assert!(
        cards.values().all(|n| *n == 1),
        "a card posted twice: {cards:?}"
    );
    for chat in &chats {
        let n = cards.keys().filter(|(c, _)| c == chat).count();
        assert_eq!(n, 3, "chat {chat} got {n} cards against a cap of 3");
    }
}
