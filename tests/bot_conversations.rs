//! Follow-up questions through the bot, in-process with the fake Bot API:
//! a private chat keeps its conversation, a group only along the reply
//! chain, and no chat or user ever follows up on another's.

mod support;

use support::dialogue::{app, group, group_reply, private, private_from, Dialogue};

const OTHER_USER: i64 = 77;

#[tokio::test]
async fn a_private_chat_follows_up_on_its_last_answer() {
    let mut d = Dialogue::new(app()).await;
    d.send([private("When was the ITF set up?")]).await;
    let sent = d
        .send([private("how many projects has it approved?")])
        .await;
    assert!(sent.texts()[0].contains("78,701"), "{:?}", sent.texts());

    let sent = d.send([private("source?")]).await;
    let text = &sent.texts()[0];
    assert!(
        text.contains("Projects approved by the ITF") && text.contains("Source"),
        "{text}"
    );

    let sent = d.send([private("简体")]).await;
    assert!(
        sent.texts()[0].contains("78 701个项目"),
        "{:?}",
        sent.texts()
    );
}

#[tokio::test]
async fn a_follow_up_never_takes_another_chats_context() {
    let mut d = Dialogue::new(app()).await;
    let sent = d.send([private("How big is Science Park?")]).await;
    assert!(sent.texts()[0].contains("22 hectares"));
    let sent = d.send([private("where is it?")]).await;
    assert!(
        sent.texts()[0].contains("Pak Shek Kok"),
        "{:?}",
        sent.texts()
    );

    // Another user's private chat has no conversation yet.
    let sent = d.send([private_from(OTHER_USER, "where is it?")]).await;
    let text = &sent.texts()[0];
    assert!(!text.contains("Pak Shek Kok"), "{text}");
    // Nor does the group, where the first user asks without replying.
    let sent = d.send([group("@factbot_test_bot where is it?")]).await;
    let text = &sent.texts()[0];
    assert!(!text.contains("Pak Shek Kok"), "{text}");
}

#[tokio::test]
async fn in_a_group_a_reply_to_the_bots_answer_follows_up_on_that_answer() {
    let mut d = Dialogue::new(app()).await;
    let science_park = d
        .send([group("@factbot_test_bot How big is Science Park?")])
        .await;
    let park_answer = *science_park.message_ids(&d.api).last().unwrap();
    let itf = d
        .send([group("@factbot_test_bot When was the ITF set up?")])
        .await;
    let itf_answer = *itf.message_ids(&d.api).last().unwrap();

    // Two people follow up at once, each on the answer they reply to.
    let sent = d
        .send([group_reply(OTHER_USER, "where is it?", park_answer)])
        .await;
    assert!(
        sent.texts()[0].contains("Pak Shek Kok"),
        "{:?}",
        sent.texts()
    );
    let sent = d
        .send([group_reply(
            OTHER_USER,
            "how many projects has it approved?",
            itf_answer,
        )])
        .await;
    assert!(sent.texts()[0].contains("78,701"), "{:?}", sent.texts());

    // A reply to a message that is not one of the bot's answers has no context.
    let sent = d
        .send([group_reply(OTHER_USER, "where is it?", park_answer + 1000)])
        .await;
    assert!(
        sent.texts().iter().all(|t| !t.contains("Pak Shek Kok")),
        "{:?}",
        sent.texts()
    );
}

#[tokio::test]
async fn stats_count_what_the_bot_answered_and_declined_without_ids_or_text() {
    use factbot::knowledge::{read_dir, Knowledge};
    use factbot::store::Store;
    use factbot::telegram::outbound::Limits;
    use factbot::telegram::App;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let files = read_dir(&support::fixture("mini")).unwrap();
    let engine = factbot::Engine::new(Knowledge::load(&files).unwrap());
    let app = std::sync::Arc::new(App::new(
        engine,
        Store::open(&db).unwrap(),
        Limits::unlimited(),
    ));
    let mut d = Dialogue::new(app).await;
    d.send([private("How big is Science Park?")]).await;
    d.send([private("where is it?")]).await;
    d.send([private("科学园占地多少公顷")]).await;
    d.send([private("What is Hong Kong's GDP?")]).await;
    d.send([private_from(OTHER_USER, "What is Hong Kong's GDP?")])
        .await;

    let out = support::Run::new([
        "stats",
        "--json",
        "--days",
        "7",
        "--db",
        db.to_str().unwrap(),
    ])
    .output()
    .success();
    let stats: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(stats["total"], 5);
    assert_eq!(stats["per_day"].as_array().unwrap().len(), 1);
    assert_eq!(
        stats["top_answers"][0],
        serde_json::json!(["science-park-area", 3])
    );
    let lang = |code: &str| {
        stats["by_lang"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["lang"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(lang("en")["asked"], 4);
    assert_eq!(lang("en")["answered"], 2);
    assert_eq!(lang("zh-Hans")["answered"], 1);
    assert_eq!(
        stats["top_declined"][0]["question"],
        "What is Hong Kong's GDP?"
    );
    assert_eq!(stats["top_declined"][0]["count"], 2);
    let text = &out.stdout;
    assert!(
        !text.contains(&OTHER_USER.to_string()),
        "no user ids: {text}"
    );
}
