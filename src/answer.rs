//! Composes replies: the figure in the asker's language, its "as of" date
//! and its source; or an honest "not sure" with the closest topics.
//! Replies are plain data; each front end renders them (plain text for the
//! CLI, escaped HTML for Telegram).

use serde::Serialize;

use crate::knowledge::{Apart, DateSpec, Fact, Knowledge, Topic};
use crate::lang::Lang;

/// What kind of reply the engine gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A sourced fact.
    Fact,
    /// A topic overview.
    Topic,
    /// A conversational intent's reply (greeting, help, thanks, about).
    Intent,
    /// Not confident enough: suggestions only.
    NotSure,
    /// Plainly outside the knowledge.
    Decline,
}

/// Why a question was not answered, for curators and tooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Nothing in the factsheet is about this.
    OutOfScope,
    /// The factsheet speaks of the subject but does not give what is asked.
    NotInFactsheet,
    /// The factsheet gives the figure for another period than the one asked.
    PeriodNotCovered,
    /// Several facts could be meant, or none clearly: suggestions follow.
    Unsure,
}

/// What a suggestion opens when chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Target {
    Fact(String),
    Topic(String),
}

impl Target {
    /// A compact, stable key: `f:<id>` or `t:<id>` (fits Telegram's 64-byte callback data).
    pub fn key(&self) -> String {
        match self {
            Target::Fact(id) => format!("f:{id}"),
            Target::Topic(id) => format!("t:{id}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Target> {
        let (kind, id) = key.split_once(':')?;
        if id.is_empty() || id.len() > 60 {
            return None;
        }
        match kind {
            "f" => Some(Target::Fact(id.to_string())),
            "t" => Some(Target::Topic(id.to_string())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub target: Target,
    pub title: String,
}

impl Suggestion {
    /// A fact offered by its title.
    pub fn fact(fact: &Fact, lang: Lang) -> Suggestion {
        Suggestion {
            target: Target::Fact(fact.id.clone()),
            title: fact.title.get(lang).to_string(),
        }
    }

    /// A topic offered by its name.
    pub fn topic(topic: &Topic, lang: Lang) -> Suggestion {
        Suggestion {
            target: Target::Topic(topic.id.clone()),
            title: topic.name.get(lang).to_string(),
        }
    }
}

/// A source citation under an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    /// "Hong Kong: The Facts — …, 2025 edition, section “Talent”".
    pub citation: String,
    /// "as of May 2025", when the figures carry a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A reply, in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub outcome: Outcome,
    pub lang: Lang,
    pub confidence: f32,
    /// `fact`, `topic:<id>`, or an intent id; `None` when declining.
    pub intent: Option<String>,
    /// Why it is not an answer; `None` for answers.
    pub reason: Option<Reason>,
    /// The facts answered with, by id.
    pub facts: Vec<String>,
    /// The answer itself, plain text.
    pub body: String,
    pub sources: Vec<SourceLine>,
    pub suggestions: Vec<Suggestion>,
}

/// Telegram's limit on one message; every reply stays under it.
pub const MAX_REPLY_CHARS: usize = 4096;

impl Reply {
    /// True when the reply gives a factual answer or an intent's reply.
    pub fn answered(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Fact | Outcome::Topic | Outcome::Intent
        )
    }

    /// The reply as a person reads it in a terminal.
    pub fn to_plain(&self) -> String {
        let mut out = self.body.clone();
        for source in &self.sources {
            out.push_str("\n\n");
            out.push_str(&source_sentence(source, self.lang));
        }
        // A topic's overview lists its facts in its body already; in a
        // chat they are buttons besides.
        let unlisted: Vec<&Suggestion> = self
            .suggestions
            .iter()
            .filter(|s| !self.body.contains(&format!("• {}", s.title)))
            .collect();
        if !unlisted.is_empty() {
            out.push('\n');
            for s in unlisted {
                out.push_str("\n• ");
                out.push_str(&s.title);
            }
        }
        out
    }
}

/// "Source: …; figures as of May 2025. https://…" in the reply's language.
pub fn source_sentence(source: &SourceLine, lang: Lang) -> String {
    let mut s = match lang {
        Lang::En => format!("Source: {}", source.citation),
        Lang::ZhHans => format!("资料来源：{}", source.citation),
        Lang::ZhHant => format!("資料來源：{}", source.citation),
    };
    if let Some(as_of) = &source.as_of {
        s.push_str(&match lang {
            Lang::En => format!("; figures as of {as_of}"),
            Lang::ZhHans => format!("；数据截至{as_of}"),
            Lang::ZhHant => format!("；數據截至{as_of}"),
        });
    }
    if let Some(url) = &source.url {
        s.push(' ');
        s.push_str(url);
    }
    s
}

/// The citation of a fact: document, edition, section, and the latest "as of" date.
pub fn source_line(k: &Knowledge, fact: &Fact, lang: Lang) -> SourceLine {
    let source = k
        .source(&fact.source)
        .expect("checked knowledge: sources resolve");
    let section = source
        .section(&fact.section)
        .map(|s| s.title.get(lang).to_string())
        .unwrap_or_default();
    let (open, close) = match lang {
        // Hong Kong writes quotations in corner brackets.
        Lang::ZhHant => ("「", "」"),
        _ => ("“", "”"),
    };
    let citation = match lang {
        Lang::En => format!(
            "{}, {} edition ({}), section {open}{section}{close}",
            source.title.en, source.edition, source.publisher.en
        ),
        _ => format!(
            "《{}》{}年版（{}），{open}{section}{close}部分",
            source.title.get(lang),
            source.edition,
            source.publisher.get(lang)
        ),
    };
    let as_of = fact
        .figures
        .iter()
        .filter_map(|f| f.as_of)
        .max()
        .map(|d| d.describe(lang));
    SourceLine {
        citation,
        as_of,
        url: source.url.as_ref().map(|u| u.get(lang).to_string()),
    }
}

/// A sourced answer with one fact.
pub fn fact_reply(k: &Knowledge, fact: &Fact, lang: Lang, confidence: f32) -> Reply {
    Reply {
        outcome: Outcome::Fact,
        lang,
        confidence,
        intent: Some("fact".to_string()),
        reason: None,
        facts: vec![fact.id.clone()],
        body: fact.text.get(lang).to_string(),
        sources: vec![source_line(k, fact, lang)],
        suggestions: Vec::new(),
    }
}

/// An answer from several facts, each asked for ("the two schemes were
/// launched in which years?"): their texts in turn, and each source once.
pub fn facts_reply(k: &Knowledge, facts: &[&Fact], lang: Lang, confidence: f32) -> Reply {
    let mut sources: Vec<SourceLine> = Vec::new();
    for fact in facts {
        let line = source_line(k, fact, lang);
        if !sources.contains(&line) {
            sources.push(line);
        }
    }
    Reply {
        facts: facts.iter().map(|f| f.id.clone()).collect(),
        body: facts
            .iter()
            .map(|f| f.text.get(lang))
            .collect::<Vec<_>>()
            .join("\n\n"),
        sources,
        ..fact_reply(k, facts[0], lang, confidence)
    }
}

/// Facts set side by side by the dates of their milestones, earliest
/// first ("First: … (April 2019); then … (December 2020)."), when each has
/// one and no two overlap: "2020" and "December 2020" cannot be ordered.
pub fn in_date_order(facts: &[&Fact], lang: Lang) -> Option<String> {
    let mut dated: Vec<(&Fact, &DateSpec)> = facts
        .iter()
        .map(|f| f.milestone.as_ref().map(|m| (*f, &m.date)))
        .collect::<Option<_>>()?;
    dated.sort_by_key(|(_, d)| d.start());
    if dated.windows(2).any(|w| w[0].1.end() >= w[1].1.start()) {
        return None;
    }
    let each: Vec<String> = dated
        .iter()
        .map(|(f, d)| match lang {
            Lang::En => format!("{} ({})", f.title.get(lang), d.describe(lang)),
            _ => format!("{}（{}）", f.title.get(lang), d.describe(lang)),
        })
        .collect();
    Some(match lang {
        Lang::En => format!("First: {}.", each.join("; then ")),
        Lang::ZhHans => format!("先后次序：{}。", each.join("，然后是")),
        Lang::ZhHant => format!("先後次序：{}。", each.join("，然後是")),
    })
}

/// How long apart two facts' dates are ("8 years and 3 months apart"),
/// worked out from the dates the knowledge gives, not stated by the
/// factsheet: in months where both give a month, else about so many years.
pub fn time_apart(facts: &[&Fact], lang: Lang) -> Option<String> {
    let [a, b] = facts else {
        return None;
    };
    let (a, b) = (&a.milestone.as_ref()?.date, &b.milestone.as_ref()?.date);
    let (earlier, later) = if a.start() <= b.start() {
        (a, b)
    } else {
        (b, a)
    };
    Some(match (earlier.until(later)?, lang) {
        (Apart::Months(n), Lang::En) => {
            let unit = |n: u32, one: &str| match n {
                1 => format!("1 {one}"),
                n => format!("{n} {one}s"),
            };
            let parts: Vec<String> = [(n / 12, "year"), (n % 12, "month")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, one)| unit(n, one))
                .collect();
            format!("That is {} apart.", parts.join(" and "))
        }
        (Apart::AboutYears(n), Lang::En) => {
            format!(
                "That is about {n} year{} apart.",
                if n == 1 { "" } else { "s" }
            )
        }
        (apart, _) => {
            let (two, about, month) = match lang {
                Lang::ZhHant => ("兩者", "約", "個月"),
                _ => ("两者", "约", "个月"),
            };
            match apart {
                Apart::AboutYears(n) => format!("{two}相隔{about}{n}年。"),
                Apart::Months(n) => {
                    let years = match n / 12 {
                        0 => String::new(),
                        y => format!("{y}年"),
                    };
                    let months = match n % 12 {
                        0 => String::new(),
                        m => format!("{m}{month}"),
                    };
                    format!("{two}相隔{years}{months}。")
                }
            }
        }
    })
}

/// A topic overview: its summary, and its facts as suggestions to open.
pub fn topic_reply(k: &Knowledge, topic: &Topic, lang: Lang, confidence: f32) -> Reply {
    let facts: Vec<&Fact> = k.facts_of(&topic.id).collect();
    let mut body = format!("{}\n\n{}", topic.name.get(lang), topic.summary.get(lang));
    // The bodies and schemes within it, as the knowledge's `within` says.
    let parts: Vec<&Topic> = k
        .topics
        .iter()
        .filter(|t| t.within.contains(&topic.id))
        .collect();
    if !parts.is_empty() {
        body.push_str(match lang {
            Lang::En => "\n\nUnder it:",
            Lang::ZhHans => "\n\n其辖下：",
            Lang::ZhHant => "\n\n其轄下：",
        });
        for part in &parts {
            body.push_str("\n• ");
            body.push_str(part.name.get(lang));
        }
    }
    let more = match lang {
        Lang::En => "Ask me about:",
        Lang::ZhHans => "可以问我：",
        Lang::ZhHant => "可以問我：",
    };
    body.push_str(&format!("\n\n{more}"));
    for fact in &facts {
        body.push_str("\n• ");
        body.push_str(fact.title.get(lang));
    }
    let mut sources: Vec<SourceLine> = Vec::new();
    if let Some(first) = facts.first() {
        let mut line = source_line(k, first, lang);
        line.as_of = None;
        sources.push(line);
    }
    Reply {
        outcome: Outcome::Topic,
        lang,
        confidence,
        intent: Some(format!("topic:{}", topic.id)),
        reason: None,
        facts: Vec::new(),
        body,
        sources,
        suggestions: facts
            .iter()
            .map(|f| Suggestion::fact(f, lang))
            .chain(parts.iter().map(|t| Suggestion::topic(t, lang)))
            .collect(),
    }
}

/// A conversational intent's reply.
pub fn intent_reply(k: &Knowledge, id: &str, lang: Lang, confidence: f32) -> Option<Reply> {
    let intent = k.intent(id)?;
    Some(Reply {
        outcome: Outcome::Intent,
        lang,
        confidence,
        intent: Some(intent.id.clone()),
        reason: None,
        facts: Vec::new(),
        body: intent.reply.get(lang).to_string(),
        sources: Vec::new(),
        suggestions: Vec::new(),
    })
}

/// "I'm not sure" with the closest topics, or a polite decline that says what
/// the bot does know about when nothing is close.
pub fn unsure_reply(lang: Lang, confidence: f32, suggestions: Vec<Suggestion>) -> Reply {
    let (outcome, body) = if suggestions.is_empty() {
        (
            Outcome::Decline,
            match lang {
                Lang::En => "Sorry, I can't answer that. I only know the figures in the Hong Kong Government's factsheet on innovation, technology and industry (2025 edition): funding schemes, Science Park, Cyberport, InnoHK, talent schemes, new industrialisation, smart city and digital government. Try /topics.",
                Lang::ZhHans => "抱歉，这个问题我答不了。我只掌握香港特区政府《香港便览：创新、科技及工业》（2025年版）中的数据：资助计划、科学园、数码港、InnoHK、人才计划、新型工业化、智慧城市和数字政府等。可输入 /topics 查看。",
                Lang::ZhHant => "抱歉，這個問題我答不到。我只掌握香港特區政府《香港便覽：創新、科技及工業》（2025年版）中的數據：資助計劃、科學園、數碼港、InnoHK、人才計劃、新型工業化、智慧城市和數字政府等。可輸入 /topics 查看。",
            },
        )
    } else {
        (
            Outcome::NotSure,
            match lang {
                Lang::En => "I'm not sure I understood. Did you mean one of these?",
                Lang::ZhHans => "我不太确定你想问什么。你是想问以下哪一项？",
                Lang::ZhHant => "我唔太肯定你想問乜嘢。你係咪想問以下其中一項？",
            },
        )
    };
    Reply {
        outcome,
        lang,
        confidence,
        intent: None,
        reason: Some(if outcome == Outcome::Decline {
            Reason::OutOfScope
        } else {
            Reason::Unsure
        }),
        facts: Vec::new(),
        body: body.to_string(),
        sources: Vec::new(),
        suggestions,
    }
}

/// "The factsheet doesn't give that": the subject is known, what is asked
/// of it is not; its facts are offered instead.
pub fn not_in_factsheet_reply(k: &Knowledge, topic: &Topic, asked: &str, lang: Lang) -> Reply {
    let name = topic.name.get(lang);
    let about = match lang {
        Lang::En => " About it, the factsheet has:".to_string(),
        Lang::ZhHans => format!("关于{name}，便览载有："),
        Lang::ZhHant => format!("關於{name}，便覽載有："),
    };
    let body = lacks_sentence(topic, asked, lang) + &about;
    Reply {
        outcome: Outcome::Decline,
        lang,
        confidence: 0.0,
        intent: None,
        reason: Some(Reason::NotInFactsheet),
        facts: Vec::new(),
        body,
        sources: Vec::new(),
        suggestions: k
            .facts_of(&topic.id)
            .map(|f| Suggestion::fact(f, lang))
            .collect(),
    }
}

/// "The factsheet doesn't give that date for Cyberport."
fn lacks_sentence(topic: &Topic, asked: &str, lang: Lang) -> String {
    let name = topic.name.get(lang);
    match lang {
        Lang::En => format!("The factsheet doesn't give {asked} for {name}."),
        Lang::ZhHans => format!("《香港便览》没有提供{name}的{asked}。"),
        Lang::ZhHant => format!("《香港便覽》冇提供{name}嘅{asked}。"),
    }
}

/// One of two asks answered, the other not held by the factsheet: the
/// fact, and a sentence saying so of the other, in the order asked.
pub fn fact_and_lack_reply(
    k: &Knowledge,
    fact: &Fact,
    topic: &Topic,
    asked: &str,
    lack_first: bool,
    lang: Lang,
    confidence: f32,
) -> Reply {
    let mut reply = fact_reply(k, fact, lang, confidence);
    let lack = lacks_sentence(topic, asked, lang);
    reply.body = if lack_first {
        format!("{lack}\n\n{}", reply.body)
    } else {
        format!("{}\n\n{lack}", reply.body)
    };
    reply
}

/// "Not for that period": the fact is shown, dated, as what the factsheet
/// has, and not as the answer.
pub fn period_not_covered_reply(k: &Knowledge, fact: &Fact, asked: &str, lang: Lang) -> Reply {
    let intro = match lang {
        Lang::En => format!(
            "The factsheet doesn't give the figure for {asked}. What it has, with its date:"
        ),
        Lang::ZhHans => format!("《香港便览》没有提供{asked}的数字。它载有的是（请留意日期）："),
        Lang::ZhHant => format!("《香港便覽》冇提供{asked}嘅數字。佢載有嘅係（請留意日期）："),
    };
    Reply {
        outcome: Outcome::Decline,
        lang,
        confidence: 0.0,
        intent: None,
        reason: Some(Reason::PeriodNotCovered),
        facts: Vec::new(),
        body: format!("{intro}\n\n{}", fact.text.get(lang)),
        sources: vec![source_line(k, fact, lang)],
        suggestions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_keys_round_trip_and_reject_junk() {
        let t = Target::Fact("itf-approved-projects".into());
        assert_eq!(Target::from_key(&t.key()), Some(t));
        assert_eq!(Target::from_key("x:abc"), None);
        assert_eq!(Target::from_key("f:"), None);
        assert_eq!(Target::from_key("no-colon"), None);
    }

    #[test]
    fn unsure_without_suggestions_is_a_decline() {
        let r = unsure_reply(Lang::En, 0.1, Vec::new());
        assert_eq!(r.outcome, Outcome::Decline);
        assert!(!r.answered());
        let r = unsure_reply(
            Lang::ZhHant,
            0.3,
            vec![Suggestion {
                target: Target::Topic("itf".into()),
                title: "創新及科技基金".into(),
            }],
        );
        assert_eq!(r.outcome, Outcome::NotSure);
        assert!(r.to_plain().contains("• 創新及科技基金"));
    }

    #[test]
    fn plain_text_lists_each_suggestion_once() {
        let suggestion = |title: &str| Suggestion {
            target: Target::Fact(title.into()),
            title: title.into(),
        };
        let mut r = unsure_reply(Lang::En, 0.9, vec![suggestion("A"), suggestion("B")]);
        r.body.push_str("\n• A");
        let plain = r.to_plain();
        assert_eq!(plain.matches("• A").count(), 1, "{plain}");
        assert_eq!(plain.matches("• B").count(), 1, "{plain}");
    }
}
