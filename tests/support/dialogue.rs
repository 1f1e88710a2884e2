//! Dialogues with the bot in-process: the real runner and handler tree,
//! talking to the fake Bot API. `Dialogue::send` hands it updates, waits
//! until they are handled, and returns what the bot sent in reply.

use std::sync::Arc;
use std::time::{Duration, Instant};

use factbot::knowledge::{read_dir, Knowledge};
use factbot::store::Store;
use factbot::telegram::outbound::Limits;
use factbot::telegram::runner::Runner;
use factbot::telegram::{schema, App};
use factbot::Engine;
use serde_json::{json, Value};
use teloxide::prelude::*;
use teloxide::types::Me;

use super::fake_api::{FakeApi, Script, BOT_ID, BOT_USERNAME, TOKEN};

/// The fixture knowledge, an in-memory store, no rate limits.
pub fn app() -> Arc<App> {
    let files = read_dir(&super::fixture("mini")).unwrap();
    let engine = Engine::new(Knowledge::load(&files).unwrap());
    Arc::new(App::new(
        engine,
        Store::in_memory().unwrap(),
        Limits::unlimited(),
    ))
}

pub struct Dialogue {
    pub api: FakeApi,
    pub app: Arc<App>,
    runner: Runner,
    next_id: i64,
}

/// What the bot did in answer to one `send`.
pub struct Sent {
    /// Every request, in order: (lower-case method, body).
    pub requests: Vec<(String, Value)>,
}

impl Sent {
    /// The ids the fake API gave the messages sent, in order.
    pub fn message_ids(&self, api: &FakeApi) -> Vec<i64> {
        let delivered = api.script.lock().unwrap().next_message_id;
        let count = self.messages().len() as i64;
        (delivered - count + 1..=delivered).collect()
    }

    pub fn of(&self, method: &str) -> Vec<&Value> {
        self.requests
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b)
            .collect()
    }

    /// The messages sent.
    pub fn messages(&self) -> Vec<&Value> {
        self.of("sendmessage")
    }

    pub fn texts(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|b| b["text"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub fn last_text(&self) -> String {
        self.texts().pop().expect("a reply")
    }
}

impl Dialogue {
    pub async fn new(app: Arc<App>) -> Dialogue {
        Dialogue::with_script(app, Script::default()).await
    }

    pub async fn with_script(app: Arc<App>, script: Script) -> Dialogue {
        let api = FakeApi::start(script).await;
        let bot = Bot::new(TOKEN).set_api_url(api.url().parse().unwrap());
        let me: Me = serde_json::from_value(json!({"id": BOT_ID, "is_bot": true,
            "first_name": "factbot", "username": BOT_USERNAME, "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": true,
            "can_connect_to_business": false, "has_main_web_app": false}))
        .unwrap();
        let runner = Runner::new(schema(), bot, me, app.clone());
        Dialogue {
            api,
            app,
            runner,
            next_id: 1,
        }
    }

    /// Hands the bot updates (their ids renumbered in order), waits until it
    /// has handled them all, and returns what it sent meanwhile.
    pub async fn send(&mut self, updates: impl IntoIterator<Item = Value>) -> Sent {
        let before = self.api.script.lock().unwrap().requests.len();
        for mut update in updates {
            update["update_id"] = json!(self.next_id);
            self.next_id += 1;
            let update: Update = serde_json::from_str(&update.to_string()).unwrap();
            self.runner.submit(update);
        }
        let start = Instant::now();
        while self.runner.in_hand() > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the bot did not finish"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let requests = self.api.script.lock().unwrap().requests[before..].to_vec();
        Sent { requests }
    }
}

fn user(id: i64, lang: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "U", "language_code": lang})
}

fn message(chat: Value, from: Value, body: Value) -> Value {
    let mut m = json!({"message_id": 500, "date": 1700000000, "chat": chat, "from": from});
    for (k, v) in body.as_object().unwrap() {
        m[k] = v.clone();
    }
    json!({"update_id": 0, "message": m})
}

pub const USER: i64 = 42;
pub const GROUP: i64 = -100_555;

pub fn private_chat() -> Value {
    json!({"id": USER, "type": "private", "first_name": "U"})
}

pub fn group_chat() -> Value {
    json!({"id": GROUP, "type": "supergroup", "title": "I&T chat"})
}

/// A text in a private chat with `USER`.
pub fn private(text: &str) -> Value {
    message(private_chat(), user(USER, "en"), json!({"text": text}))
}

/// A text in `GROUP` from `USER`, with a command entity if it starts with one.
pub fn group(text: &str) -> Value {
    let mut update = message(group_chat(), user(USER, "en"), json!({"text": text}));
    if text.starts_with('/') {
        let length = text
            .split_whitespace()
            .next()
            .unwrap()
            .encode_utf16()
            .count();
        update["message"]["entities"] =
            json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
    update
}

/// A text in a private chat with another user, `user`.
pub fn private_from(user_id: i64, text: &str) -> Value {
    let chat = json!({"id": user_id, "type": "private", "first_name": "V"});
    message(chat, user(user_id, "en"), json!({"text": text}))
}

/// A text in `GROUP` from `user_id`, replying to the bot's message `to`.
pub fn group_reply(user_id: i64, text: &str, to: i64) -> Value {
    let mut update = message(group_chat(), user(user_id, "en"), json!({"text": text}));
    update["message"]["reply_to_message"] = json!({"message_id": to, "date": 1700000000,
        "chat": group_chat(),
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "factbot", "username": BOT_USERNAME},
        "text": "…"});
    update
}

/// A photo with an optional caption.
pub fn photo(chat: Value, caption: Option<&str>) -> Value {
    let mut body =
        json!({"photo": [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]});
    if let Some(caption) = caption {
        body["caption"] = json!(caption);
    }
    message(chat, user(USER, "en"), body)
}

/// A press of a button with `data` under a message of the bot's in `chat`.
pub fn press(chat: Value, data: &str) -> Value {
    json!({"update_id": 0, "callback_query": {"id": "cb", "from": user(USER, "en"),
        "chat_instance": "ci", "data": data,
        "message": {"message_id": 900, "date": 1700000000, "chat": chat,
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "factbot", "username": BOT_USERNAME},
            "text": "…"}}})
}
