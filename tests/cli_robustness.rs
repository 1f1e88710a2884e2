//! The CLI under the conditions a curator or operator meets: readers that
//! stop reading, programs that converse line by line, input that is not
//! text, other applications' databases, hostile text in the logs.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use factbot::lang::Lang;
use factbot::store::Store;
use rusqlite::Connection;
use support::{fixture, Run};

/// Runs a command whose reader has gone before it writes a byte.
fn with_closed_stdout(run: Run) -> (Option<i32>, String) {
    let mut cmd = run.command();
    cmd.stdin(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_command_stops_quietly_when_its_reader_goes() {
    for args in [
        vec!["knowledge", "--json"],
        vec!["check"],
        vec!["announce", "--dry-run", "--date", "2026-12-31"],
        vec!["ask", "how big is science park"],
        vec!["eval", "tests/eval/00-general.tsv"],
    ] {
        let (code, stderr) = with_closed_stdout(Run::new(&args));
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn ask_json_answers_each_line_as_it_arrives() {
    let mut child = Run::new(["ask", "--json"])
        .knowledge(&fixture("mini"))
        .command()
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    for (question, figure) in [
        ("how big is science park", "22 hectares"),
        ("when was the ITF set up", "1999"),
    ] {
        writeln!(stdin, "{question}").unwrap();
        stdin.flush().unwrap();
        // The answer comes while the input is still open.
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("an answer before the next question");
        assert!(line.contains(figure), "{line}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_line_that_is_not_text_gets_an_error_and_the_batch_goes_on() {
    let out = Run::new(["ask", "--json"])
        .knowledge(&fixture("mini"))
        .stdin_bytes(b"hi\n\xff\xfe broken\nhow big is science park\n")
        .output()
        .success();
    let lines = out.json_lines();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert_eq!(lines[0]["intent"], "greeting");
    assert!(lines[1]["error"]
        .as_str()
        .is_some_and(|e| e.contains("line 2") && e.contains("UTF-8")));
    assert!(lines[2]["reply"].as_str().unwrap().contains("22 hectares"));

    Run::new(["chat"])
        .knowledge(&fixture("mini"))
        .stdin_bytes(b"\xff\xfe\nhow big is science park\n")
        .output()
        .success()
        .stdout_has("not valid UTF-8")
        .stdout_has("22 hectares");
}

#[test]
fn eval_refuses_an_empty_set_and_thresholds_that_are_not_shares() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.tsv");
    std::fs::write(&empty, "# nothing here yet\n").unwrap();
    Run::new(["eval", empty.to_str().unwrap()])
        .knowledge(&fixture("mini"))
        .output()
        .failure()
        .stderr_has("no labelled questions");
    for bad in ["nan", "1.5", "-0.1", "ninety"] {
        let flag = format!("--min-accuracy={bad}");
        let out = Run::new(["eval", "tests/fixtures/eval/mini.tsv", &flag])
            .knowledge(&fixture("mini"))
            .output();
        assert_ne!(out.code, Some(0), "{bad} was accepted");
        assert!(
            out.stderr.contains("not a share between 0 and 1"),
            "{}",
            out.stderr
        );
    }
    let file = dir.path().join("bad-threshold.tsv");
    std::fs::write(
        &file,
        "# threshold: min-accuracy=NaN\nitf-established\ten\twhen was the ITF set up\n",
    )
    .unwrap();
    Run::new(["eval", file.to_str().unwrap()])
        .knowledge(&fixture("mini"))
        .output()
        .failure()
        .stderr_has("bad-threshold.tsv:1: threshold min-accuracy");
}

#[test]
fn eval_refuses_labels_the_knowledge_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.tsv");
    std::fs::write(
        &file,
        "itf-established\ten\twhen was the ITF set up\n\
         itf-established|itf-founded\ten\twhen did the ITF start\n\
         itf\ten\twhat is the ITF\n",
    )
    .unwrap();
    Run::new(["eval", file.to_str().unwrap()])
        .knowledge(&fixture("mini"))
        .output()
        .failure()
        .stderr_has("labels.tsv:2: \"itf-founded\" is no fact id")
        .stderr_has("labels.tsv:3: \"itf\" is no fact id")
        .stderr_has("written `topic:itf`");
}

/// The tables of a SQLite file and its journal mode.
fn shape(path: &std::path::Path) -> (Vec<String>, String) {
    let conn = Connection::open(path).unwrap();
    let tables = conn
        .prepare("SELECT name FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mode = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    (tables, mode)
}

#[test]
fn another_applications_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite3");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
        .unwrap();
    let before = shape(&other);
    Run::new(["unanswered", "--db", other.to_str().unwrap()])
        .output()
        .failure()
        .stderr_has("is not factbot's database");
    Run::new(["run", "--db", other.to_str().unwrap()])
        .env("TELOXIDE_TOKEN", support::fake_api::TOKEN)
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .output()
        .failure()
        .stderr_has("is not factbot's database");
    assert_eq!(shape(&other), before, "the file is untouched");
}

#[test]
fn read_only_commands_never_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.sqlite3");
    for args in [
        vec!["unanswered", "--db", missing.to_str().unwrap()],
        vec![
            "announce",
            "--dry-run",
            "--date",
            "2026-12-31",
            "--db",
            missing.to_str().unwrap(),
        ],
    ] {
        let out = Run::new(&args).output().failure();
        assert!(
            out.stderr
                .contains(&format!("no such database: {}", missing.display())),
            "{}",
            out.stderr
        );
    }
    assert!(!missing.exists(), "no file was created");
}

#[test]
fn a_database_error_names_the_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.sqlite3");
    std::fs::write(
        &broken,
        b"this is not a database at all, just text; ".repeat(200),
    )
    .unwrap();
    let out = Run::new(["unanswered", "--db", broken.to_str().unwrap()])
        .output()
        .failure();
    assert_eq!(
        out.stderr.matches(broken.to_str().unwrap()).count(),
        1,
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn unanswered_reads_without_writing_and_shows_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    {
        let store = Store::open(&db).unwrap();
        store
            .record_unanswered(
                "\u{1b}[31mRED\u{1b}[0m \u{202e}evil",
                Lang::En,
                "group",
                "decline",
                0.1,
            )
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let out = Run::new(["unanswered", "--db", db.to_str().unwrap()])
        .output()
        .success();
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202e}'));
    assert!(out.stdout.contains("\\u{1b}[31mRED"), "{}", out.stdout);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a read changes nothing"
    );
}

#[test]
fn sources_are_cited_in_the_askers_language_and_punctuation() {
    Run::new(["ask", "科學園有幾大"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("「推動創新及科技發展」")
        .stdout_has("https://www.gov.hk/tc/");
    Run::new(["ask", "科学园有多大"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("“推动创新及科技发展”")
        .stdout_has("https://www.gov.hk/sc/");
    Run::new(["ask", "how big is science park"])
        .knowledge(&fixture("mini"))
        .output()
        .success()
        .stdout_has("https://www.gov.hk/en/");
}
