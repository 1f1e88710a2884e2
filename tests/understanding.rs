//! Rules of question understanding, as data (`tests/understanding/rules.tsv`):
//! each line is a question and the reply it must get, answered by the fact
//! named (or the facts joined by `+`, in order), or not answered for the
//! reason named.

use factbot::engine::Engine;
use factbot::knowledge::Knowledge;
use factbot::lang::Lang;

struct Rule {
    line: usize,
    expected: String,
    lang: Lang,
    question: String,
    why: String,
}

fn rules() -> Vec<Rule> {
    let text = include_str!("understanding/rules.tsv");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            assert_eq!(fields.len(), 4, "rules.tsv:{}: four columns", i + 1);
            Rule {
                line: i + 1,
                expected: fields[0].to_string(),
                lang: fields[1].parse().expect("a language code"),
                question: fields[2].to_string(),
                why: fields[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn each_rule_gives_its_reply() {
    let engine = Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let mut broken = Vec::new();
    for rule in rules() {
        let reply = engine.ask(&rule.question);
        let got = match (reply.facts.is_empty(), reply.reason) {
            (false, _) => reply.facts.join("+"),
            (true, Some(reason)) => serde_json::to_value(reason)
                .expect("reasons serialise")
                .as_str()
                .expect("as a string")
                .to_string(),
            (true, None) => format!("{:?}", reply.outcome),
        };
        if got != rule.expected || reply.lang != rule.lang {
            broken.push(format!(
                "rules.tsv:{} ({}): {:?} got {got} in {}, expected {} in {}",
                rule.line, rule.why, rule.question, reply.lang, rule.expected, rule.lang
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Every hash map has its own random seed, so two engines iterate their maps
/// in different orders: the replies must not depend on it.
#[test]
fn replies_do_not_depend_on_hash_order() {
    let load = || Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let (a, b) = (load(), load());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval");
    let mut differ = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/eval") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "tsv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable set");
        let cases = factbot::eval::parse(
            &path.display().to_string(),
            &text,
            &mut factbot::eval::Thresholds::default(),
        )
        .expect("a valid set");
        for case in cases {
            let (x, y) = (a.ask(&case.question), b.ask(&case.question));
            if x.body != y.body || x.confidence != y.confidence {
                differ.push(case.place);
            }
        }
    }
    assert!(
        differ.is_empty(),
        "replies differ between engines: {differ:?}"
    );
}
