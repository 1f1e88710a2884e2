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
fn a_figure_absent_from_the_source_is_caught() {
    let dir = copy_fixture("mini");
    let facts = dir.path().join(FACTS);
    edit(&facts, "covers 22 hectares", "covers 29 hectares");
    edit(&facts, "占地22公顷", "占地29公顷");
    edit(&facts, "{ value = 22, unit", "{ value = 29, unit");
    Run::new(["check"]).knowledge(dir.path()).output().success();
    Run::new(["check", "--against", support::SEED])
        .knowledge(dir.path())
        .output()
        .failure()
        .stderr_has("figure 29 hectares does not occur in");
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
        .stderr_has("cannot read the knowledge folder /nonexistent/knowledge");
}
