//! A fake Bot API server on loopback for running the real binary.
//!
//! It speaks plain HTTP/1.1 over its own sockets, so that it can misbehave
//! the way Telegram and the networks in front of it do: flood control (429
//! with `retry_after`), 5xx with a JSON body or an nginx HTML page, a
//! connection reset after the request was received, slow answers. It serves
//! queued updates (dropping those below the `getUpdates` offset, as Telegram
//! does), answers the methods factbot uses, and records every request.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const BOT_ID: i64 = 7_000_000;
pub const BOT_USERNAME: &str = "factbot_test_bot";
pub const TOKEN: &str = "7000000:TESTtokenSECRETvalue_abcdefghij";

/// A way to fail one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 500 with Telegram's JSON error body.
    ServerErrorJson,
    /// 502 with an HTML page, as a proxy in front of the API answers.
    BadGatewayHtml,
    /// The request is received (and recorded), then the connection is reset.
    ResetAfterReceipt,
    /// 429 asking to wait this many seconds.
    Flood(u32),
    /// The request is received and acted on, but answered only after this
    /// long: longer than the client waits, it times out though the message
    /// was posted.
    AnswerAfter(Duration),
}

#[derive(Default)]
pub struct Script {
    pub updates: VecDeque<Value>,
    /// Every request received, in order: (lower-case method, body).
    pub requests: Vec<(String, Value)>,
    /// The sendMessage bodies accepted (answered 200), in order.
    pub delivered: Vec<Value>,
    /// sendMessage calls to refuse with 429 before accepting.
    pub flood_first: usize,
    /// Faults to apply to the next requests of a method, in order.
    pub faults: VecDeque<(String, Fault)>,
    /// Telegram-like flood control: at most this many sendMessage a second
    /// overall, beyond which the answer is 429 with `retry_after` 1.
    pub flood_per_second: Option<usize>,
    pub admins: HashSet<i64>,
    /// Chats that answer sendMessage with 403 (the bot was kicked).
    pub forbidden: HashSet<i64>,
    /// Groups that answer sendMessage with "migrated to" this supergroup id.
    pub migrated: HashMap<i64, i64>,
    /// Time taken by each sendMessage before it is recorded and answered.
    pub send_delay: Duration,
    /// Refuse every request with 401, as for a revoked token.
    pub unauthorized: bool,
    pub last_offset: i64,
    pub next_message_id: i64,
    /// Send times within the last second, for `flood_per_second`.
    pub accepted_sends: VecDeque<Instant>,
}

impl Script {
    /// The next fault planned for `method`, if any.
    fn take_fault(&mut self, method: &str) -> Option<Fault> {
        let at = self.faults.iter().position(|(m, _)| m == method)?;
        self.faults.remove(at).map(|(_, f)| f)
    }

    /// Whether flood control refuses a sendMessage now.
    fn flooded(&mut self) -> bool {
        let Some(max) = self.flood_per_second else {
            return false;
        };
        let now = Instant::now();
        while self
            .accepted_sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.accepted_sends.pop_front();
        }
        if self.accepted_sends.len() >= max {
            return true;
        }
        self.accepted_sends.push_back(now);
        false
    }
}

#[derive(Clone)]
pub struct FakeApi {
    pub addr: SocketAddr,
    pub script: Arc<Mutex<Script>>,
}

/// What to write back for one request.
enum Answer {
    Json(u16, Value),
    Html(u16, &'static str),
    Reset,
}

fn ok(result: Value) -> Answer {
    Answer::Json(200, json!({"ok": true, "result": result}))
}

fn error(code: u16, description: &str) -> Answer {
    Answer::Json(
        code,
        json!({"ok": false, "error_code": code, "description": description}),
    )
}

fn flood(seconds: u32) -> Answer {
    Answer::Json(
        429,
        json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {seconds}"),
            "parameters": {"retry_after": seconds}}),
    )
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

async fn answer(script: &Arc<Mutex<Script>>, token: &str, method: &str, body: Value) -> Answer {
    if token != format!("bot{TOKEN}") || script.lock().unwrap().unauthorized {
        return error(401, "Unauthorized");
    }
    if method == "getupdates" {
        let offset = body["offset"].as_i64().unwrap_or(0);
        let ready = {
            let mut s = script.lock().unwrap();
            s.last_offset = s.last_offset.max(offset);
            // Telegram forgets what is below the offset and serves the rest in order.
            s.updates
                .retain(|u| u["update_id"].as_i64().unwrap() >= offset);
            s.updates
                .make_contiguous()
                .sort_by_key(|u| u["update_id"].as_i64().unwrap());
            s.updates.iter().take(100).cloned().collect::<Vec<_>>()
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
    let (answer, delay) = {
        let mut s = script.lock().unwrap();
        s.requests.push((method.to_string(), body.clone()));
        match s.take_fault(method) {
            Some(Fault::ServerErrorJson) => return error(500, "Internal Server Error"),
            Some(Fault::BadGatewayHtml) => return Answer::Html(502, NGINX_502),
            Some(Fault::ResetAfterReceipt) => return Answer::Reset,
            Some(Fault::Flood(seconds)) => return flood(seconds),
            Some(Fault::AnswerAfter(delay)) => (accept(&mut s, method, body), delay),
            None => return accept(&mut s, method, body),
        }
    };
    tokio::time::sleep(delay).await;
    answer
}

/// Acts on a request that no fault stopped.
fn accept(s: &mut Script, method: &str, body: Value) -> Answer {
    match method {
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
                return flood(1);
            }
            if s.flooded() {
                return flood(1);
            }
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            if s.forbidden.contains(&chat_id) {
                return error(403, "Forbidden: bot was kicked from the supergroup chat");
            }
            if let Some(to) = s.migrated.get(&chat_id) {
                return Answer::Json(
                    400,
                    json!({"ok": false, "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": to}}),
                );
            }
            s.next_message_id += 1;
            s.delivered.push(body.clone());
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

/// Reads one HTTP/1.1 request: (path, body), or `None` at the end of the connection.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let path = head.split_whitespace().nth(1)?.to_string();
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let boundary = header("content-type").and_then(|v| {
        v.split_once("boundary=")
            .map(|(_, b)| b.trim_matches('"').to_string())
    });
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    let body = match boundary {
        Some(boundary) => form_to_json(&body, &boundary).to_string().into_bytes(),
        None => body,
    };
    Some((path, body))
}

/// A multipart form (teloxide sends setWebhook as one) as a JSON object of
/// its text fields.
fn form_to_json(body: &[u8], boundary: &str) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.trim_end_matches("\r\n");
        let parsed = serde_json::from_str(value).unwrap_or_else(|_| json!(value));
        fields.insert(name.to_string(), parsed);
    }
    Value::Object(fields)
}

async fn serve_connection(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    let mut buffer = Vec::new();
    while let Some((path, body)) = read_request(&mut stream, &mut buffer).await {
        let mut parts = path.trim_start_matches('/').splitn(2, '/');
        let token = parts.next().unwrap_or_default().to_string();
        let method = parts.next().unwrap_or_default().to_ascii_lowercase();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (status, content_type, text) = match answer(&script, &token, &method, body).await {
            Answer::Json(status, value) => (status, "application/json", value.to_string()),
            Answer::Html(status, page) => (status, "text/html", page.to_string()),
            Answer::Reset => {
                // Linger 0 makes close send RST: the client sees a reset, not an answer.
                let _ = stream.set_zero_linger();
                return;
            }
        };
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: keep-alive\r\n\r\n{text}",
            text.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

impl FakeApi {
    pub async fn start(script: Script) -> FakeApi {
        let script = Arc::new(Mutex::new(script));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = script.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, shared.clone()));
            }
        });
        FakeApi { addr, script }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Queues updates for the next `getUpdates`.
    pub fn push_updates(&self, updates: impl IntoIterator<Item = Value>) {
        self.script.lock().unwrap().updates.extend(updates);
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
    let mention = format!("@{BOT_USERNAME}");
    if let Some(at) = text.find(&mention) {
        entities.push(
            json!({"type": "mention", "offset": text[..at].encode_utf16().count(),
            "length": mention.len()}),
        );
    }
    json!({"update_id": update_id, "message": {"message_id": update_id, "date": 0,
        "chat": {"id": chat, "type": "supergroup", "title": "I&T chat"},
        "from": {"id": user, "is_bot": false, "first_name": "U", "language_code": "en"},
        "text": text, "entities": entities}})
}

/// A message in a forum topic of a supergroup.
pub fn topic_text(update_id: i64, chat: i64, thread: i64, user: i64, text: &str) -> Value {
    let mut update = group_text(update_id, chat, user, text);
    let message = &mut update["message"];
    message["message_thread_id"] = json!(thread);
    message["is_topic_message"] = json!(true);
    message["chat"]["is_forum"] = json!(true);
    update
}

pub fn inline_query(update_id: i64, user: i64, query: &str) -> Value {
    json!({"update_id": update_id, "inline_query": {"id": format!("iq{update_id}"),
        "from": {"id": user, "is_bot": false, "first_name": "U"}, "query": query, "offset": ""}})
}
