//! Bot dialogues through a mock Bot API (teloxide_tests): private questions,
//! group etiquette, commands, suggestion buttons and escaping.

mod support;

use std::sync::Arc;

use factbot::knowledge::{read_dir, Knowledge};
use factbot::store::Store;
use factbot::telegram::outbound::Limits;
use factbot::telegram::{schema, App};
use factbot::Engine;
use teloxide::dptree::deps;
use teloxide::types::{ParseMode, ReplyMarkup};
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockGroupChat, MockMessagePhoto, MockMessageText, MockPrivateChat,
};

fn app() -> Arc<App> {
    let files = read_dir(&support::fixture("mini")).unwrap();
    let engine = Engine::new(Knowledge::load(&files).unwrap());
    Arc::new(App::new(
        engine,
        Store::in_memory().unwrap(),
        Limits::unlimited(),
    ))
}

/// A mock bot with the fixture knowledge and `app`, after dispatching `update`.
async fn dispatched<T: teloxide_tests::IntoUpdate>(
    update: T,
    app: Arc<App>,
) -> MockBot<anyhow::Error, teloxide_tests::mock_bot::DistributionKey> {
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(deps![app]);
    bot.dispatch().await;
    bot
}

/// The text of the bot's latest message.
fn last_text(bot: &MockBot<anyhow::Error, teloxide_tests::mock_bot::DistributionKey>) -> String {
    let responses = bot.get_responses();
    responses
        .sent_messages_text
        .last()
        .expect("a reply")
        .bot_request
        .text
        .clone()
}

fn group_text(text: &str) -> MockMessageText {
    MockMessageText::new()
        .text(text)
        .chat(MockGroupChat::new().build())
}

#[tokio::test]
async fn a_private_question_gets_a_sourced_answer_in_its_language() {
    let bot = dispatched(MockMessageText::new().text("科學園有幾大？"), app()).await;
    let responses = bot.get_responses();
    let sent = &responses
        .sent_messages_text
        .last()
        .expect("a reply")
        .bot_request;
    assert_eq!(sent.parse_mode, Some(ParseMode::Html));
    assert!(sent.text.contains("22公頃"), "{}", sent.text);
    assert!(
        sent.text.contains("<i>資料來源："),
        "the source sits under the answer: {}",
        sent.text
    );
}

#[tokio::test]
async fn groups_hear_chatter_in_silence() {
    let bot = dispatched(
        group_text("anyone up for lunch? how big is science park lol"),
        app(),
    )
    .await;
    assert!(bot.get_responses().sent_messages.is_empty());
}

#[tokio::test]
async fn groups_get_answers_to_ask_with_the_bots_name() {
    let bot = dispatched(group_text("/ask@test_bot how big is science park"), app()).await;
    let responses = bot.get_responses();
    assert_eq!(
        responses.sent_messages_text.len(),
        1,
        "one answer per question"
    );
    let sent = &responses.sent_messages_text[0].bot_request;
    assert!(sent.text.contains("22 hectares"));
    assert!(
        sent.reply_parameters.is_some(),
        "in a group the answer replies to the question"
    );
}

#[tokio::test]
async fn groups_get_answers_when_the_bot_is_mentioned() {
    let bot = dispatched(group_text("@test_bot when was the ITF set up?"), app()).await;
    let responses = bot.get_responses();
    assert!(responses.sent_messages_text[0]
        .bot_request
        .text
        .contains("1999"));
}

#[tokio::test]
async fn commands_for_another_bot_are_ignored_in_groups() {
    let bot = dispatched(group_text("/ask@other_bot how big is science park"), app()).await;
    assert!(bot.get_responses().sent_messages.is_empty());
}

#[tokio::test]
async fn suggestion_buttons_answer_when_pressed() {
    let app = app();
    let mut bot = dispatched(MockMessageText::new().text("science park"), app.clone()).await;
    let responses = bot.get_responses();
    let markup = responses
        .sent_messages_text
        .last()
        .unwrap()
        .bot_request
        .reply_markup
        .clone();
    let Some(ReplyMarkup::InlineKeyboard(keyboard)) = markup else {
        panic!("the overview offers its facts as buttons");
    };
    let button = &keyboard.inline_keyboard[0][0];
    let data = match &button.kind {
        teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => d.clone(),
        other => panic!("not a callback button: {other:?}"),
    };
    assert!(data.len() <= 64, "callback data fits Telegram's 64 bytes");
    assert_eq!(data, "f:science-park-area");

    bot.update(
        MockCallbackQuery::new().data(data).message(
            MockMessageText::new()
                .text("science park")
                .chat(MockPrivateChat::new().build())
                .build(),
        ),
    );
    bot.dispatch().await;
    assert!(last_text(&bot).contains("22 hectares"));
    let responses = bot.get_responses();
    assert_eq!(
        responses.answered_callback_queries.len(),
        1,
        "every callback query is answered"
    );
}

#[tokio::test]
async fn forged_callback_data_is_answered_not_obeyed() {
    let bot = dispatched(
        MockCallbackQuery::new()
            .data("f:no-such-fact")
            .message(MockMessageText::new().build()),
        app(),
    )
    .await;
    let responses = bot.get_responses();
    assert!(responses.sent_messages.is_empty());
    assert_eq!(responses.answered_callback_queries.len(), 1);
    assert!(
        responses.answered_callback_queries[0].text.is_some(),
        "the user is told the button expired"
    );
}

#[tokio::test]
async fn html_in_a_question_never_reaches_telegram_unescaped() {
    let bot = dispatched(
        MockMessageText::new().text("<b>science park</b> & <script>alert(1)</script>"),
        app(),
    )
    .await;
    let responses = bot.get_responses();
    let sent = &responses.sent_messages_text.last().unwrap().bot_request;
    assert!(
        !sent.text.contains("<script>") && !sent.text.contains("<b>science"),
        "{}",
        sent.text
    );
}

#[tokio::test]
async fn lang_in_a_private_chat_sets_the_reply_language() {
    let mut bot = dispatched(MockMessageText::new().text("/lang zh-Hant"), app()).await;
    bot.update(MockMessageText::new().text("how big is science park"));
    bot.dispatch().await;
    assert!(last_text(&bot).contains("22公頃"));
    bot.update(MockMessageText::new().text("/lang klingon"));
    bot.dispatch().await;
    assert!(last_text(&bot).contains("/lang auto"));
}

#[tokio::test]
async fn start_with_a_deep_link_opens_a_fact() {
    let bot = dispatched(
        MockMessageText::new().text("/start fact-itf-established"),
        app(),
    )
    .await;
    assert!(bot.get_responses().sent_messages_text[0]
        .bot_request
        .text
        .contains("1999"));
}

#[tokio::test]
async fn non_text_messages_get_a_hint() {
    let bot = dispatched(MockMessagePhoto::new(), app()).await;
    let text = bot.get_responses().sent_messages_text[0]
        .bot_request
        .text
        .clone();
    assert!(text.contains("type your question"), "{text}");
}

#[tokio::test]
async fn declined_questions_are_logged_for_curators_without_ids() {
    let app = app();
    let _bot = dispatched(
        MockMessageText::new().text("What is Hong Kong's GDP?"),
        app.clone(),
    )
    .await;
    let groups = app.store.lock().unwrap().unanswered(10).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].question, "What is Hong Kong's GDP?");
    assert_eq!(groups[0].lang, "en");
}

#[tokio::test]
async fn a_flood_of_questions_gets_one_polite_note() {
    let bot = dispatched(
        (0..14)
            .map(|_| MockMessageText::new().text("how big is science park"))
            .collect::<Vec<_>>(),
        app(),
    )
    .await;
    let texts: Vec<String> = bot
        .get_responses()
        .sent_messages_text
        .iter()
        .map(|m| m.bot_request.text.clone())
        .collect();
    let notes = texts.iter().filter(|t| t.contains("wait a minute")).count();
    assert_eq!(notes, 1, "{texts:?}");
    assert_eq!(texts.len(), 13, "12 answers, 1 note, then silence");
}

#[tokio::test]
async fn anonymous_admins_may_change_group_settings() {
    let group = MockGroupChat::new().build();
    let message = MockMessageText::new()
        .text("/lang zh-Hans")
        .chat(group.clone())
        .sender_chat(group);
    let bot = dispatched(message, app()).await;
    let text = bot.get_responses().sent_messages_text[0]
        .bot_request
        .text
        .clone();
    assert!(text.contains("简体中文"), "{text}");
}

#[tokio::test]
async fn a_caption_is_read_as_a_question() {
    let bot = dispatched(
        MockMessagePhoto::new().caption("how big is science park"),
        app(),
    )
    .await;
    assert!(last_text(&bot).contains("22 hectares"));
}

#[tokio::test]
async fn button_presses_count_against_the_users_limit() {
    let press = || {
        MockCallbackQuery::new()
            .data("f:science-park-area")
            .message(MockMessageText::new().text("topics").build())
    };
    let bot = dispatched((0..14).map(|_| press()).collect::<Vec<_>>(), app()).await;
    let responses = bot.get_responses();
    assert_eq!(
        responses.sent_messages_text.len(),
        12,
        "12 presses answered"
    );
    assert_eq!(
        responses.answered_callback_queries.len(),
        14,
        "every press stops its button spinning"
    );
    let notes = responses
        .answered_callback_queries
        .iter()
        .filter(|q| {
            q.text
                .as_deref()
                .is_some_and(|t| t.contains("wait a minute"))
        })
        .count();
    assert_eq!(notes, 1, "one polite note, then silence");
}

/// Random group messages through the handler tree: arbitrary Unicode around
/// mentions and commands, in texts and captions. A panic anywhere fails the
/// dispatch; a message that mentions the bot gets exactly one reply.
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
        "@test_bot",
        "@TEST_BOT",
        "/ask",
        "/ask@test_bot",
        "/start",
        "/help@test_bot",
        "/topics@other_bot",
        "\n",
        "ﬃ",
    ]);
    let texts = proptest::prop_oneof![
        proptest::collection::vec(pieces, 1..8).prop_map(|v| v.concat()),
        proptest::prelude::any::<String>(),
    ];
    let mut runner = TestRunner::deterministic();
    for case in 0..48 {
        // A fresh app each time, so the per-user limit never silences a case.
        let app = app();
        let text = texts.new_tree(&mut runner).unwrap().current();
        if text.trim().is_empty() {
            continue;
        }
        let group = MockGroupChat::new().build();
        let bot = if case % 3 == 0 {
            dispatched(
                MockMessagePhoto::new().caption(text.clone()).chat(group),
                app,
            )
            .await
        } else {
            dispatched(MockMessageText::new().text(text.clone()).chat(group), app).await
        };
        let sent = bot.get_responses().sent_messages.len();
        let mentioned = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
            .any(|w| w.eq_ignore_ascii_case("@test_bot"));
        if mentioned && !text.starts_with('/') {
            assert_eq!(sent, 1, "{text:?}");
        }
        assert!(sent <= 2, "{text:?} got {sent} messages");
    }
}
