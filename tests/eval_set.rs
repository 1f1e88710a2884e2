//! The hand-labelled evaluation set is sound: its labels name real entries,
//! it is large and varied enough to judge the bot, and it does not repeat
//! the examples the matcher is trained on.

use std::collections::{BTreeMap, HashSet};

use factbot::eval::{self, Case, Expected, Thresholds};
use factbot::knowledge::Knowledge;
use factbot::lang::Lang;
use factbot::normalize::normalize;

fn cases() -> Vec<Case> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut all = Vec::new();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        all.extend(
            eval::parse(
                &path.display().to_string(),
                &text,
                &mut Thresholds::default(),
            )
            .unwrap(),
        );
    }
    all
}

fn knowledge() -> Knowledge {
    Knowledge::load_from(None).expect("built-in knowledge is valid")
}

#[test]
fn every_label_names_an_existing_entry() {
    let unknown = eval::unknown_labels(&cases(), &knowledge());
    assert!(
        unknown.is_empty(),
        "{}",
        unknown
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_set_is_large_and_covers_every_language_and_topic() {
    let k = knowledge();
    let cases = cases();
    assert!(
        cases.len() >= 400,
        "{} questions; the set needs at least 400",
        cases.len()
    );
    let mut per_lang: BTreeMap<Lang, usize> = BTreeMap::new();
    for case in &cases {
        *per_lang.entry(case.lang).or_default() += 1;
    }
    for lang in Lang::ALL {
        let n = per_lang.get(&lang).copied().unwrap_or(0);
        assert!(
            n >= 100,
            "{n} questions in {lang}; each language needs at least 100"
        );
    }
    let declines = cases
        .iter()
        .filter(|c| c.expected == Expected::Decline)
        .count();
    assert!(
        declines >= 80,
        "{declines} must-decline questions; at least 80 are needed"
    );
    let mut covered: HashSet<String> = HashSet::new();
    for case in &cases {
        if let Expected::Answer(keys) = &case.expected {
            for key in keys {
                match key.strip_prefix("topic:") {
                    Some(topic) => covered.insert(topic.to_string()),
                    None => k
                        .fact(key)
                        .map(|f| covered.insert(f.topic.clone()))
                        .unwrap_or(false),
                };
            }
        }
    }
    let missing: Vec<&str> = k
        .topics
        .iter()
        .map(|t| t.id.as_str())
        .filter(|t| !covered.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "topics without evaluation questions: {missing:?}"
    );
}

#[test]
fn no_question_repeats_a_knowledge_example() {
    let k = knowledge();
    let examples: HashSet<String> = k
        .facts
        .iter()
        .flat_map(|f| f.examples.iter())
        .chain(k.topics.iter().flat_map(|t| t.examples.iter()))
        .map(|e| normalize(e).text)
        .collect();
    let repeats: Vec<String> = cases()
        .into_iter()
        .filter(|c| examples.contains(&normalize(&c.question).text))
        .map(|c| format!("{}: {}", c.place, c.question))
        .collect();
    assert!(
        repeats.is_empty(),
        "evaluation questions equal to knowledge examples:\n{}",
        repeats.join("\n")
    );
}
