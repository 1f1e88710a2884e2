//! A small fake Bot API server on loopback for running the real binary:
//! it serves queued updates, answers the methods factbot uses, records every
//! request, and can be told to answer 429 or 403 to test error handling.

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

pub const BOT_ID: i64 = 7_000_000;
pub const BOT_USERNAME: &str = "factbot_test_bot";
pub const TOKEN: &str = "7000000:TESTtokenSECRETvalue_abcdefghij";

#[derive(Default)]
pub struct Script {
    pub updates: VecDeque<Value>,
    pub requests: Vec<(String, Value)>,
    /// sendMessage calls to refuse with 429 before accepting.
    pub flood_first: usize,
    pub admins: HashSet<i64>,
    /// Chats that answer sendMessage with 403 (the bot was kicked).
    pub forbidden: HashSet<i64>,
    /// Groups that answer sendMessage with "migrated to" this supergroup id.
    pub migrated: std::collections::HashMap<i64, i64>,
    /// Time taken by each sendMessage, to leave room for a kill mid-broadcast.
    pub send_delay: Duration,
    pub last_offset: i64,
    pub next_message_id: i64,
}

#[derive(Clone)]
pub struct FakeApi {
    pub addr: SocketAddr,
    pub script: Arc<Mutex<Script>>,
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

async fn handle(
    State(script): State<Arc<Mutex<Script>>>,
    Path((token, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let method = method.to_ascii_lowercase();
    if token != format!("bot{TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        )
            .into_response();
    }
    if method == "getupdates" {
        let offset = body["offset"].as_i64().unwrap_or(0);
        let ready = {
            let mut s = script.lock().unwrap();
            s.last_offset = s.last_offset.max(offset);
            while s
                .updates
                .front()
                .is_some_and(|u| u["update_id"].as_i64().unwrap() < offset)
            {
                s.updates.pop_front();
            }
            s.updates.iter().cloned().collect::<Vec<_>>()
        };
        if ready.is_empty() {
            // A short long-poll, so the bot does not spin.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        return ok(Value::Array(ready));
    }
    if method == "sendmessage" {
        let delay = script.lock().unwrap().send_delay;
        tokio::time::sleep(delay).await;
    }
    let mut s = script.lock().unwrap();
    s.requests.push((method.clone(), body.clone()));
    match method.as_str() {
        "getme" => ok(
            json!({"id": BOT_ID, "is_bot": true, "first_name": "factbot", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": true,
            "can_connect_to_business": false, "has_main_web_app": false}),
        ),
        "getwebhookinfo" => {
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "sendmessage" => {
            if s.flood_first > 0 {
                s.flood_first -= 1;
                return (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({"ok": false, "error_code": 429,
                    "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}))).into_response();
            }
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            if s.forbidden.contains(&chat_id) {
                return (
                    StatusCode::FORBIDDEN,
                    axum::Json(json!({"ok": false, "error_code": 403,
                    "description": "Forbidden: bot was kicked from the supergroup chat"})),
                )
                    .into_response();
            }
            if let Some(to) = s.migrated.get(&chat_id) {
                return (
                    StatusCode::BAD_REQUEST,
                    axum::Json(json!({"ok": false, "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": to}})),
                )
                    .into_response();
            }
            s.next_message_id += 1;
            let chat_type = if chat_id < 0 { "supergroup" } else { "private" };
            ok(json!({"message_id": s.next_message_id, "date": 0,
                "chat": {"id": chat_id, "type": chat_type, "title": "group"},
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "factbot", "username": BOT_USERNAME},
                "text": body["text"]}))
        }
        "getchatmember" => {
            let user = body["user_id"].as_i64().unwrap_or(0);
            let status = if s.admins.contains(&user) {
                "administrator"
            } else {
                "member"
            };
            let mut member =
                json!({"status": status, "user": {"id": user, "is_bot": false, "first_name": "U"}});
            if status == "administrator" {
                for right in [
                    "can_be_edited",
                    "is_anonymous",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                ] {
                    member[right] = json!(false);
                }
            }
            ok(member)
        }
        _ => ok(json!(true)),
    }
}

impl FakeApi {
    pub async fn start(script: Script) -> FakeApi {
        let script = Arc::new(Mutex::new(script));
        let app = Router::new()
            .route("/{token}/{method}", axum::routing::post(handle))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeApi { addr, script }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The chat ids of the messages sent, in order.
    pub fn sent_to(&self) -> Vec<i64> {
        self.requests("sendmessage")
            .iter()
            .map(|b| b["chat_id"].as_i64().unwrap())
            .collect()
    }

    pub fn requests(&self, method: &str) -> Vec<Value> {
        let s = self.script.lock().unwrap();
        s.requests
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Waits until `done` holds, for at most `limit`.
    pub async fn wait_for(&self, limit: Duration, done: impl Fn(&Script) -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if done(&self.script.lock().unwrap()) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }
}

pub fn private_text(update_id: i64, user: i64, text: &str) -> Value {
    json!({"update_id": update_id, "message": {"message_id": update_id, "date": 0,
        "chat": {"id": user, "type": "private", "first_name": "U"},
        "from": {"id": user, "is_bot": false, "first_name": "U", "language_code": "en"},
        "text": text}})
}

pub fn group_text(update_id: i64, chat: i64, user: i64, text: &str) -> Value {
    let mut entities = vec![];
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap()
            .encode_utf16()
            .count();
        entities.push(json!({"type": "bot_command", "offset": 0, "length": len}));
    }
    json!({"update_id": update_id, "message": {"message_id": update_id, "date": 0,
        "chat": {"id": chat, "type": "supergroup", "title": "I&T chat"},
        "from": {"id": user, "is_bot": false, "first_name": "U", "language_code": "en"},
        "text": text, "entities": entities}})
}

pub fn inline_query(update_id: i64, user: i64, query: &str) -> Value {
    json!({"update_id": update_id, "inline_query": {"id": format!("iq{update_id}"),
        "from": {"id": user, "is_bot": false, "first_name": "U"}, "query": query, "offset": ""}})
}
