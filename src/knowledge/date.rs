use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::numbers::MONTHS;

/// A date as precise as the source gives it: `2015`, `2015-11`, `2018-04-01`,
/// or the financial year `2026-27`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateSpec {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub fiscal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDate {
    #[error("{0:?} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or a financial year YYYY-YY")]
    Form(String),
    #[error("{0:?} is not a day of the calendar: that month has {1} days")]
    NoSuchDay(String, u8),
}

impl FromStr for DateSpec {
    type Err = BadDate;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate::Form(s.to_string());
        let parts: Vec<&str> = s.trim().split('-').collect();
        let number = |p: &str, len: usize| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<i32>().ok())
                .flatten()
        };
        let year = number(parts[0], 4).ok_or_else(bad)?;
        let spec = |month: Option<u8>, day: Option<u8>, fiscal| DateSpec {
            year,
            month,
            day,
            fiscal,
        };
        let date = match parts[1..] {
            [] => spec(None, None, false),
            [m] => {
                let m = number(m, 2).ok_or_else(bad)?;
                // Two digits after the year are a month up to 12, a financial year's end otherwise.
                if (1..=12).contains(&m) {
                    spec(Some(m as u8), None, false)
                } else if m == (year + 1) % 100 {
                    spec(None, None, true)
                } else {
                    return Err(bad());
                }
            }
            [m, d] => {
                let m = number(m, 2)
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(bad)?;
                let d = number(d, 2).filter(|d| *d >= 1).ok_or_else(bad)?;
                let last = days_in_month(year, m as u8);
                if d > i32::from(last) {
                    return Err(BadDate::NoSuchDay(s.to_string(), last));
                }
                spec(Some(m as u8), Some(d as u8), false)
            }
            _ => return Err(bad()),
        };
        Ok(date)
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fiscal {
            return write!(f, "{}-{:02}", self.year, (self.year + 1) % 100);
        }
        write!(f, "{}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for DateSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The time from one date to a later one, in whole months where both
/// give a month, else in years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apart {
    Months(u32),
    AboutYears(u32),
}

impl DateSpec {
    /// How long after `self` a later date is; `None` when it is not later.
    pub fn until(&self, later: &DateSpec) -> Option<Apart> {
        let (y1, m1, _) = self.start();
        let (y2, m2, _) = later.start();
        let exact = !self.fiscal && !later.fiscal && self.month.is_some() && later.month.is_some();
        let apart = if exact {
            Apart::Months(u32::try_from((y2 - y1) * 12 + i32::from(m2) - i32::from(m1)).ok()?)
        } else {
            Apart::AboutYears(u32::try_from(y2 - y1).ok()?)
        };
        (apart != Apart::Months(0) && apart != Apart::AboutYears(0)).then_some(apart)
    }

    /// The first day the date covers, as (year, month, day).
    pub fn start(&self) -> (i32, u8, u8) {
        if self.fiscal {
            return (self.year, 4, 1);
        }
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date covers, as (year, month, day).
    pub fn end(&self) -> (i32, u8, u8) {
        if self.fiscal {
            return (self.year + 1, 3, 31);
        }
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }

    /// The date as a person reads it: "November 2015", "2015年11月".
    pub fn describe(&self, lang: Lang) -> String {
        if self.fiscal {
            return match lang {
                Lang::En => format!("{}-{:02}", self.year, (self.year + 1) % 100),
                _ => format!("{}-{:02}年度", self.year, (self.year + 1) % 100),
            };
        }
        match (lang, self.month, self.day) {
            (Lang::En, None, _) => self.year.to_string(),
            (Lang::En, Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            (Lang::En, Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (_, None, _) => format!("{}年", self.year),
            (_, Some(m), None) => format!("{}年{m}月", self.year),
            (_, Some(m), Some(d)) => format!("{}年{m}月{d}日", self.year),
        }
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How precisely a milestone's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Day,
    Month,
    Year,
    /// "within 2025": any time in the year.
    WithinYear,
    /// "by the end of 2026".
    EndOfYear,
    /// "2026-27": from 1 April.
    FinancialYear,
}

impl Precision {
    /// The precision a date implies when the curator gives none.
    pub fn implied_by(date: &DateSpec) -> Precision {
        match (date.fiscal, date.month, date.day) {
            (true, _, _) => Precision::FinancialYear,
            (_, _, Some(_)) => Precision::Day,
            (_, Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// Whether a date written with `date`'s parts can have this precision.
    pub fn fits(self, date: &DateSpec) -> bool {
        match self {
            Precision::Day => date.day.is_some(),
            Precision::Month => date.month.is_some() && date.day.is_none(),
            Precision::Year | Precision::WithinYear | Precision::EndOfYear => {
                date.month.is_none() && !date.fiscal
            }
            Precision::FinancialYear => date.fiscal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Happened before the source's edition.
    Past,
    /// Planned or expected, as of the source's edition.
    Planned,
}

/// A dated event of a fact: the announcer's raw material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub date: DateSpec,
    pub precision: Precision,
    pub status: Status,
    /// What happened (or will) on the date; read from the fact's words
    /// when the curator does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<super::lexicon::Event>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_until_a_later_date_is_in_months_where_both_give_one() {
        let d = |s: &str| s.parse::<DateSpec>().unwrap();
        assert_eq!(d("2015-11").until(&d("2024-02")), Some(Apart::Months(99)));
        assert_eq!(
            d("2023-03").until(&d("2024-09-01")),
            Some(Apart::Months(18))
        );
        assert_eq!(d("1999").until(&d("2001-05")), Some(Apart::AboutYears(2)));
        assert_eq!(
            d("2026-27").until(&d("2029-01")),
            Some(Apart::AboutYears(3))
        );
        // Not later, or no time between.
        assert_eq!(d("2024-02").until(&d("2015-11")), None);
        assert_eq!(d("2024-02").until(&d("2024-02-20")), None);
        assert_eq!(d("2024").until(&d("2024-06")), None);
    }

    #[test]
    fn parses_every_precision() {
        let d: DateSpec = "2015-11".parse().unwrap();
        assert_eq!(
            (d.year, d.month, d.day, d.fiscal),
            (2015, Some(11), None, false)
        );
        let fy: DateSpec = "2026-27".parse().unwrap();
        assert!(fy.fiscal);
        assert_eq!(fy.start(), (2026, 4, 1));
        assert_eq!(fy.end(), (2027, 3, 31));
        assert_eq!("2018-04-01".parse::<DateSpec>().unwrap().day, Some(1));
        assert_eq!("2024-02".parse::<DateSpec>().unwrap().end(), (2024, 2, 29));
        assert!("2024-02-29".parse::<DateSpec>().is_ok(), "a leap day");
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "15-11",
            "2015-13",
            "2015-11-32",
            "2026-30",
            "2015/11",
            "20155",
            "1999-02-30",
            "2023-02-29",
            "2024-04-31",
        ] {
            assert!(bad.parse::<DateSpec>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn round_trips_through_display() {
        for s in ["2015", "2015-11", "2018-04-01", "2026-27"] {
            assert_eq!(s.parse::<DateSpec>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn describes_dates_for_readers() {
        let d: DateSpec = "2015-11".parse().unwrap();
        assert_eq!(d.describe(Lang::En), "November 2015");
        assert_eq!(d.describe(Lang::ZhHant), "2015年11月");
    }
}
