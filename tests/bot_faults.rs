//! The real `factbot run` against a fake Bot API that misbehaves as
//! Telegram does: hostile input, 5xx and resets, flood control under a burst,
//! kill -9 and SIGTERM mid-work, webhook start-up failures, forum topics, and
//! a log that never carries what users wrote.

mod support;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use serde_json::{json, Value};
use support::bot::BotProcess;
use support::fake_api::{
    group_text, private_text, topic_text, FakeApi, Fault, Script, BOT_ID, BOT_USERNAME,
};
use support::{free_address, http};

const GROUP: i64 = -100_777;

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite3");
    (dir, path)
}

/// The accepted messages sent to `chat`, in order.
fn delivered_to(api: &FakeApi, chat: i64) -> Vec<Value> {
    api.script
        .lock()
        .unwrap()
        .delivered
        .iter()
        .filter(|b| b["chat_id"] == chat)
        .cloned()
        .collect()
}

fn text_of(body: &Value) -> &str {
    body["text"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_group_messages_do_not_stop_the_bot() {
    let mention = format!("@{BOT_USERNAME}");
    let mut without_entities = group_text(3, GROUP, 11, &format!("K科 {mention} 科學園有幾大?"));
    without_entities["message"]["entities"] = json!([]);
    let mut bogus_entities = group_text(
        4,
        GROUP,
        12,
        &format!("😀{mention} how big is science park"),
    );
    // An offset inside the emoji's surrogate pair, and one past the end.
    bogus_entities["message"]["entities"] = json!([
        {"type": "mention", "offset": 1, "length": 5},
        {"type": "mention", "offset": 400, "length": 17}
    ]);
    let caption = json!({"update_id": 5, "message": {"message_id": 5, "date": 0,
        "chat": {"id": GROUP, "type": "supergroup", "title": "g"},
        "from": {"id": 13, "is_bot": false, "first_name": "U"},
        "photo": [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}],
        "caption": format!("{mention} how big is science park"),
        "caption_entities": [{"type": "mention", "offset": 0, "length": mention.len()}]}});
    let api = FakeApi::start(Script::default()).await;
    api.push_updates([
        group_text(1, GROUP, 10, &format!("K科 {mention} 科學園有幾大?")),
        group_text(2, GROUP, 10, &format!("İİİİ {mention}")),
        without_entities,
        bogus_entities,
        caption,
        group_text(6, GROUP, 14, "/ask how big is science park"),
    ]);
    let (_dir, db) = db();
    let mut bot = BotProcess::start(&api, &db, &[]);
    let answered = api
        .wait_for(Duration::from_secs(30), |s| {
            s.delivered
                .iter()
                .any(|b| b["reply_parameters"]["message_id"] == 6)
        })
        .await;
    assert!(bot.is_running(), "the bot is still up:\n{}", bot.log());
    let (status, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(answered, "the last question was answered:\n{log}");
    assert!(status.is_some_and(|s| s.success()), "{log}");
    assert!(!log.contains("panic"), "{log}");
    let replies = delivered_to(&api, GROUP);
    for id in 1..=6 {
        assert_eq!(
            replies
                .iter()
                .filter(|b| b["reply_parameters"]["message_id"] == id)
                .count(),
            1,
            "message {id} addressed the bot and gets one reply: {replies:#?}"
        );
    }
    let reply_to = |id: i64| {
        replies
            .iter()
            .find(|b| b["reply_parameters"]["message_id"] == id)
            .map(text_of)
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        reply_to(5).contains("22 hectares"),
        "a caption is a question: {}",
        reply_to(5)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_resets_are_retried_until_the_answer_arrives() {
    let mut script = Script::default();
    for fault in [
        Fault::ServerErrorJson,
        Fault::BadGatewayHtml,
        Fault::ResetAfterReceipt,
    ] {
        script.faults.push_back(("sendmessage".into(), fault));
    }
    let api = FakeApi::start(script).await;
    api.push_updates([private_text(1, 42, "how big is science park")]);
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let answered = api
        .wait_for(Duration::from_secs(60), |s| !s.delivered.is_empty())
        .await;
    let (_, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(answered, "{log}");
    let attempts = api.requests("sendmessage");
    assert_eq!(
        attempts.len(),
        4,
        "three faults, then the answer: {attempts:#?}"
    );
    assert!(attempts.iter().all(|b| text_of(b).contains("22 hectares")));
    assert_eq!(delivered_to(&api, 42).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_under_flood_control_loses_nothing_and_keeps_each_chats_order() {
    const USERS: i64 = 150;
    let api = FakeApi::start(Script {
        flood_per_second: Some(30),
        ..Script::default()
    })
    .await;
    let mut updates = Vec::new();
    for user in 1..=USERS {
        updates.push(private_text(user, 1000 + user, "how big is science park"));
        updates.push(private_text(
            USERS + user,
            1000 + user,
            "when was the ITF set up",
        ));
    }
    api.push_updates(updates);
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let all = api
        .wait_for(Duration::from_secs(90), |s| {
            s.delivered.len() >= 2 * USERS as usize
        })
        .await;
    let (_, _, log) = bot.terminate(Duration::from_secs(15)).await;
    let short: Vec<Vec<Value>> = (1..=USERS)
        .map(|u| delivered_to(&api, 1000 + u))
        .filter(|d| d.len() != 2)
        .collect();
    assert!(all, "some chats are short: {short:#?}\n{log}");
    for user in 1..=USERS {
        let answers = delivered_to(&api, 1000 + user);
        assert_eq!(answers.len(), 2, "one answer per question");
        assert!(text_of(&answers[0]).contains("22 hectares"), "in order");
        assert!(text_of(&answers[1]).contains("1999"), "in order");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_batch_then_a_restart_answers_every_question() {
    const USERS: i64 = 200;
    let api = FakeApi::start(Script {
        send_delay: Duration::from_millis(30),
        ..Script::default()
    })
    .await;
    api.push_updates((1..=USERS).map(|u| private_text(u, 5000 + u, "how big is science park")));
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let some = api
        .wait_for(Duration::from_secs(60), |s| s.delivered.len() >= 40)
        .await;
    assert!(some, "{}", bot.log());
    bot.kill9().await;
    let answered_before = api.script.lock().unwrap().delivered.len();
    assert!(answered_before < USERS as usize, "killed mid-batch");
    assert!(
        api.script.lock().unwrap().last_offset > USERS,
        "Telegram was told every update was received, so it has nothing to send again"
    );

    let bot = BotProcess::start(&api, &db, &[]);
    let all = api
        .wait_for(Duration::from_secs(60), |s| {
            (1..=USERS).all(|u| s.delivered.iter().any(|b| b["chat_id"] == 5000 + u))
        })
        .await;
    let (status, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(all, "every question is answered after the restart:\n{log}");
    assert!(status.is_some_and(|s| s.success()));
    assert!(
        log.contains("handling updates received before the last stop"),
        "{log}"
    );
    let delivered = api.script.lock().unwrap().delivered.len();
    let duplicates = delivered - USERS as usize;
    // Only an answer in flight at the kill can be sent twice (see the inbox's
    // documentation); sends are paced, so few are ever in flight.
    assert!(duplicates <= 5, "{duplicates} duplicates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_a_long_backlog_in_one_chat_stops_within_the_deadline() {
    const BACKLOG: i64 = 100;
    let api = FakeApi::start(Script::default()).await;
    api.push_updates(
        (1..=BACKLOG).map(|i| private_text(i, 42, &format!("how big is science park {i}"))),
    );
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let started = api
        .wait_for(Duration::from_secs(30), |s| s.delivered.len() >= 3)
        .await;
    assert!(started, "{}", bot.log());
    let (status, took, log) = bot.terminate(Duration::from_secs(20)).await;
    assert!(
        status.is_some_and(|s| s.success()),
        "exit 0 on SIGTERM: {status:?}\n{log}"
    );
    assert!(took < Duration::from_secs(12), "stopped in {took:?}\n{log}");
    assert!(log.contains("updates left in the inbox"), "{log}");
    let answered = api.script.lock().unwrap().delivered.len();
    assert!(answered < BACKLOG as usize);

    // The next start goes on where this one stopped, without a gap.
    let bot = BotProcess::start(&api, &db, &[]);
    let more = api
        .wait_for(Duration::from_secs(30), |s| {
            s.delivered.len() >= answered + 2
        })
        .await;
    let (_, _, log) = bot.terminate(Duration::from_secs(20)).await;
    assert!(more, "{log}");
    let delivered = api.script.lock().unwrap().delivered.clone();
    let first = &delivered[answered - 1..];
    assert!(first.len() >= 2, "the restart answers the backlog: {log}");
}

/// A free loopback address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_start_up_failures_exit_non_zero_with_a_clear_message() {
    let api = FakeApi::start(Script::default()).await;
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let (_dir, db) = db();
    let webhook = |secret: &str, address: &str| {
        let mut cmd = support::bot::command(
            &api,
            &db,
            &[
                "--webhook-url",
                "https://bot.example.org/tg",
                "--listen",
                address,
            ],
        );
        cmd.env("FACTBOT_WEBHOOK_SECRET", secret);
        BotProcess::spawn(cmd)
    };

    let (status, _, log) = webhook("good_secret-1", &address)
        .wait(Duration::from_secs(30))
        .await;
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{log}");
    assert!(
        log.contains(&address),
        "the message names the address: {log}"
    );
    assert!(
        api.requests("setwebhook").is_empty(),
        "Telegram is not pointed at a listener that does not exist"
    );

    let (status, _, log) = webhook("bad secret!", &free_address().to_string())
        .wait(Duration::from_secs(30))
        .await;
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{log}");
    assert!(log.contains("webhook secret must be"), "{log}");
    assert!(!log.contains("bad secret!") && !log.contains("panicked") && !log.contains("running"));
    drop(taken);
}

fn post(address: SocketAddr, secret: &str, update: &Value) -> u16 {
    let body = update.to_string();
    http(
        address,
        &format!(
            "POST /tg HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n\
             x-telegram-bot-api-secret-token: {secret}\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_answers_once_checks_its_secret_and_reports_health() {
    let api = FakeApi::start(Script::default()).await;
    let address = free_address();
    let (_dir, db) = db();
    let mut cmd = support::bot::command(
        &api,
        &db,
        &[
            "--webhook-url",
            "https://bot.example.org/tg",
            "--listen",
            &address.to_string(),
        ],
    );
    cmd.env("FACTBOT_WEBHOOK_SECRET", "s3cret_value");
    let bot = BotProcess::spawn(cmd);
    assert!(
        bot.wait_for_log("factbot is running", Duration::from_secs(30))
            .await,
        "{}",
        bot.log()
    );
    let set = api.requests("setwebhook");
    assert_eq!(set.len(), 1);
    assert_eq!(set[0]["secret_token"], "s3cret_value");

    let (status, body) = tokio::task::spawn_blocking(move || {
        http(
            address,
            "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        )
    })
    .await
    .unwrap();
    assert_eq!((status, body.trim()), (200, "ok"));

    let update = private_text(1, 42, "how big is science park");
    let statuses = tokio::task::spawn_blocking(move || {
        [
            post(address, "wrong", &update),
            post(address, "s3cret_value", &update),
            // Telegram delivers again when it missed our answer: answered once.
            post(address, "s3cret_value", &update),
        ]
    })
    .await
    .unwrap();
    assert_eq!(statuses, [401, 200, 200]);
    let answered = api
        .wait_for(Duration::from_secs(20), |s| !s.delivered.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(answered, "{log}");
    assert!(status.is_some_and(|s| s.success()), "{log}");
    assert_eq!(delivered_to(&api, 42).len(), 1, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forum_topics_keep_every_message_in_the_askers_topic() {
    const THREAD: i64 = 77;
    let api = FakeApi::start(Script::default()).await;
    let press = json!({"update_id": 4, "callback_query": {"id": "cb1",
        "from": {"id": 21, "is_bot": false, "first_name": "U"}, "chat_instance": "ci", "data": "f:science-park-area",
        "message": {"message_id": 900, "date": 1700000000, "message_thread_id": THREAD, "is_topic_message": true,
            "chat": {"id": GROUP, "type": "supergroup", "title": "g", "is_forum": true},
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "factbot", "username": BOT_USERNAME},
            "text": "Topics"}}});
    api.push_updates([
        topic_text(1, GROUP, THREAD, 21, "/topics"),
        topic_text(2, GROUP, THREAD, 21, "/lang en"),
        topic_text(
            3,
            GROUP,
            THREAD,
            21,
            &format!("@{BOT_USERNAME} how big is science park"),
        ),
        press,
    ]);
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let all = api
        .wait_for(Duration::from_secs(30), |s| s.delivered.len() >= 4)
        .await;
    let (_, _, log) = bot.terminate(Duration::from_secs(15)).await;
    let requests = api.script.lock().unwrap().requests.clone();
    assert!(all, "{requests:#?}\n{log}");
    let sent = delivered_to(&api, GROUP);
    assert_eq!(sent.len(), 4, "{sent:#?}");
    for body in &sent {
        assert_eq!(body["message_thread_id"], THREAD, "{body:#}");
    }
    assert!(sent
        .iter()
        .any(|b| text_of(b).contains("Only the group's admins")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_api_is_retried_and_running_is_said_only_after_get_me() {
    let closed = free_address();
    let (_dir, db) = db();
    let api = FakeApi::start(Script::default()).await;
    let mut cmd = support::bot::command(&api, &db, &[]);
    cmd.env("TELOXIDE_API_URL", format!("http://{closed}/"));
    let bot = BotProcess::spawn(cmd);
    assert!(
        bot.wait_for_log("cannot reach the Bot API", Duration::from_secs(20))
            .await,
        "{}",
        bot.log()
    );
    let (status, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(status.is_some_and(|s| s.success()), "{log}");
    assert!(!log.contains("factbot is running"), "{log}");
    assert!(!log.contains(support::fake_api::TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_stops_the_bot_with_a_clear_message() {
    let api = FakeApi::start(Script {
        unauthorized: true,
        ..Script::default()
    })
    .await;
    let (_dir, db) = db();
    let (status, _, log) = BotProcess::start(&api, &db, &[])
        .wait(Duration::from_secs(30))
        .await;
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{log}");
    assert!(log.contains("Telegram refused the bot token"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_carries_no_user_text_or_ids_and_a_new_group_is_greeted_once() {
    const SECRET: &str = "SECRET-TEXT-4711";
    const USER: i64 = 987_654_321;
    let user =
        json!({"id": USER, "is_bot": false, "first_name": "Secret", "username": "secret_user"});
    let chat = json!({"id": GROUP, "type": "supergroup", "title": "g"});
    let message = json!({"message_id": 1, "date": 0, "chat": chat, "from": user, "text": SECRET});
    let added = json!({"chat": chat, "from": user, "date": 0,
        "old_chat_member": {"status": "left", "user": {"id": BOT_ID, "is_bot": true, "first_name": "factbot"}},
        "new_chat_member": {"status": "member", "user": {"id": BOT_ID, "is_bot": true, "first_name": "factbot"}}});
    let api = FakeApi::start(Script::default()).await;
    api.push_updates([
        json!({"update_id": 1, "edited_message": message}),
        json!({"update_id": 2, "channel_post": message}),
        json!({"update_id": 3, "message_reaction": {"chat": chat, "message_id": 1, "user": user, "date": 0,
            "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]}}),
        json!({"update_id": 4, "my_chat_member": added}),
        json!({"update_id": 5, "some_future_kind": {"text": SECRET, "user": user}}),
        private_text(6, USER, &format!("{SECRET} how big is science park")),
    ]);
    let (_dir, db) = db();
    let bot = BotProcess::start(&api, &db, &[]);
    let done = api
        .wait_for(Duration::from_secs(30), |s| s.delivered.len() >= 2)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, _, log) = bot.terminate(Duration::from_secs(15)).await;
    assert!(done, "{log}");
    for secret in [SECRET, &USER.to_string(), &GROUP.to_string(), "secret_user"] {
        assert!(!log.contains(secret), "the log shows {secret:?}:\n{log}");
    }
    let greetings: Vec<Value> = delivered_to(&api, GROUP);
    assert_eq!(greetings.len(), 1, "{greetings:#?}");
    assert!(text_of(&greetings[0]).contains("/ask"));
    let by_chat: HashMap<i64, usize> =
        api.script
            .lock()
            .unwrap()
            .delivered
            .iter()
            .fold(HashMap::new(), |mut m, b| {
                *m.entry(b["chat_id"].as_i64().unwrap()).or_default() += 1;
                m
            });
    assert_eq!(
        by_chat.get(&USER),
        Some(&1),
        "the question is answered once"
    );
}
