//! 10,000 random group messages through the real binary: arbitrary Unicode
//! around mentions (with right, wrong or missing entities), commands for
//! this bot and others, captions. The bot must stay up, answer every message
//! addressed to it once, and keep out of every other.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};
use support::bot::BotProcess;
use support::fake_api::{private_text, FakeApi, Script, BOT_USERNAME};

const MESSAGES: u64 = 10_000;
const GROUPS: u64 = 500;

/// xorshift64*: a fixed seed, the same messages on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// Text that stresses byte positions and scripts, never the bot's name.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "K",
            "İ",
            "ẞ",
            "ǅ",
            "😀",
            "👩‍💻",
            "e\u{301}",
            "\u{202e}",
            "\u{200b}",
            "科學園",
            "幾大",
            "數碼港",
            "how big",
            "ITF",
            " ",
            "  ",
            "@",
            "@factbot",
            "@other_bot",
            "<b>",
            "&amp;",
            "\n",
            "ﬃ",
            "\u{feff}",
            "/",
            "?",
            "!!!",
        ];
        let mut out = String::new();
        for _ in 0..self.below(8) {
            if self.below(4) == 0 {
                // Any scalar value from the BMP or beyond.
                let code = (self.next() % 0x10FFFF) as u32;
                out.extend(char::from_u32(code));
            } else {
                out.push_str(self.pick(PIECES));
            }
        }
        out
    }
}

/// One random message in `chat`; whether it is addressed to the bot.
fn message(rng: &mut Rng, id: u64, chat: i64) -> (Value, bool) {
    let mention = format!("@{BOT_USERNAME}");
    let (text, addressed, mut entities) = match rng.below(10) {
        0..=3 => (rng.text(), false, vec![]),
        4..=6 => {
            // Not a command: a mention that follows one is the command's business.
            let before = rng.text().trim_start_matches('/').to_string();
            let text = format!("{before} {mention} {}", rng.text());
            let offset = format!("{before} ").encode_utf16().count();
            let entities = match rng.below(3) {
                0 => vec![json!({"type": "mention", "offset": offset, "length": mention.len()})],
                1 => vec![json!({"type": "mention", "offset": offset + 3, "length": 9999})],
                _ => vec![],
            };
            (text, true, entities)
        }
        7 => {
            let command = rng.pick(&[
                "/ask",
                "/ask@factbot_test_bot",
                "/start",
                "/help",
                "/topics",
                "/milestones",
                "/lang",
                "/ask@other_bot",
                "/unknown",
            ]);
            let text = format!("{command} {}", rng.text());
            let ours = !command.contains("other_bot") && command != "/unknown";
            let length = command.encode_utf16().count();
            (
                text,
                ours,
                vec![json!({"type": "bot_command", "offset": 0, "length": length})],
            )
        }
        _ => {
            let text = format!("{mention} {}", rng.text());
            let entities = vec![json!({"type": "mention", "offset": 0, "length": mention.len()})];
            let update = json!({"update_id": id, "message": {"message_id": id, "date": 1700000000,
                "chat": {"id": chat, "type": "supergroup", "title": "g"},
                "from": {"id": 100_000 + id, "is_bot": false, "first_name": "U"},
                "photo": [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}],
                "caption": text, "caption_entities": entities}});
            return (update, true);
        }
    };
    if rng.below(20) == 0 {
        // A stray entity of another kind, anywhere.
        entities.push(json!({"type": "bold", "offset": rng.below(40), "length": rng.below(40)}));
    }
    let update = json!({"update_id": id, "message": {"message_id": id, "date": 1700000000,
        "chat": {"id": chat, "type": "supergroup", "title": "g"},
        "from": {"id": 100_000 + id, "is_bot": false, "first_name": "U"},
        "text": text, "entities": entities}});
    (update, addressed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_random_group_messages_leave_the_bot_answering() {
    let mut rng = Rng(0x5EED_F00D_CAFE_D00D);
    let mut updates = Vec::new();
    let mut addressed = HashMap::new();
    for id in 1..=MESSAGES {
        let chat = -(2_000_000 + (id % GROUPS) as i64);
        let (update, to_bot) = message(&mut rng, id, chat);
        addressed.insert(id as i64, (to_bot, update.to_string()));
        updates.push(update);
    }
    let sentinel = MESSAGES as i64 + 1;
    updates.push(private_text(sentinel, 42, "how big is science park"));
    let api = FakeApi::start(Script::default()).await;
    api.push_updates(updates);
    let dir = tempfile::tempdir().unwrap();
    let mut bot = BotProcess::start(
        &api,
        &dir.path().join("state.sqlite3"),
        &["--messages-per-second", "1000"],
    );
    let answered = api
        .wait_for(Duration::from_secs(240), |s| {
            s.delivered.iter().any(|b| b["chat_id"] == 42) && s.last_offset > sentinel
        })
        .await;
    // Let the last groups' answers drain (each group is paced).
    let expected = addressed.values().filter(|a| a.0).count();
    api.wait_for(Duration::from_secs(120), |s| {
        s.delivered.iter().filter(|b| b["chat_id"] != 42).count() >= expected
    })
    .await;
    assert!(bot.is_running(), "the bot is up:\n{}", bot.log());
    let (status, _, log) = bot.terminate(Duration::from_secs(20)).await;
    assert!(answered, "the question after the fuzz was answered:\n{log}");
    assert!(status.is_some_and(|s| s.success()), "{log}");
    assert!(!log.contains("panic"), "{log}");

    let mut replies: HashMap<i64, usize> = HashMap::new();
    for body in api.script.lock().unwrap().delivered.iter() {
        if let Some(id) = body["reply_parameters"]["message_id"].as_i64() {
            *replies.entry(id).or_default() += 1;
        }
    }
    for (id, (to_bot, update)) in addressed {
        let got = replies.get(&id).copied().unwrap_or(0);
        if to_bot {
            assert!((1..=2).contains(&got), "{update} got {got} replies");
        } else {
            assert_eq!(got, 0, "{update} was not for the bot");
        }
    }
}
