//! The CLI harness, run as a curator would run it.

mod support;

use support::{fixture, Run};

#[test]
fn ask_prints_the_sourced_figure_in_the_askers_language() {
    Run::new(["ask", "創科基金批咗幾多個項目?"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("78 701")
        .stdout_has("資料來源：《香港便覽：創新、科技及工業》2025年版")
        .stdout_has("數據截至2025年4月");
    Run::new(["ask", "how many projects has the itf approved"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("78,701")
        .stdout_has("Source: Hong Kong: The Facts")
        .stdout_has("figures as of April 2025");
}

#[test]
fn ask_json_has_the_documented_fields() {
    let out = Run::new(["ask", "--json", "When was the ITF set up?"])
        .knowledge(&fixture("mini"))
        .output()
        .success();
    let lines = out.json_lines();
    assert_eq!(lines.len(), 1);
    let v = &lines[0];
    assert_eq!(v["answered"], true);
    assert_eq!(v["intent"], "fact");
    assert_eq!(v["facts"], serde_json::json!(["itf-established"]));
    assert_eq!(v["lang"], "en");
    assert!(v["confidence"].as_f64().unwrap() >= 0.5);
    assert!(v["reply"].as_str().unwrap().contains("1999"));
    assert_eq!(
        v["sources"][0]["url"],
        "https://www.gov.hk/en/about/abouthk/factsheets/"
    );
    assert!(v["suggestions"].as_array().unwrap().is_empty());
}

#[test]
fn ask_json_explain_shows_why_the_best_candidate_won() {
    let out = Run::new(["ask", "--json", "--explain", "When was the ITF set up?"])
        .knowledge(&fixture("mini"))
        .output()
        .success();
    let ranking = &out.json_lines()[0]["ranking"];
    assert_eq!(ranking["frame"]["asks"][0], "When");
    assert_eq!(ranking["subjects"][0]["anchor"]["topic"], "itf");
    let best = &ranking["candidates"][0];
    assert_eq!(best["fact"], "itf-established");
    assert_eq!(best["fit"]["attribute"], true);
    assert!(best["subject"].as_f64().unwrap() >= 0.9);
    // Without --explain the object has no ranking.
    let plain = Run::new(["ask", "--json", "When was the ITF set up?"])
        .knowledge(&fixture("mini"))
        .output()
        .success();
    assert!(plain.json_lines()[0].get("ranking").is_none());
}

#[test]
fn how_many_times_asks_a_count_not_a_date() {
    // The stemmer makes "times" into "time"; no date phrase may be that stem.
    let out = Run::new([
        "ask",
        "--json",
        "--explain",
        "How many times has the ITF been topped up?",
    ])
    .output()
    .success();
    let asks = &out.json_lines()[0]["ranking"]["frame"]["asks"];
    assert_eq!(asks, &serde_json::json!(["Count"]));
}

#[test]
fn ask_json_reads_one_question_per_line_and_answers_in_order() {
    let out = Run::new(["ask", "--json"])
        .knowledge(&fixture("mini"))
        .stdin("hello\nWhat is Hong Kong's GDP?\n科学园占地多少公顷\n\n")
        .output()
        .success();
    let lines = out.json_lines();
    assert_eq!(
        lines.len(),
        4,
        "one object per input line, blank lines included"
    );
    assert_eq!(lines[0]["intent"], "greeting");
    assert_eq!(lines[1]["answered"], false);
    assert_eq!(lines[1]["facts"], serde_json::json!([]));
    assert_eq!(lines[2]["facts"], serde_json::json!(["science-park-area"]));
    assert_eq!(lines[2]["lang"], "zh-Hans");
    assert_eq!(lines[3]["answered"], false);
}

#[test]
fn lang_flag_overrides_the_questions_language() {
    let out = Run::new([
        "ask",
        "--json",
        "--lang",
        "zh-Hant",
        "how big is science park",
    ])
    .knowledge(&fixture("mini"))
    .output()
    .success();
    let v = &out.json_lines()[0];
    assert_eq!(v["lang"], "zh-Hant");
    assert!(v["reply"].as_str().unwrap().contains("22公頃"));
}

#[test]
fn declines_say_what_the_bot_knows_about() {
    Run::new(["ask", "What is Hong Kong's GDP?"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("I only know the figures");
}

#[test]
fn knowledge_json_lists_facts_intents_and_milestones() {
    let out = Run::new(["knowledge", "--json"])
        .knowledge(&fixture("mini"))
        .output()
        .success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let fact = &v["facts"][0];
    assert_eq!(fact["id"], "itf-approved-projects");
    assert_eq!(
        fact["text"]["zh-Hant"],
        "截至2025年4月底，創新及科技基金共批出78 701個項目，涉及撥款531億元。"
    );
    assert_eq!(fact["figures"][0]["value"], 78701.0);
    assert_eq!(fact["source"], "factsheet-2025");
    assert!(fact["examples"].as_array().unwrap().len() >= 3);
    assert_eq!(v["milestones"][0]["fact"], "itf-established");
    assert_eq!(v["milestones"][0]["precision"], "year");
    assert_eq!(v["milestones"][0]["status"], "past");
    assert!(v["intents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "greeting"));
}

#[test]
fn the_embedded_knowledge_works_from_any_folder() {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_factbot"))
        .arg("check")
        .current_dir(elsewhere.path())
        .env_remove("FACTBOT_KNOWLEDGE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("knowledge OK"));
}

#[test]
fn eval_reports_per_language_accuracy_and_passes_its_thresholds() {
    Run::new(["eval", "tests/fixtures/eval/mini.tsv"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("en       accuracy 100.0% (2/2)")
        .stdout_has("decline  recall 100.0% (2/2)")
        .stdout_has("PASS");
}

#[test]
fn eval_fails_below_a_threshold_and_lists_the_misses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hard.tsv");
    std::fs::write(
        &file,
        "science-park-area\ten\twhat colour are the buildings\nitf-established\ten\tITF?\n",
    )
    .unwrap();
    Run::new(["eval", file.to_str().unwrap(), "--min-accuracy", "0.9"])
        .knowledge(&fixture("mini"))
        .output()
        .failure()
        .stdout_has("MISS")
        .stdout_has("FAIL: en accuracy");
}

#[test]
fn a_malformed_eval_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.tsv");
    std::fs::write(&file, "# fine\nitf-established en no tabs here\n").unwrap();
    Run::new(["eval", file.to_str().unwrap()])
        .knowledge(&fixture("mini"))
        .output()
        .failure()
        .stderr_has("bad.tsv:2: expected three or four tab-separated columns");
}

#[test]
fn chat_answers_and_explains_why_on_request() {
    Run::new(["chat"])
        .knowledge(&fixture("mini"))
        .stdin("how big is science park\n?科學園幾大\n:q\nnot read after quitting\n")
        .output()
        .success()
        .stdout_has("22 hectares")
        .stdout_has("22公頃")
        .stdout_has("science-park-area  (coverage");
}

#[test]
fn greetings_need_the_whole_word() {
    let out = Run::new(["ask", "--json"])
        .knowledge(&fixture("mini"))
        .stdin("hi there\nhis\n")
        .output()
        .success();
    let lines = out.json_lines();
    assert_eq!(lines[0]["intent"], "greeting");
    assert_eq!(lines[1]["answered"], false);
}

#[test]
fn ask_conversation_follows_up_within_a_block_and_says_how_it_understood() {
    let out = Run::new(["ask", "--json", "--conversation"])
        .knowledge(&fixture("mini"))
        .stdin("When was the ITF set up?\nhow many projects has it approved?\n\nhow many projects has it approved?\nwhere is it?\n")
        .output()
        .success();
    let lines = out.json_lines();
    assert_eq!(
        lines.len(),
        4,
        "a blank line starts a conversation and gets no answer"
    );
    assert_eq!(lines[0]["resolved"], serde_json::Value::Null);
    assert_eq!(
        lines[1]["facts"],
        serde_json::json!(["itf-approved-projects"])
    );
    assert_eq!(
        lines[1]["resolved"],
        "Innovation and Technology Fund (ITF) how many projects has it approved?"
    );
    // A new conversation: nothing carried over from the last one.
    assert_eq!(lines[2]["resolved"], serde_json::Value::Null);
    let last = &lines[3];
    assert!(
        !last["reply"].as_str().unwrap().contains("Pak Shek Kok"),
        "{last}"
    );
}

#[test]
fn chat_keeps_the_conversation_until_new() {
    Run::new(["chat"])
        .knowledge(&fixture("mini"))
        .stdin("How big is Science Park?\nwhere is it?\n:new\nsource?\n")
        .output()
        .success()
        .stdout_has("(understood as: Hong Kong Science Park where is it?)")
        .stdout_has("Ask me a question first");
}

#[test]
fn eval_scores_conversations() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("talk.tsv");
    std::fs::write(
        &file,
        "science-park-area\ten\tHow big is Science Park?\tfirst\nscience-park-area\ten\twhere is it?\tfollow-up\n\ndecline\ten\twhere is it?\tno-context\n",
    )
    .unwrap();
    Run::new([
        "eval",
        "--conversations",
        file.to_str().unwrap(),
        "--min-accuracy",
        "1",
        "--max-wrong",
        "0",
    ])
    .knowledge(&fixture("mini"))
    .output()
    .success()
    .stdout_has("en       accuracy 100.0% (2/2)")
    .stdout_has("follow-up                100.0% (1/1)");
    // Read one question at a time, the follow-up is not understood.
    Run::new(["eval", file.to_str().unwrap(), "--min-accuracy", "1"])
        .knowledge(&fixture("mini"))
        .output()
        .failure();
}

#[test]
fn version_names_the_commit_and_the_knowledge() {
    let out = Run::new(["--version"]).output().success();
    let text = &out.stdout;
    assert!(
        text.starts_with(&format!("factbot {} (git ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let knowledge = text
        .split("knowledge ")
        .nth(1)
        .unwrap()
        .trim_end()
        .trim_end_matches(')');
    assert_eq!(knowledge.len(), 12, "{text}");
    assert!(knowledge.chars().all(|c| c.is_ascii_hexdigit()), "{text}");
}

#[test]
fn two_named_subjects_compared_get_both_facts_in_date_order() {
    let out = Run::new([
        "ask",
        "--json",
        "Which came first, iAM Smart or the Smart Government Innovation Lab?",
    ])
    .output()
    .success();
    let v = &out.json_lines()[0];
    assert_eq!(
        v["facts"],
        serde_json::json!(["smart-gov-lab-established", "iam-smart-launch"])
    );
    let reply = v["reply"].as_str().unwrap();
    assert!(
        reply.starts_with(
            "First: Setting up of the Smart Government Innovation Lab (April 2019); \
             then Launch of iAM Smart (December 2020)."
        ),
        "{reply}"
    );
    // In the asker's script too.
    let out = Run::new(["ask", "ITF同創科局邊個先成立？"])
        .output()
        .success();
    out.stdout_has(
        "先後次序：創新及科技基金的設立（1999年），然後是創新及科技局的成立（2015年11月）。",
    );
}

#[test]
fn the_time_between_two_dates_is_worked_out_from_them() {
    let out = Run::new(["ask", "創科局同新型工業發展辦公室成立相隔幾耐？"])
        .output()
        .success();
    out.stdout_has("（2024年2月）。兩者相隔8年3個月。");
    // A year alone gives years, about.
    let out = Run::new(["ask", "How long apart were the ITF and HKSTP set up?"])
        .output()
        .success();
    out.stdout_has("then When HKSTP was set up (May 2001). That is about 2 years apart.");
    // Which came first asks no time between.
    let out = Run::new(["ask", "ITF同創科局邊個先成立？"])
        .output()
        .success();
    assert!(!out.stdout.contains("相隔"), "{}", out.stdout);
}

#[test]
fn a_financial_year_is_named_as_one_and_not_given_by_a_total() {
    let out = Run::new(["ask", "How much did the ITF approve in 2025-26?"])
        .output()
        .success();
    out.stdout_has("doesn't give the figure for the 2025-26 financial year")
        .stdout_has("As of end-April 2025");
}

#[test]
fn of_two_asks_the_one_the_factsheet_lacks_is_said_and_the_other_answered() {
    // Each reply holds both parts, in the order asked.
    let in_order = |question: &str, first: &str, then: &str| {
        let out = Run::new(["ask", question]).output().success();
        let (a, b) = (out.stdout.find(first), out.stdout.find(then));
        assert!(a.is_some() && b.is_some() && a < b, "{}", out.stdout);
        out.stdout
    };
    in_order(
        "When was Cyberport set up, and how many companies does it have?",
        "doesn't give that date for Cyberport",
        "2,200",
    );
    let reply = in_order("數碼港有幾多間公司?租金幾多?", "2 200", "冇提供數碼港");
    assert!(!reply.contains("便覽載有"), "{reply}");
}
