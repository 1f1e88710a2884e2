//! Bot dialogues in-process, through the real runner and handler tree, with
//! the fake Bot API: private questions, group etiquette, commands, buttons,
//! captions, limits and escaping.

mod support;

use serde_json::{json, Value};
use support::dialogue::{
    app, group, group_chat, photo, press, private, private_chat, Dialogue, GROUP,
};

#[tokio::test]
async fn a_private_question_gets_a_sourced_answer_in_its_language() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([private("科學園有幾大？")]).await;
    let reply = sent.messages()[0];
    assert_eq!(reply["parse_mode"], "HTML");
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("22公頃"), "{text}");
    assert!(
        text.contains("<i>資料來源："),
        "the source sits under the answer: {text}"
    );
}

#[tokio::test]
async fn groups_hear_chatter_in_silence() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([group("anyone up for lunch? how big is science park lol")])
        .await;
    assert!(sent.messages().is_empty());
}

#[tokio::test]
async fn groups_get_answers_to_ask_with_the_bots_name() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([group("/ask@factbot_test_bot how big is science park")])
        .await;
    assert_eq!(sent.messages().len(), 1, "one answer per question");
    assert!(sent.last_text().contains("22 hectares"));
    assert_eq!(
        sent.messages()[0]["reply_parameters"]["message_id"],
        500,
        "in a group the answer replies to the question"
    );
}

#[tokio::test]
async fn groups_get_answers_when_the_bot_is_mentioned() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([group("@factbot_test_bot when was the ITF set up?")])
        .await;
    assert!(sent.last_text().contains("1999"));
}

#[tokio::test]
async fn commands_for_another_bot_are_ignored_in_groups() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([group("/ask@other_bot how big is science park")])
        .await;
    assert!(sent.messages().is_empty());
}

#[tokio::test]
async fn suggestion_buttons_answer_when_pressed() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([private("science park")]).await;
    let keyboard = &sent.messages()[0]["reply_markup"]["inline_keyboard"];
    let data = keyboard[0][0]["callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(data.len() <= 64, "callback data fits Telegram's 64 bytes");
    assert_eq!(data, "f:science-park-area");

    let sent = d.send([press(private_chat(), &data)]).await;
    assert!(sent.last_text().contains("22 hectares"));
    assert_eq!(
        sent.of("answercallbackquery").len(),
        1,
        "every callback query is answered"
    );
}

#[tokio::test]
async fn forged_callback_data_is_answered_not_obeyed() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([press(private_chat(), "f:no-such-fact")]).await;
    assert!(sent.messages().is_empty());
    let answers = sent.of("answercallbackquery");
    assert_eq!(answers.len(), 1);
    assert!(
        answers[0]["text"].is_string(),
        "the user is told the button expired"
    );
}

#[tokio::test]
async fn html_in_a_question_never_reaches_telegram_unescaped() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([private("<b>science park</b> & <script>alert(1)</script>")])
        .await;
    let text = sent.last_text();
    assert!(
        !text.contains("<script>") && !text.contains("<b>science"),
        "{text}"
    );
}

#[tokio::test]
async fn lang_in_a_private_chat_sets_the_reply_language() {
    let mut d = Dialogue::new(app()).await;
    d.send([private("/lang zh-Hant")]).await;
    let sent = d.send([private("how big is science park")]).await;
    assert!(sent.last_text().contains("22公頃"));
    let sent = d.send([private("/lang klingon")]).await;
    assert!(sent.last_text().contains("/lang auto"));
}

#[tokio::test]
async fn start_with_a_deep_link_opens_a_fact() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([private("/start fact-itf-established")]).await;
    assert!(sent.last_text().contains("1999"));
}

#[tokio::test]
async fn non_text_messages_get_a_hint() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([photo(private_chat(), None)]).await;
    assert!(sent.last_text().contains("type your question"));
}

#[tokio::test]
async fn a_caption_is_read_as_a_question() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send([photo(private_chat(), Some("how big is science park"))])
        .await;
    assert!(sent.last_text().contains("22 hectares"));
    let sent = d
        .send([photo(
            group_chat(),
            Some("@factbot_test_bot when was the ITF set up?"),
        )])
        .await;
    assert!(
        sent.last_text().contains("1999"),
        "in groups, when addressed"
    );
}

#[tokio::test]
async fn declined_questions_are_logged_for_curators_without_ids() {
    let app = app();
    let mut d = Dialogue::new(app.clone()).await;
    d.send([private("What is Hong Kong's GDP?")]).await;
    let groups = app.store.lock().unwrap().unanswered(10).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].question, "What is Hong Kong's GDP?");
    assert_eq!(groups[0].lang, "en");
}

#[tokio::test]
async fn a_flood_of_questions_gets_one_polite_note() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send((0..14).map(|_| private("how big is science park")))
        .await;
    let texts = sent.texts();
    let notes = texts.iter().filter(|t| t.contains("wait a minute")).count();
    assert_eq!(notes, 1, "{texts:?}");
    assert_eq!(texts.len(), 13, "12 answers, 1 note, then silence");
}

#[tokio::test]
async fn button_presses_count_against_the_users_limit() {
    let mut d = Dialogue::new(app()).await;
    let sent = d
        .send((0..14).map(|_| press(private_chat(), "f:science-park-area")))
        .await;
    assert_eq!(sent.messages().len(), 12, "12 presses answered");
    let answers = sent.of("answercallbackquery");
    assert_eq!(answers.len(), 14, "every press stops its button spinning");
    let notes = answers
        .iter()
        .filter(|a| {
            a["text"]
                .as_str()
                .is_some_and(|t| t.contains("wait a minute"))
        })
        .count();
    assert_eq!(notes, 1, "one polite note, then silence");
}

#[tokio::test]
async fn anonymous_admins_may_change_group_settings() {
    let mut update = group("/lang zh-Hans");
    // An anonymous admin writes as the group itself.
    update["message"]["sender_chat"] = group_chat();
    update["message"]["from"] = json!({"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([update]).await;
    assert!(
        sent.last_text().contains("简体中文"),
        "{}",
        sent.last_text()
    );
    assert!(
        sent.of("getchatmember").is_empty(),
        "no lookup is needed for the group itself"
    );
}

#[tokio::test]
async fn members_may_not_change_group_settings() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([group("/lang zh-Hans")]).await;
    assert_eq!(sent.of("getchatmember").len(), 1);
    assert!(sent.last_text().contains("Only the group's admins"));
    let lang = d.app.store.lock().unwrap().chat_lang(GROUP).unwrap();
    assert_eq!(lang, None, "the setting is unchanged");
}

/// Random group messages through the handler tree: arbitrary Unicode around
/// mentions and commands, in texts and captions. A panic fails the test
/// (the runner would catch it, and apologise); a message that mentions the
/// bot gets exactly one reply.
#[tokio::test]
async fn arbitrary_group_messages_never_break_the_handler_tree() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let pieces = proptest::sample::select(vec![
        "K",
        "İ",
        "ẞ",
        "😀",
        "e\u{301}",
        "\u{202e}",
        "科學園",
        "幾大",
        " ",
        "@",
        "@factbot_test_bot",
        "@FACTBOT_TEST_BOT",
        "/ask",
        "/ask@factbot_test_bot",
        "/start",
        "/help@factbot_test_bot",
        "/topics@other_bot",
        "\n",
        "ﬃ",
    ]);
    let texts = proptest::prop_oneof![
        proptest::collection::vec(pieces, 1..8).prop_map(|v| v.concat()),
        proptest::prelude::any::<String>(),
    ];
    let mut runner = TestRunner::deterministic();
    // A fresh app each time, so the per-user limit never silences a case.
    let mut d = Dialogue::new(app()).await;
    for case in 0..200 {
        if case % 10 == 0 {
            d = Dialogue::new(app()).await;
        }
        let text = texts.new_tree(&mut runner).unwrap().current();
        let update: Value = if case % 3 == 0 {
            photo(group_chat(), Some(&text))
        } else {
            group(&text)
        };
        let sent = d.send([update]).await;
        assert!(
            sent.texts().iter().all(|t| !t.contains("went wrong")),
            "{text:?} made the bot apologise"
        );
        let mentioned = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
            .any(|w| w.eq_ignore_ascii_case("@factbot_test_bot"));
        if mentioned && !text.starts_with('/') {
            assert_eq!(sent.messages().len(), 1, "{text:?}");
        }
        assert!(sent.messages().len() <= 2, "{text:?}");
    }
}
