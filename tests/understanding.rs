//! Rules of question understanding, as data: each line of
//! `tests/understanding/rules.tsv` is a question and the reply it must get,
//! answered by the fact named (or the facts joined by `+`, in order), or not
//! answered for the reason named; each block of
//! `tests/understanding/follow_ups.tsv` is a short conversation whose last
//! reply must give the fact (or reason) named.

use factbot::answer::Reply;
use factbot::conversation::Context;
use factbot::engine::Engine;
use factbot::eval::answer_key;
use factbot::knowledge::Knowledge;
use factbot::lang::Lang;

/// What a reply gives, as the rule files write it: its answer key (facts
/// joined by `+`, `topic:<id>`), or the reason it gives none.
fn outcome(reply: &Reply) -> String {
    if let Some(key) = answer_key(reply) {
        return key;
    }
    match reply.reason {
        Some(reason) => serde_json::to_value(reason)
            .expect("reasons serialise")
            .as_str()
            .expect("as a string")
            .to_string(),
        None => format!("{:?}", reply.outcome),
    }
}

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
        let got = outcome(&reply);
        if got != rule.expected || reply.lang != rule.lang {
            broken.push(format!(
                "rules.tsv:{} ({}): {:?} got {got} in {}, expected {} in {}",
                rule.line, rule.why, rule.question, reply.lang, rule.expected, rule.lang
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

struct FollowUp {
    line: usize,
    turns: Vec<String>,
    expected: String,
    why: String,
}

fn follow_ups() -> Vec<FollowUp> {
    let text = include_str!("understanding/follow_ups.tsv");
    let mut rules = Vec::new();
    let mut turns = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.starts_with('#') || l.trim().is_empty() {
            assert!(
                turns.is_empty(),
                "follow_ups.tsv:{i}: a block ends with its rule"
            );
            continue;
        }
        let fields: Vec<&str> = l.split('\t').collect();
        turns.push(fields[0].to_string());
        match fields.as_slice() {
            [_] => {}
            [_, expected, why] => rules.push(FollowUp {
                line: i + 1,
                turns: std::mem::take(&mut turns),
                expected: expected.to_string(),
                why: why.to_string(),
            }),
            _ => panic!(
                "follow_ups.tsv:{}: a turn, or a last turn with its reply and rule",
                i + 1
            ),
        }
    }
    assert!(
        turns.is_empty(),
        "follow_ups.tsv: the last block ends with its rule"
    );
    rules
}

#[test]
fn each_follow_up_rule_gives_its_reply() {
    let engine = Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let mut broken = Vec::new();
    for rule in follow_ups() {
        let mut context: Option<Context> = None;
        let mut got = String::new();
        for question in &rule.turns {
            let turn = engine.converse(question, context.as_ref(), None);
            got = outcome(&turn.reply);
            context = turn.context;
        }
        if got != rule.expected {
            broken.push(format!(
                "follow_ups.tsv:{} ({}): {:?} got {got}, expected {}",
                rule.line, rule.why, rule.turns, rule.expected
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A meta follow-up in the words of a request ("can you say it again in
/// English?") acts on the last answer; a question that only contains a
/// meta phrase ("英文名係咩?") is a question.
#[test]
fn meta_follow_ups_in_the_words_of_a_request() {
    let engine = Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let first = engine.converse("创新科技及工业局是哪年成立的？", None, None);
    let last = first.reply.facts.clone();
    assert!(!last.is_empty(), "the opening question is answered");
    for (request, lang) in [
        ("能用英文说吗？", Lang::En),
        ("可唔可以用英文講多次?", Lang::En),
        ("用繁体再说一遍", Lang::ZhHant),
        (
            "can you say it again in simplified chinese please",
            Lang::ZhHans,
        ),
    ] {
        let turn = engine.converse(request, first.context.as_ref(), None);
        assert_eq!(
            (turn.reply.facts.clone(), turn.reply.lang),
            (last.clone(), lang),
            "{request:?} repeats the last answer in {lang}"
        );
    }
    let question = engine.converse("英文名係咩？", first.context.as_ref(), None);
    assert_ne!(
        question.reply.lang,
        Lang::En,
        "a question about the English name is not a request for English"
    );
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
