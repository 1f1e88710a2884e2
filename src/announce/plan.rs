//! Which milestone announcements fall due on a day. Pure: knowledge and a
//! date in, announcements out; the ledger and the sender decide the rest.

use serde::Serialize;
use time::{Date, Month};

use crate::answer::{source_line, source_sentence};
use crate::knowledge::{DateSpec, Fact, Knowledge, Milestone, Precision, Status};
use crate::lang::Lang;

/// The two kinds a chat can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Anniversary,
    Planned,
}

/// One announcement of one milestone on one occasion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub fact: String,
    /// Stable within a milestone: `anniversary-10`, `planned-start-2025`, `planned-due-2025`.
    pub occasion: String,
    pub kind: Kind,
    pub on: Date,
}

fn date(ymd: (i32, u8, u8)) -> Option<Date> {
    Date::from_calendar_date(ymd.0, Month::try_from(ymd.1).ok()?, ymd.2).ok()
}

/// The day a past milestone's anniversaries fall on: its own day, the 1st
/// of its month, or 1 January (31 December for "end of" a year).
fn anniversary_day(m: &Milestone) -> (u8, u8) {
    let (_, month, day) = m.date.start();
    match m.precision {
        Precision::Day => (month, day),
        Precision::Month => (month, 1),
        Precision::EndOfYear => (12, 31),
        Precision::FinancialYear => (4, 1),
        Precision::Year | Precision::WithinYear => (1, 1),
    }
}

/// Round anniversaries: the first, then every fifth.
pub fn is_round(years: i32) -> bool {
    years == 1 || (years > 0 && years % 5 == 0)
}

/// The announcements of one milestone that fall on `day`.
pub fn occasions(m: &Milestone, day: Date) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    match m.status {
        Status::Past => {
            let (month, dom) = anniversary_day(m);
            let years = day.year() - m.date.year;
            if is_round(years) && u8::from(day.month()) == month && day.day() == dom {
                out.push((format!("anniversary-{years}"), Kind::Anniversary));
            }
        }
        Status::Planned => {
            let start = date(m.date.start());
            let end = date(m.date.end());
            let spans_period = matches!(
                m.precision,
                Precision::Year | Precision::WithinYear | Precision::EndOfYear
            );
            if start == Some(day) {
                out.push((format!("planned-start-{}", m.date), Kind::Planned));
            }
            if spans_period && end == Some(day) {
                out.push((format!("planned-due-{}", m.date), Kind::Planned));
            }
        }
    }
    out
}

/// Every announcement due on `day`, in the knowledge's order.
pub fn due_on(k: &Knowledge, day: Date) -> Vec<Due> {
    k.milestones()
        .flat_map(|(fact, m)| {
            occasions(m, day).into_iter().map(|(occasion, kind)| Due {
                fact: fact.id.clone(),
                occasion,
                kind,
                on: day,
            })
        })
        .collect()
}

/// "November 2015", "end of 2026", "2026-27" — the period a milestone names.
fn period(date: &DateSpec, precision: Precision, lang: Lang) -> String {
    match (precision, lang) {
        (Precision::EndOfYear, Lang::En) => format!("the end of {}", date.year),
        (Precision::EndOfYear, _) => format!("{}年底", date.year),
        (Precision::WithinYear, Lang::En) => format!("within {}", date.year),
        (Precision::WithinYear, _) => format!("{}年内", date.year),
        _ => date.describe(lang),
    }
}

/// The occasion of a card an admin posts on demand with /announce (never ledgered).
pub const NOW: &str = "now";

/// The card posted for an announcement due on `due` and posted on
/// `posted` (later when caught up): a headline, the fact, its source.
pub fn card(
    k: &Knowledge,
    fact: &Fact,
    occasion: &str,
    lang: Lang,
    due: Date,
    posted: Date,
) -> Option<String> {
    let m = fact.milestone.as_ref()?;
    let edition = &k.source(&fact.source)?.edition;
    let when = period(&m.date, m.precision, lang);
    let headline = if let Some(years) = occasion.strip_prefix("anniversary-") {
        // "Today" and "this month" only while they are true; a card caught
        // up days later, or in a new year, names the period alone.
        let same_month = (due.year(), due.month()) == (posted.year(), posted.month());
        let unit = match (m.precision, lang) {
            (Precision::Day, Lang::En) if due == posted => " today",
            (Precision::Month, Lang::En) if same_month => " this month",
            (Precision::Day, Lang::ZhHans | Lang::ZhHant) if due == posted => "的今天",
            (Precision::Month, Lang::ZhHans | Lang::ZhHant) if same_month => "的这个月",
            _ => "",
        };
        match lang {
            Lang::En if years == "1" => format!("1 year ago{unit} ({when})"),
            Lang::En => format!("{years} years ago{unit} ({when})"),
            Lang::ZhHans => format!("{years}年前{unit}（{when}）"),
            Lang::ZhHant => {
                crate::script::to_traditional_hk(&format!("{years}年前{unit}（{when}）"))
            }
        }
    } else if occasion == NOW && m.status == Status::Past {
        match lang {
            Lang::En => format!("Milestone: {when}"),
            Lang::ZhHans => format!("里程碑：{when}"),
            Lang::ZhHant => format!("里程碑：{when}"),
        }
    } else if occasion.starts_with("planned-start-") || occasion == NOW {
        match lang {
            Lang::En => format!("Planned for {when}"),
            Lang::ZhHans => format!("计划于{when}"),
            Lang::ZhHant => format!("計劃於{when}"),
        }
    } else {
        // A planned date reached: the factsheet says only that it was planned.
        match lang {
            Lang::En => format!("Scheduled for {when} (status as of the factsheet's {edition} edition; not confirmed as done)"),
            Lang::ZhHans => format!("原定于{when}（状态截至便览{edition}年版，未确认已完成）"),
            Lang::ZhHant => format!("原定於{when}（狀態截至便覽{edition}年版，未確認已完成）"),
        }
    };
    let source = source_sentence(&source_line(k, fact, lang), lang);
    Some(format!("{headline}\n\n{}\n\n{source}", fact.text.get(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milestone(date: &str, precision: Precision, status: Status) -> Milestone {
        Milestone {
            date: date.parse().unwrap(),
            precision,
            status,
            event: None,
        }
    }

    fn day(s: &str) -> Date {
        let spec: DateSpec = s.parse().unwrap();
        date(spec.start()).unwrap()
    }

    #[test]
    fn past_milestones_have_round_anniversaries_on_their_set_day() {
        let m = milestone("2015-11", Precision::Month, Status::Past);
        assert_eq!(
            occasions(&m, day("2025-11-01")),
            vec![("anniversary-10".into(), Kind::Anniversary)]
        );
        assert!(
            occasions(&m, day("2025-11-02")).is_empty(),
            "once, on the set day"
        );
        assert!(
            occasions(&m, day("2022-11-01")).is_empty(),
            "7 years is not round"
        );
        assert_eq!(
            occasions(&m, day("2016-11-01")).len(),
            1,
            "the first anniversary counts"
        );
        let y = milestone("1999", Precision::Year, Status::Past);
        assert_eq!(
            occasions(&y, day("2024-01-01")),
            vec![("anniversary-25".into(), Kind::Anniversary)]
        );
        let d = milestone("2018-04-01", Precision::Day, Status::Past);
        assert_eq!(occasions(&d, day("2028-04-01")).len(), 1);
    }

    #[test]
    fn planned_periods_get_a_reminder_at_the_start_and_at_the_due_date() {
        let m = milestone("2026", Precision::EndOfYear, Status::Planned);
        assert_eq!(
            occasions(&m, day("2026-01-01")),
            vec![("planned-start-2026".into(), Kind::Planned)]
        );
        assert_eq!(
            occasions(&m, day("2026-12-31")),
            vec![("planned-due-2026".into(), Kind::Planned)]
        );
        assert!(occasions(&m, day("2026-06-30")).is_empty());
    }

    #[test]
    fn financial_years_are_announced_on_1_april() {
        let m = milestone("2026-27", Precision::FinancialYear, Status::Planned);
        assert_eq!(
            occasions(&m, day("2026-04-01")),
            vec![("planned-start-2026-27".into(), Kind::Planned)]
        );
        assert!(occasions(&m, day("2027-03-31")).is_empty());
    }

    #[test]
    fn headlines_say_today_or_this_month_only_while_true() {
        let k = Knowledge::load_from(None).unwrap();
        let mut checked = 0;
        for (fact, m) in k.milestones().filter(|(_, m)| m.status == Status::Past) {
            let (month, dom) = anniversary_day(m);
            for year in m.date.year + 1..=m.date.year + 30 {
                let Some(due) = date((year, month, dom)) else {
                    continue;
                };
                for (occasion, _) in occasions(m, due) {
                    // The day it falls due and the catch-up window after.
                    for late in 0..=7 {
                        let posted = due + time::Duration::days(late);
                        for lang in [Lang::En, Lang::ZhHans, Lang::ZhHant] {
                            let text = card(&k, fact, &occasion, lang, due, posted).unwrap();
                            let headline = text.lines().next().unwrap();
                            let years = (year - m.date.year).to_string();
                            assert!(headline.starts_with(&years), "{headline}");
                            let today = ["today", "的今天"].iter().any(|w| headline.contains(w));
                            assert_eq!(
                                today,
                                m.precision == Precision::Day && late == 0,
                                "{}: {headline} (posted {posted})",
                                fact.id
                            );
                            let this_month = ["this month", "的这个月", "的這個月"]
                                .iter()
                                .any(|w| headline.contains(w));
                            assert_eq!(
                                this_month,
                                m.precision == Precision::Month && posted.month() == due.month(),
                                "{}: {headline} (posted {posted})",
                                fact.id
                            );
                            assert!(!headline.contains("this year"), "{headline}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} cards checked");
    }
}
