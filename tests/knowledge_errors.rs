//! Each kind of knowledge error is caught with a message that names the
//! file, the entry and what to do, and broken knowledge stops every command.

mod support;

use support::{copy_fixture, edit, Run};

const FACTS: &str = "facts/01-mini.toml";

fn check_fails_with(dir: &std::path::Path, needles: &[&str]) {
    let out = Run::new(["check"]).knowledge(dir).output().failure();
    for needle in needles {
        assert!(
            out.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            out.stderr
        );
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    let dir = copy_fixture("mini");
    Run::new(["check"])
        .knowledge(dir.path())
        .output()
        .success()
        .stdout_has("3 facts");
}

#[test]
fn a_wrong_figure_in_one_translation_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        "共批出78 701个项目",
        "共批出78 710个项目",
    );
    check_fails_with(
        dir.path(),
        &[
            "01-mini.toml:13",
            "fact itf-approved-projects",
            "zh-Hans text says \"78 710\"",
            "figure 78701 projects is declared but the zh-Hans text does not state it",
        ],
    );
}

#[test]
fn a_wrong_money_scale_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        "HK$53.1 billion",
        "HK$53.1 million",
    );
    check_fails_with(
        dir.path(),
        &[
            "fact itf-approved-projects",
            "en text says \"53.1 million\"",
        ],
    );
}

#[test]
fn a_missing_language_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"title = { en = "Size and location of Science Park", zh-Hans = "科学园的面积和位置" }"#,
        r#"title = { en = "Size and location of Science Park" }"#,
    );
    check_fails_with(
        dir.path(),
        &["fact science-park-area", "`title` has no zh-Hans text"],
    );
}

#[test]
fn a_duplicate_id_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"id = "itf-established""#,
        r#"id = "itf-approved-projects""#,
    );
    check_fails_with(
        dir.path(),
        &["duplicate id", "01-mini.toml:25", "01-mini.toml:13"],
    );
}

#[test]
fn a_dangling_topic_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"topic = "science-park""#,
        r#"topic = "science-parks""#,
    );
    check_fails_with(
        dir.path(),
        &[
            "fact science-park-area",
            "topic \"science-parks\" does not exist",
        ],
    );
}

#[test]
fn a_topic_within_a_missing_or_circular_owner_is_caught() {
    let within = |itf: &str, park: &str| {
        let dir = copy_fixture("mini");
        let path = dir.path().join(FACTS);
        edit(&path, "id = \"itf\"\n", &format!("id = \"itf\"\n{itf}"));
        edit(
            &path,
            "id = \"science-park\"\n",
            &format!("id = \"science-park\"\n{park}"),
        );
        dir
    };
    let dir = within("", "within = [\"hkstp\"]\n");
    check_fails_with(
        dir.path(),
        &["topic science-park", "`within` \"hkstp\" names no topic"],
    );
    let dir = within("", "within = [\"science-park\"]\n");
    check_fails_with(
        dir.path(),
        &["`within` \"science-park\" names the topic itself"],
    );
    let dir = within("within = [\"science-park\"]\n", "within = [\"itf\"]\n");
    check_fails_with(
        dir.path(),
        &[
            "topic itf",
            "`within` \"science-park\" is a topic within this one",
        ],
    );
    let dir = within("", "within = [\"itf\"]\n");
    Run::new(["check"]).knowledge(dir.path()).output().success();
}

#[test]
fn a_sum_added_to_a_missing_or_unrelated_fact_is_caught() {
    let adds_to = |base: &str| {
        let dir = copy_fixture("mini");
        edit(
            &dir.path().join(FACTS),
            "id = \"itf-approved-projects\"\n",
            &format!("id = \"itf-approved-projects\"\nadds_to = {base:?}\n"),
        );
        dir
    };
    for (base, problem) in [
        ("itf-seed", "names no fact"),
        ("itf-approved-projects", "names the fact itself"),
        ("science-park-area", "names a fact of another topic"),
    ] {
        let dir = adds_to(base);
        check_fails_with(
            dir.path(),
            &[
                "01-mini.toml:13",
                "fact itf-approved-projects",
                &format!("`adds_to` {base:?} {problem}"),
            ],
        );
    }
    let dir = adds_to("itf-established");
    Run::new(["check"]).knowledge(dir.path()).output().success();
}

#[test]
fn a_dangling_source_and_section_are_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"section = "promoting-innovation""#,
        r#"section = "promotion""#,
    );
    check_fails_with(
        dir.path(),
        &["section \"promotion\" is not a section of source factsheet-2025"],
    );
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"source = "factsheet-2025""#,
        r#"source = "factsheet-2024""#,
    );
    check_fails_with(dir.path(), &["source \"factsheet-2024\" does not exist"]);
}

#[test]
fn malformed_syntax_is_reported_with_its_line() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"keywords = ["area","#,
        r#"keywords = ["area" "#,
    );
    check_fails_with(dir.path(), &["facts/01-mini.toml:46"]);
}

#[test]
fn a_malformed_date_is_reported_with_how_to_write_it() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"as_of = "2025-04" },
  { value = 53.1e9"#,
        r#"as_of = "April 2025" },
  { value = 53.1e9"#,
    );
    check_fails_with(
        dir.path(),
        &["01-mini.toml:2", "write YYYY, YYYY-MM, YYYY-MM-DD"],
    );
}

#[test]
fn an_undeclared_date_is_caught() {
    let dir = copy_fixture("mini");
    edit(&dir.path().join(FACTS), "in 1999 with", "in 1998 with");
    check_fails_with(
        dir.path(),
        &["fact itf-established", "en text says \"1998\"", "date 1999"],
    );
}

#[test]
fn a_figure_absent_from_the_source_is_caught_without_the_source() {
    let dir = copy_fixture("mini");
    let facts = dir.path().join(FACTS);
    edit(&facts, "covers 22 hectares", "covers 29 hectares");
    edit(&facts, "占地22公顷", "占地29公顷");
    edit(&facts, "{ value = 22, unit", "{ value = 29, unit");
    // The shipped digest of the source is enough: no source text needed.
    check_fails_with(
        dir.path(),
        &[
            "fact science-park-area",
            "figure 29 hectares does not occur in the source",
        ],
    );
    let source = support::fixture("mini-source.txt");
    Run::new(["check", "--against", source.to_str().unwrap()])
        .knowledge(dir.path())
        .output()
        .failure()
        .stderr_has("figure 29 hectares does not occur in");
}

#[test]
fn a_digest_that_no_longer_matches_its_source_is_caught_and_rewritten() {
    let dir = copy_fixture("mini");
    let source = dir.path().join("source.txt");
    let text = std::fs::read_to_string(support::fixture("mini-source.txt")).unwrap();
    std::fs::write(&source, format!("{text}另有1234名研究人员。\n")).unwrap();
    let against = ["check", "--against", source.to_str().unwrap()];
    Run::new(against)
        .knowledge(dir.path())
        .output()
        .failure()
        .stderr_has("source-digest.toml: digest factsheet-2025: does not match");
    let mut write = against.to_vec();
    write.push("--write-digest");
    Run::new(write)
        .knowledge(dir.path())
        .output()
        .success()
        .stdout_has("wrote");
    Run::new(against).knowledge(dir.path()).output().success();
    let digest = std::fs::read_to_string(dir.path().join("source-digest.toml")).unwrap();
    assert!(digest.contains("1234"), "{digest}");
}

#[test]
fn figures_in_other_digits_are_caught() {
    let dir = copy_fixture("mini");
    edit(&dir.path().join(FACTS), "占地22公顷", "占地22公顷（２２）");
    check_fails_with(
        dir.path(),
        &["fact science-park-area", "digits other than 0-9", "２２"],
    );
}

#[test]
fn an_impossible_calendar_date_is_caught_without_the_source() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"milestone = { date = "1999", status = "past" }"#,
        r#"milestone = { date = "1999-02-30", status = "past" }"#,
    );
    check_fails_with(
        dir.path(),
        &[
            "01-mini.toml",
            "\"1999-02-30\" is not a day of the calendar",
        ],
    );
}

#[test]
fn a_facts_file_without_entries_is_caught() {
    let dir = copy_fixture("mini");
    std::fs::write(
        dir.path().join("facts/02-empty.toml"),
        "source = \"factsheet-2025\"\nsection = \"promoting-innovation\"\n",
    )
    .unwrap();
    check_fails_with(
        dir.path(),
        &["facts/02-empty.toml", "has no [[topic]] or [[fact]]"],
    );
}

#[test]
fn phrases_with_nothing_to_match_are_caught() {
    let dir = copy_fixture("mini");
    let intents = dir.path().join("intents.toml");
    let text = std::fs::read_to_string(&intents).unwrap();
    let phrases = text.find("phrases = [").unwrap() + "phrases = [".len();
    std::fs::write(
        &intents,
        format!("{}\"\", \"🚀\", {}", &text[..phrases], &text[phrases..]),
    )
    .unwrap();
    check_fails_with(
        dir.path(),
        &["phrase \"\" has no letters", "phrase \"🚀\" has no letters"],
    );
}

#[test]
fn toml_files_are_read_whatever_the_case_of_their_extension() {
    let dir = copy_fixture("mini");
    std::fs::rename(
        dir.path().join(FACTS),
        dir.path().join("facts/01-mini.TOML"),
    )
    .unwrap();
    Run::new(["check"])
        .knowledge(dir.path())
        .output()
        .success()
        .stdout_has("3 facts");
}

#[test]
fn a_binary_file_is_named() {
    let dir = copy_fixture("mini");
    std::fs::write(
        dir.path().join("facts/02-image.toml"),
        [0x89, b'P', b'N', b'G', 0xff, 0xfe],
    )
    .unwrap();
    Run::new(["check"])
        .knowledge(dir.path())
        .output()
        .failure()
        .stderr_has("facts/02-image.toml is not a text file");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_reported_once() {
    let dir = copy_fixture("mini");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("facts/loop")).unwrap();
    let out = Run::new(["check"]).knowledge(dir.path()).output().failure();
    assert!(out.stderr.contains("symbolic link loop"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let dir = copy_fixture("mini");
    let facts = dir.path().join(FACTS);
    edit(&facts, r#"topic = "science-park""#, r#"topic = "nowhere""#);
    edit(&facts, "in 1999 with", "in 1998 with");
    let out = Run::new(["check"]).knowledge(dir.path()).output().failure();
    assert!(
        out.stderr.contains("\"nowhere\" does not exist") && out.stderr.contains("\"1998\""),
        "{}",
        out.stderr
    );
}

#[test]
fn broken_knowledge_stops_the_binary_instead_of_starting() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"topic = "science-park""#,
        r#"topic = "nowhere""#,
    );
    for args in [
        vec!["ask", "how big is science park"],
        vec!["knowledge", "--json"],
        vec!["eval", "tests/eval/00-general.tsv"],
    ] {
        let out = Run::new(args).knowledge(dir.path()).output().failure();
        assert!(
            out.stdout.is_empty(),
            "nothing may be answered on broken knowledge: {}",
            out.stdout
        );
        assert!(
            out.stderr.contains("refusing to start")
                && out.stderr.contains("\"nowhere\" does not exist"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn a_missing_knowledge_folder_is_a_clear_error() {
    Run::new(["ask", "hi"])
        .knowledge(std::path::Path::new("/nonexistent/knowledge"))
        .output()
        .failure()
        .stderr_has("cannot read the knowledge at /nonexistent/knowledge: No such file");
}

#[test]
fn a_broken_lexicon_names_the_file_and_the_entry() {
    let dir = copy_fixture("mini");
    let lexicon = dir.path().join("lexicon.toml");
    std::fs::write(
        &lexicon,
        "requests = [\"please\", \"？\"]\nlater = [\"！\"]\nkind_askers = [\"what\", \"?\"]\n\n\
         [whether]\nauxiliaries = [\"does\", \"does it\"]\n\n\
         [besides]\nopeners = [\"Besides\", \"除了\"]\nclosers = [\" 以外\"]\n\n\
         [stopwords]\nen = [\"of\", \"the\"]\nzh = [\"的\"]\n\n\
         [[attribute]]\nid = \"count\"\nphrases = [\"how many\", \"# of\", \"🚀\", \"How many\"]\n\n\
         [[attribute]]\nid = \"money\"\nphrases = [\"how much\"]\nnouns = [\"money\", \"the\"]\n\n\
         [[concept]]\nid = \"company\"\nwords = [\"firm\"]\n\n\
         [[concept]]\nid = \"company\"\nwords = [\"business\"]\n\n\
         [[concept]]\nid = \"people\"\nincludes = [\"user\"]\nwords = [\"people\"]\n\n\
         [[concept]]\nid = \"unicorn\"\nkind_of = [\"firm\"]\nwords = [\"unicorn\"]\n",
    )
    .unwrap();
    check_fails_with(
        dir.path(),
        &[
            "knowledge/lexicon.toml: attribute Count: phrase \"# of\" reads as the stop word \"of\"",
            "phrase \"🚀\" has no letters or characters to match",
            "attribute Count: lists \"How many\" twice: remove one",
            "attribute Money nouns: phrase \"the\" reads as the stop word \"the\"",
            "concept company: is defined twice",
            "concept people: includes \"user\", which no concept is",
            "concept unicorn: kind_of \"firm\", which no concept is",
            "requests: \"？\" has no letters or characters to match",
            "later: \"！\" has no letters or characters to match",
            "kind_askers: \"?\" has no letters or characters to match",
            "whether.auxiliaries: \"does it\" is not one lower-case English word",
            "besides.openers: \"Besides\" is not written as the question would be",
            "besides.closers: \" 以外\" is not written as the question would be",
        ],
    );
    std::fs::write(
        &lexicon,
        "[stopwords]\n\n[[attribute]]\nid = \"colour\"\nphrases = [\"what colour\"]\n",
    )
    .unwrap();
    check_fails_with(
        dir.path(),
        &["knowledge/lexicon.toml", "unknown variant `colour`"],
    );
}

#[test]
fn the_lexicon_is_data_that_changes_how_questions_are_read() {
    // Without a lexicon of its own the folder uses the built-in one, which
    // reads "how many … in 2020" as a count for a year the fact does not cover.
    let dir = copy_fixture("mini");
    let question = [
        "ask",
        "--json",
        "How many projects did the ITF approve in 2020?",
    ];
    let out = Run::new(question).knowledge(dir.path()).output().success();
    assert_eq!(out.json_lines()[0]["reason"], "period_not_covered");
    // A lexicon without the words for a count cannot tell.
    std::fs::write(dir.path().join("lexicon.toml"), "[stopwords]\n").unwrap();
    let out = Run::new(question).knowledge(dir.path()).output().success();
    assert_ne!(out.json_lines()[0]["reason"], "period_not_covered");
}

#[test]
fn listed_on_a_figure_that_is_not_a_count_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"figures = [{ value = 5e9, unit = "HK$" }]"#,
        r#"figures = [{ value = 5e9, unit = "HK$", listed = true }]"#,
    );
    check_fails_with(
        dir.path(),
        &[
            "01-mini.toml",
            "fact itf-established",
            "`listed` is for a count of things the text names",
            "remove it",
        ],
    );
}

#[test]
fn an_empty_entry_of_lists_is_caught() {
    let dir = copy_fixture("mini");
    edit(
        &dir.path().join(FACTS),
        r#"figures = [{ value = 5e9, unit = "HK$" }]"#,
        "figures = [{ value = 5e9, unit = \"HK$\" }]\nlists = [\" \"]",
    );
    check_fails_with(
        dir.path(),
        &[
            "01-mini.toml",
            "fact itf-established",
            "an entry of `lists` is empty",
        ],
    );
}
