//! SIGHUP re-reads `--knowledge DIR`: a corrected folder goes into service
//! without a restart and without dropping a question; a broken one is
//! refused, logged with its problem, and the old knowledge keeps answering.

mod support;

use std::time::Duration;

use support::bot::{command_with, BotProcess};
use support::fake_api::{private_text, FakeApi, Script};
use support::{copy_fixture, edit};

const ASKED: &str = "how big is the Zorblax campus";

fn answers(api: &FakeApi) -> Vec<String> {
    api.requests("sendmessage")
        .iter()
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_puts_checked_knowledge_in_service_and_refuses_broken_knowledge() {
    let knowledge = copy_fixture("mini");
    let facts = knowledge.path().join("facts/01-mini.toml");
    let api = FakeApi::start(Script::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let bot = BotProcess::spawn(command_with(
        knowledge.path(),
        &api,
        &dir.path().join("state.sqlite3"),
        &[],
    ));
    assert!(
        bot.wait_for_log("factbot is running", Duration::from_secs(20))
            .await
    );

    api.push_updates([private_text(1, 42, ASKED)]);
    assert!(
        api.wait_for(Duration::from_secs(20), |s| s.delivered.len() == 1)
            .await
    );
    assert!(!answers(&api)[0].contains("22 hectares"), "not known yet");

    // A curator adds the name people use.
    edit(
        &facts,
        r#"aliases = ["Science Park","#,
        r#"aliases = ["Zorblax campus", "Science Park","#,
    );
    bot.hangup();
    assert!(
        bot.wait_for_log("knowledge reloaded", Duration::from_secs(20))
            .await,
        "{}",
        bot.log()
    );
    api.push_updates([private_text(2, 42, ASKED)]);
    assert!(
        api.wait_for(Duration::from_secs(20), |s| s.delivered.len() == 2)
            .await
    );
    assert!(
        answers(&api)[1].contains("22 hectares"),
        "{:?}",
        answers(&api)
    );

    // A broken edit is refused; what is in service goes on answering.
    edit(&facts, r#"topic = "itf""#, r#"topic = "no-such-topic""#);
    bot.hangup();
    assert!(
        bot.wait_for_log("knowledge reload refused", Duration::from_secs(20))
            .await,
        "{}",
        bot.log()
    );
    let log = bot.log();
    assert!(
        log.contains("01-mini.toml") && log.contains("no-such-topic"),
        "{log}"
    );
    api.push_updates([private_text(3, 42, ASKED)]);
    assert!(
        api.wait_for(Duration::from_secs(20), |s| s.delivered.len() == 3)
            .await
    );
    assert!(
        answers(&api)[2].contains("22 hectares"),
        "{:?}",
        answers(&api)
    );
    let (status, _, log) = bot.terminate(Duration::from_secs(20)).await;
    assert!(status.is_some_and(|s| s.success()), "{log}");
}
