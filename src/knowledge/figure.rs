use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::DateSpec;
use crate::lang::Lang;

/// A figure's value: a number in base units, or a matching ratio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FigureValue {
    Number(f64),
    Ratio(u32, u32),
}

impl fmt::Display for FigureValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureValue::Number(v) => write!(f, "{v}"),
            FigureValue::Ratio(a, b) => write!(f, "{a}:{b}"),
        }
    }
}

/// How the source qualifies a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approx {
    About,
    Over,
    UpTo,
    AtLeast,
}

/// A figure a fact states, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub value: FigureValue,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<DateSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approx: Option<Approx>,
}

/// What kind of question a fact answers; matched against the question's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    When,
    HowMany,
    HowMuch,
    HowBig,
    Where,
    Who,
    What,
}

impl Figure {
    /// The kind of question this figure answers, read from its unit.
    pub fn answers(&self) -> Ask {
        let unit = self.unit.to_ascii_lowercase();
        match unit.as_str() {
            "hk$" | "hkd" | "hk$ per year" => Ask::HowMuch,
            "%" | "percent" | "ratio" => Ask::HowMuch,
            "hectares" | "hectare" | "m2" | "square metres" | "ha" => Ask::HowBig,
            "month" | "year" | "years" if matches!(self.value, FigureValue::Number(v) if v > 1900.0) => {
                Ask::When
            }
            _ if unit.starts_with("hk$") => Ask::HowMuch,
            _ => Ask::HowMany,
        }
    }

    /// "as of June 2025" in the given language, when the figure has a date.
    pub fn as_of_text(&self, lang: Lang) -> Option<String> {
        self.as_of.map(|d| d.describe(lang))
    }
}
