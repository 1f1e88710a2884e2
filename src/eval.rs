//! Labelled evaluation sets: questions with the answer they must get (or
//! `decline`), scored the way the product is judged: accuracy per language,
//! decline precision and recall, and the share of wrong answers.
//!
//! File format (TSV, `#` starts a comment):
//! `expected<TAB>lang<TAB>question[<TAB>tag]`, where `expected` is a fact id,
//! `topic:<id>`, `intent:<id>`, several of those joined by `|`, or `decline`,
//! and the optional tag names the question's category (`plain`, `typo`,
//! `paraphrase`, `decline-near` …), scored apart. A comment line
//! `# threshold: min-accuracy=0.95 min-decline-recall=0.95 max-wrong=0.01`
//! sets the file's thresholds.

use std::collections::BTreeMap;

use crate::answer::{Outcome, Reply, Target};
use crate::conversation::Context;
use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::lang::Lang;

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub place: String,
    pub expected: Expected,
    pub lang: Lang,
    pub question: String,
    /// The question's category, when the file gives one.
    pub tag: Option<String>,
    /// Which block of the file it is in (blocks are separated by blank
    /// lines): in a conversation file, the conversation it belongs to.
    pub block: usize,
}

/// A conversation turn with this tag is asked with no context, as after
/// the conversation expired or in a group without replying to the bot.
pub const NO_CONTEXT: &str = "no-context";
/// A follow-up about the last answer itself ("in English" is answered in
/// English whatever language it is typed in).
pub const META: &str = "meta";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Decline,
    /// Any of these answer keys: `fact-id`, `topic:<id>`, `intent:<id>`,
    /// or facts that must all be given, in order: `fact-a+fact-b`.
    Answer(Vec<String>),
}

/// Whether a reply's key gives an expected one. One fact expected is given
/// by a reply that opens with it (asked of each, the others follow); facts
/// joined by `+` only by a reply that gives them all.
fn gives(expected: &str, got: &str) -> bool {
    expected == got || (!expected.contains('+') && got.split('+').next() == Some(expected))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub min_accuracy: f64,
    pub min_decline_recall: f64,
    pub max_wrong: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_accuracy: 0.0,
            min_decline_recall: 0.0,
            max_wrong: 1.0,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{place}: {message}")]
pub struct EvalFileError {
    pub place: String,
    pub message: String,
}

/// A share between 0 and 1, as thresholds are written.
pub fn share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "{text:?} is not a share between 0 and 1 (0.95 means 95%)"
        )),
    }
}

/// Parses one evaluation file; `name` is used in messages.
pub fn parse(
    name: &str,
    text: &str,
    thresholds: &mut Thresholds,
) -> Result<Vec<Case>, EvalFileError> {
    let mut cases = Vec::new();
    let mut block = 0;
    for (i, line) in text.lines().enumerate() {
        let place = format!("{name}:{}", i + 1);
        let err = |message: String| EvalFileError {
            place: place.clone(),
            message,
        };
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            if let Some(settings) = comment.trim().strip_prefix("threshold:") {
                for setting in settings.split_whitespace() {
                    let (key, value) = setting
                        .split_once('=')
                        .ok_or_else(|| err(format!("threshold {setting:?} is not key=value")))?;
                    let value =
                        share(value).map_err(|why| err(format!("threshold {key}: {why}")))?;
                    match key {
                        "min-accuracy" => thresholds.min_accuracy = value,
                        "min-decline-recall" => thresholds.min_decline_recall = value,
                        "max-wrong" => thresholds.max_wrong = value,
                        _ => return Err(err(format!("unknown threshold {key:?}"))),
                    }
                }
            }
            continue;
        }
        if trimmed.is_empty() {
            block += 1;
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(expected), Some(lang), Some(question), tag, None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(err(
                "expected three or four tab-separated columns: expected, lang, question[, tag]"
                    .into(),
            ));
        };
        let lang: Lang = lang.trim().parse().map_err(|e| err(format!("{e}")))?;
        let expected = match expected.trim() {
            "decline" => Expected::Decline,
            keys => Expected::Answer(keys.split('|').map(|k| k.trim().to_string()).collect()),
        };
        cases.push(Case {
            place,
            expected,
            lang,
            question: question.trim().to_string(),
            tag: tag
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            block,
        });
    }
    Ok(cases)
}

/// The cases whose expected answers name no fact, topic or intent of the
/// knowledge: such a label could never be met, and would count a right
/// answer as wrong.
pub fn unknown_labels(cases: &[Case], knowledge: &Knowledge) -> Vec<EvalFileError> {
    let known = |key: &str| {
        if let Some(id) = key.strip_prefix("topic:") {
            knowledge.topic(id).is_some()
        } else if let Some(id) = key.strip_prefix("intent:") {
            knowledge.intent(id).is_some()
        } else {
            knowledge.fact(key).is_some()
        }
    };
    cases
        .iter()
        .filter_map(|case| {
            let Expected::Answer(keys) = &case.expected else {
                return None;
            };
            let unknown = keys
                .iter()
                .flat_map(|k| k.split('+'))
                .find(|key| !known(key))?;
            let hint = if knowledge.topic(unknown).is_some() {
                format!(" (a topic's overview is written `topic:{unknown}`)")
            } else {
                String::new()
            };
            Some(EvalFileError {
                place: case.place.clone(),
                message: format!(
                    "{unknown:?} is no fact id, `topic:<id>` or `intent:<id>` of the knowledge{hint}: \
                     correct the label or the knowledge"
                ),
            })
        })
        .collect()
}

/// The key a reply answers with, comparable to `Expected::Answer`: the
/// facts it gives, joined by `+` when there are several.
pub fn answer_key(reply: &Reply) -> Option<String> {
    match reply.outcome {
        Outcome::Fact if reply.facts.is_empty() => None,
        Outcome::Fact => Some(reply.facts.join("+")),
        Outcome::Topic => reply.intent.clone(),
        Outcome::Intent => reply.intent.as_ref().map(|i| format!("intent:{i}")),
        Outcome::NotSure | Outcome::Decline => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub case: Case,
    pub got: Option<String>,
    pub got_lang: Lang,
    pub confidence: f32,
    /// Top candidates: (fact id, score).
    pub candidates: Vec<(String, f32)>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct LangScore {
    pub answerable: usize,
    pub correct: usize,
}

/// How one category of questions fared: answered right, or declined when it had to be.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TagScore {
    pub total: usize,
    pub right: usize,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub total: usize,
    pub by_lang: BTreeMap<Lang, LangScore>,
    /// Per category, for cases that carry a tag.
    pub by_tag: BTreeMap<String, TagScore>,
    pub must_decline: usize,
    pub declined_correctly: usize,
    pub declined_total: usize,
    /// Answers with an entry that was not expected (including must-decline questions answered).
    pub wrong: Vec<Miss>,
    /// Answerable questions declined or only given suggestions, or answered in another language.
    pub missed: Vec<Miss>,
    /// Of the missed, those whose first suggestion is the answer: the asker
    /// is one tap from it.
    pub offered: usize,
}

impl Report {
    pub fn accuracy(&self, lang: Lang) -> f64 {
        self.by_lang
            .get(&lang)
            .filter(|s| s.answerable > 0)
            .map_or(1.0, |s| s.correct as f64 / s.answerable as f64)
    }

    pub fn decline_recall(&self) -> f64 {
        ratio(self.declined_correctly, self.must_decline)
    }

    pub fn decline_precision(&self) -> f64 {
        ratio(self.declined_correctly, self.declined_total)
    }

    pub fn wrong_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.wrong.len() as f64 / self.total as f64
        }
    }

    /// The thresholds this report fails, as sentences.
    pub fn failures(&self, t: &Thresholds) -> Vec<String> {
        let mut out = Vec::new();
        for lang in Lang::ALL {
            let a = self.accuracy(lang);
            if a < t.min_accuracy {
                out.push(format!(
                    "{lang} accuracy {:.1}% is below {:.1}%",
                    a * 100.0,
                    t.min_accuracy * 100.0
                ));
            }
        }
        if self.decline_recall() < t.min_decline_recall {
            out.push(format!(
                "decline recall {:.1}% is below {:.1}%",
                self.decline_recall() * 100.0,
                t.min_decline_recall * 100.0
            ));
        }
        if self.wrong_rate() > t.max_wrong {
            out.push(format!(
                "wrong answers {:.1}% exceed {:.1}%",
                self.wrong_rate() * 100.0,
                t.max_wrong * 100.0
            ));
        }
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores questions one by one, or as conversations (`conversations`):
/// each case then follows up on the cases before it in its block.
pub fn run(engine: &Engine, cases: &[Case], conversations: bool) -> Report {
    let mut report = Report {
        total: cases.len(),
        ..Report::default()
    };
    let mut context: Option<(usize, Context)> = None;
    for case in cases {
        let kept = context
            .take()
            .filter(|(block, _)| conversations && *block == case.block)
            .filter(|_| case.tag.as_deref() != Some(NO_CONTEXT))
            .map(|(_, c)| c);
        let turn = engine.converse(&case.question, kept.as_ref(), None);
        context = turn.context.map(|c| (case.block, c));
        let asked = turn.resolved.as_deref().unwrap_or(&case.question);
        let reply = &turn.reply;
        let any_lang = case.tag.as_deref() == Some(META);
        let got = answer_key(reply);
        let miss = || Miss {
            case: case.clone(),
            got: got.clone(),
            got_lang: reply.lang,
            confidence: reply.confidence,
            candidates: engine
                .explain(asked, None)
                .ranking
                .candidates
                .iter()
                .take(3)
                .map(|c| (engine.knowledge().facts[c.fact].id.clone(), c.score))
                .collect(),
        };
        if !reply.answered() {
            report.declined_total += 1;
        }
        let right = match &case.expected {
            Expected::Decline => {
                report.must_decline += 1;
                if reply.answered() {
                    report.wrong.push(miss());
                    false
                } else {
                    report.declined_correctly += 1;
                    true
                }
            }
            Expected::Answer(keys) => {
                let score = report.by_lang.entry(case.lang).or_default();
                score.answerable += 1;
                match &got {
                    Some(key)
                        if keys.iter().any(|k| gives(k, key))
                            && (reply.lang == case.lang || any_lang) =>
                    {
                        score.correct += 1;
                        true
                    }
                    Some(key) if keys.iter().any(|k| gives(k, key)) => {
                        report.missed.push(miss());
                        false
                    }
                    Some(_) => {
                        report.wrong.push(miss());
                        false
                    }
                    None => {
                        let first = reply.suggestions.first().map(|s| match &s.target {
                            Target::Fact(id) => id.clone(),
                            Target::Topic(id) => format!("topic:{id}"),
                        });
                        if first.is_some_and(|f| keys.contains(&f)) {
                            report.offered += 1;
                        }
                        report.missed.push(miss());
                        false
                    }
                }
            }
        };
        if let Some(tag) = &case.tag {
            let score = report.by_tag.entry(tag.clone()).or_default();
            score.total += 1;
            score.right += usize::from(right);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cases_and_thresholds() {
        let mut t = Thresholds::default();
        let text = "# threshold: min-accuracy=0.9 max-wrong=0.02\nitf-a|topic:itf\ten\tITF?\n\ndecline\tzh-Hant\t天氣點呀\n";
        let cases = parse("x.tsv", text, &mut t).unwrap();
        assert_eq!(t.min_accuracy, 0.9);
        assert_eq!(t.max_wrong, 0.02);
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].expected,
            Expected::Answer(vec!["itf-a".into(), "topic:itf".into()])
        );
        assert_eq!(cases[1].expected, Expected::Decline);
        assert_eq!(cases[1].place, "x.tsv:4");
    }

    #[test]
    fn facts_joined_by_plus_must_all_be_given() {
        assert!(gives("a", "a"));
        assert!(
            gives("a", "a+b"),
            "one fact expected: a reply opening with it"
        );
        assert!(!gives("b", "a+b"));
        assert!(gives("a+b", "a+b"));
        assert!(!gives("a+b", "a"), "both expected, one given");
        assert!(!gives("a+b", "a+b+c"));
    }

    #[test]
    fn names_the_line_of_a_bad_case() {
        let err = parse("x.tsv", "itf\ten\n", &mut Thresholds::default()).unwrap_err();
        assert_eq!(err.place, "x.tsv:1");
        let err = parse("x.tsv", "itf\tfr\tq\n", &mut Thresholds::default()).unwrap_err();
        assert!(err.message.contains("unknown language"));
    }
}
