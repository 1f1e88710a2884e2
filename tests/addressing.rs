//! Which group messages are addressed to the bot, and what they ask, for
//! any text around the mention: arbitrary Unicode (letters whose case
//! changes their length, emoji, combining marks), entities right, wrong or
//! missing, texts and captions. Nothing may panic, and the mention never
//! stays in the question.

use factbot::telegram::address::addressed_question;
use proptest::prelude::*;
use serde_json::json;
use teloxide::types::{Me, Message};

const USERNAME: &str = "factbot_test_bot";

fn me() -> Me {
    serde_json::from_value(json!({"id": 7, "is_bot": true, "first_name": "factbot",
        "username": USERNAME, "can_join_groups": true, "can_read_all_group_messages": false,
        "supports_inline_queries": true, "can_connect_to_business": false, "has_main_web_app": false}))
    .unwrap()
}

/// A group message with `text` as its text or its photo's caption.
fn message(text: &str, entities: serde_json::Value, caption: bool) -> Message {
    let mut m = json!({"message_id": 1, "date": 1700000000,
        "chat": {"id": -100, "type": "supergroup", "title": "g"},
        "from": {"id": 5, "is_bot": false, "first_name": "U"}});
    if caption {
        m["photo"] = json!([{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]);
        m["caption"] = json!(text);
        m["caption_entities"] = entities;
    } else {
        m["text"] = json!(text);
        m["entities"] = entities;
    }
    serde_json::from_str(&m.to_string()).unwrap()
}

/// Text that stresses byte positions: case changes that alter lengths (K, İ, ẞ),
/// astral emoji, combining marks, right-to-left, Han, and ordinary words.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "K",
        "İ",
        "ẞ",
        "ǅ",
        "😀",
        "👩‍💻",
        "e\u{301}",
        "\u{202e}",
        "科學園",
        "幾大",
        " ",
        "@",
        "@factbot",
        "_bot",
        "hello",
        "/ask",
        "\n",
        "\u{0}",
        "ﬃ",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_mention_anywhere_addresses_the_bot_and_leaves_the_question(
        before in tricky_text(),
        after in tricky_text(),
        upper in any::<bool>(),
        entity in 0u8..3,
        caption in any::<bool>(),
    ) {
        let mention = if upper { format!("@{}", USERNAME.to_uppercase()) } else { format!("@{USERNAME}") };
        let text = format!("{before} {mention} {after}");
        let offset = format!("{before} ").encode_utf16().count();
        let entities = match entity {
            0 => json!([{"type": "mention", "offset": offset, "length": mention.encode_utf16().count()}]),
            // Offsets a broken client might send: past the end, or mid-character.
            1 => json!([{"type": "mention", "offset": offset + 1, "length": 9999}]),
            _ => json!([]),
        };
        let question = addressed_question(&message(&text, entities, caption), &me());
        let question = question.expect("a message that mentions the bot is addressed to it");
        prop_assert!(!question.to_ascii_lowercase().contains(&format!("@{USERNAME}")), "{}", question);
    }

    #[test]
    fn any_text_without_the_mention_is_chatter(text in tricky_text(), caption in any::<bool>()) {
        prop_assume!(!text.to_ascii_lowercase().contains(&format!("@{USERNAME}")));
        let entities = json!([{"type": "mention", "offset": 0, "length": 3}]);
        prop_assert_eq!(addressed_question(&message(&text, entities, caption), &me()), None);
    }
}

#[test]
fn the_reported_crash_inputs_are_questions() {
    for (text, question) in [
        ("K科 @factbot_test_bot 科學園有幾大?", "K科 科學園有幾大?"),
        ("İİİİ @factbot_test_bot", "İİİİ"),
        ("@FACTBOT_TEST_BOT how big?", "how big?"),
    ] {
        let got = addressed_question(&message(text, json!([]), false), &me());
        assert_eq!(got.as_deref(), Some(question), "{text}");
    }
    let other_bot = addressed_question(&message("@factbot_test_bot2 hi", json!([]), false), &me());
    assert_eq!(other_bot, None, "a longer name is another bot");
}
