//! The real `factbot run` binary against a fake Bot API server on loopback
//! (TELOXIDE_API_URL): answers, admin checks, inline mode, flood limits and
//! a clean stop on SIGTERM.

mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::fake_api::{group_text, inline_query, private_text, FakeApi, Script, TOKEN};

const GROUP: i64 = -100_123;
const ADMIN: i64 = 301;
const MEMBER: i64 = 302;

fn start_bot(api: &FakeApi, db: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args([
            "--knowledge",
            &support::fixture("mini").display().to_string(),
            "run",
            "--db",
        ])
        .arg(db)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("factbot starts")
}

/// Sends SIGTERM and waits for the process to exit by itself.
fn terminate(child: Child) -> (std::process::ExitStatus, String) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_answers_checks_admins_serves_inline_and_stops_cleanly() {
    let mut script = Script {
        flood_first: 1,
        ..Script::default()
    };
    script.admins.insert(ADMIN);
    script.updates.extend([
        private_text(1, 42, "how big is science park"),
        group_text(2, GROUP, MEMBER, "/lang zh-Hans"),
        group_text(3, GROUP, ADMIN, "/lang zh-Hant"),
        group_text(4, GROUP, MEMBER, "lunch anyone?"),
        group_text(5, GROUP, MEMBER, "/ask how big is science park"),
        inline_query(6, 42, "science park"),
        group_text(7, GROUP, MEMBER, "/subscribe"),
        group_text(8, GROUP, ADMIN, "/subscribe planned hour=9"),
    ]);
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let child = start_bot(&api, &dir.path().join("state.sqlite3"));

    let answered = api
        .wait_for(Duration::from_secs(30), |s| {
            s.requests
                .iter()
                .filter(|(m, b)| m == "sendmessage" && b.get("parse_mode").is_some())
                .count()
                >= 2
                && s.requests.iter().any(|(m, _)| m == "answerinlinequery")
                && s.requests
                    .iter()
                    .filter(|(m, _)| m == "sendmessage")
                    .count()
                    >= 5
        })
        .await;
    let (status, stderr) = terminate(child);
    assert!(
        answered,
        "the bot did not answer everything in time; requests: {:?}\n{stderr}",
        api.script.lock().unwrap().requests
    );
    assert!(
        status.success(),
        "a clean exit on SIGTERM: {status:?}\n{stderr}"
    );

    let sent = api.requests("sendmessage");
    // Six messages; the first send met a 429 and was sent again after retry_after.
    assert_eq!(sent.len(), 7, "{sent:#?}");
    assert!(
        sent[1..].iter().any(|b| b["text"] == sent[0]["text"]),
        "the refused message is retried"
    );
    let texts: Vec<&str> = sent
        .iter()
        .skip(1)
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    let private: Vec<&&str> = texts.iter().filter(|t| t.contains("22 hectares")).collect();
    assert_eq!(private.len(), 1, "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("Only the group's admins")),
        "a member may not set the language: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("繁體中文")),
        "an admin may: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("22公頃")),
        "the group's language applies: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("lunch")),
        "chatter gets no reply"
    );
    assert_eq!(api.requests("getchatmember").len(), 4);
    let refusals = texts
        .iter()
        .filter(|t| t.contains("Only the group's admins") || t.contains("只有群組管理員"))
        .count();
    assert_eq!(
        refusals, 2,
        "members may neither set the language nor subscribe: {texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("已訂閱：計劃中的里程碑，香港時間9:00")),
        "in the group's language: {texts:?}"
    );
    let store = factbot::store::Store::open(&dir.path().join("state.sqlite3")).unwrap();
    let subscription = store
        .subscription(GROUP)
        .unwrap()
        .expect("the admin subscribed the group");
    assert!(subscription.planned && !subscription.anniversaries && subscription.hour == 9);

    let inline = &api.requests("answerinlinequery")[0];
    let results = inline["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 10);
    assert_eq!(results[0]["id"], "science-park-area");
    assert!(results[0]["input_message_content"]["message_text"]
        .as_str()
        .unwrap()
        .contains("Source:"));

    assert!(
        api.requests("setmycommands").len() >= 2,
        "commands registered in English and Chinese"
    );
    assert!(
        api.script.lock().unwrap().last_offset > 6,
        "processed updates are acknowledged before exit"
    );
    assert!(
        !stderr.contains(TOKEN) && !stderr.contains("TESTtokenSECRET"),
        "the token never reaches the logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_is_a_one_line_error_without_the_token() {
    let output = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["run", "--db", "/nonexistent/never-created.sqlite3"])
        .env("TELOXIDE_TOKEN", "oops-secret-value")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("TELOXIDE_TOKEN is malformed") && !stderr.contains("oops-secret-value")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line_without_user_text() {
    let mut script = Script::default();
    script
        .updates
        .push_back(private_text(1, 42, "how big is science park secretword"));
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let child = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args([
            "--knowledge",
            &support::fixture("mini").display().to_string(),
        ])
        .args(["run", "--log-format", "json", "--db"])
        .arg(&db)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        api.wait_for(Duration::from_secs(20), |s| !s.delivered.is_empty())
            .await
    );
    let (status, log) = terminate(child);
    assert!(status.success(), "{log}");
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() >= 2, "{log}");
    for line in lines {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(
            entry["level"].is_string() && entry["fields"].is_object(),
            "{line}"
        );
    }
    assert!(!log.contains("secretword") && !log.contains(TOKEN), "{log}");
}
