//! Rules of follow-up questions, one short conversation each: the reply to
//! its last question must give the fact named. The conversation evaluation
//! (`tests/eval/conversations/`) measures follow-ups at large; these pin
//! the rules of the design, so a change that breaks one names it.

use factbot::conversation::Context;
use factbot::engine::Engine;
use factbot::knowledge::Knowledge;

struct Rule {
    turns: &'static [&'static str],
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
];

#[test]
fn each_follow_up_rule_gives_its_fact() {
    let engine = Engine::new(Knowledge::load_from(None).expect("built-in knowledge"));
    let mut broken = Vec::new();
    for rule in RULES {
        let mut context: Option<Context> = None;
        let mut facts = Vec::new();
        for question in rule.turns {
            let turn = engine.converse(question, context.as_ref(), None);
            facts = turn.reply.facts;
            context = turn.context;
        }
        if facts.first().map(String::as_str) != Some(rule.expected) {
            broken.push(format!(
                "{} ({:?}): got {facts:?}, expected {}",
                rule.why, rule.turns, rule.expected
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
