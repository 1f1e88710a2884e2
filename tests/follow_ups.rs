//! Rules of follow-up questions, one short conversation each: the reply to
//! its last question must give the fact named. The conversation evaluation
//! (`tests/eval/conversations/`) measures follow-ups at large; these pin
//! the rules of the design, so a change that breaks one names it.

use factbot::conversation::Context;
use factbot::engine::Engine;
use factbot::knowledge::Knowledge;

struct Rule {
    turns: &'static [&'static str],
    /// The fact the last reply gives, or the reason it gives none.
    expected: &'static str,
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        turns: &[
            "元朗创新园微电子中心的工作间什么时候完工？",
            "那里的试产设施呢？",
            "中试线几时投入运作？",
        ],
        expected: "hkmri-pilot-lines",
        why: "a follow-up one fact holds whole, far ahead of any other, stands on its own",
    },
    Rule {
        turns: &["認證易有幾多類牌照？", "個平台幾時推出㗎？"],
        expected: "blockchain-platform-launch",
        why: "the last answer is not taken again when another fact of its subject holds every word of the follow-up",
    },
    Rule {
        turns: &["ITF批出咗幾多個項目？", "涉及幾多錢？"],
        expected: "itf-projects-approved",
        why: "the last answer is taken again when it gives what the follow-up asks",
    },
    Rule {
        turns: &["香港高校能不能把人类遗传资源带到香港？", "谁可以申请？"],
        expected: "national-human-genetic-resources",
        why: "a follow-up that says only how it asks keeps the last answer's subject",
    },
    Rule {
        turns: &["政府在建设中央电子档案系统吗？", "和哪个部门合作？"],
        expected: "electronic-records",
        why: "a subject the conversation supplies does not set aside the facts of its parts with names of their own",
    },
    Rule {
        turns: &[
            "How many Smart City Blueprint 2.0 measures are done or ongoing?",
            "when was the blueprint published?",
        ],
        expected: "smart-city-blueprint-measures",
        why: "a name that the last answer's subject holds whole (\"the blueprint\") refers back to it",
    },
    Rule {
        turns: &["How many Wi-Fi.HK hotspots are there?", "and back in 2020?"],
        expected: "period_not_covered",
        why: "a follow-up that only narrows (a year) asks again what the last question asked",
    },
    Rule {
        turns: &["創新及科技基金係幾時設立嘅?", "之後政府再注資咗幾多?"],
        expected: "itf-injections",
        why: "a follow-up that asks what came after (之後, the lexicon's `later`) does not mean the last answer",
    },
    Rule {
        turns: &["How many companies are at Cyberport?", "which ones?"],
        expected: "not_in_factsheet",
        why: "\"which ones?\" asks which of the last answer's things: when it does not list them, no other fact of its subject answers",
    },
    Rule {
        turns: &["數碼港有幾多間科技公司？", "當中有幾多間係獨角獸？"],
        expected: "cyberport-companies",
        why: "of a count, a count of a kind of those things (unicorns of companies) is a breakdown the fact gives",
    },
    Rule {
        turns: &[
            "第二屆城市創科大挑戰幾時開始?",
            "有幾多個優勝方案?",
            "邊隊攞冠軍?",
        ],
        expected: "unsure",
        why: "who won is not given: a count of winning entries speaks of winners, not of a champion",
    },
    Rule {
        turns: &["how many ppl are using iAM Smart now?", "where's that from?"],
        expected: "iam-smart-users",
        why: "\"where's that from?\" asks the last answer's source, not where a place is",
    },
];

#[test]
fn each_follow_up_rule_gives_its_fact() {
    let engine = Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let mut broken = Vec::new();
    for rule in RULES {
        let mut context: Option<Context> = None;
        let mut got = String::new();
        for question in rule.turns {
            let turn = engine.converse(question, context.as_ref(), None);
            got = match (turn.reply.facts.first(), turn.reply.reason) {
                (Some(fact), _) => fact.clone(),
                (None, Some(reason)) => serde_json::to_value(reason)
                    .expect("reasons serialise")
                    .as_str()
                    .expect("as a string")
                    .to_string(),
                (None, None) => format!("{:?}", turn.reply.intent),
            };
            context = turn.context;
        }
        if got != rule.expected {
            broken.push(format!(
                "{} ({:?}): got {got}, expected {}",
                rule.why, rule.turns, rule.expected
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
    use factbot::lang::Lang;
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
