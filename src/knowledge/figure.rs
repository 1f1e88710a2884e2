use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::DateSpec;
use super::lexicon::Attribute;
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
    /// The text names the things this figure counts ("3 InnoParks, in Tai
    /// Po, Yuen Long and Tseung Kwan O"), so it can say which they are.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub listed: bool,
}

impl Figure {
    /// What this figure answers, read from its unit: money, a share, a
    /// ratio, an area, a length of time, a date, or else a count of its unit.
    pub fn answers(&self) -> Attribute {
        let unit = self.unit.to_ascii_lowercase();
        let year_like = matches!(self.value, FigureValue::Number(v) if v > 1900.0);
        match unit.as_str() {
            _ if unit.starts_with("hk$") || unit == "hkd" => Attribute::Money,
            "%" | "percent" => Attribute::Share,
            "ratio" => Attribute::Ratio,
            "hectares" | "hectare" | "ha" | "m2" | "square metres" => Attribute::Area,
            "month" | "year" | "years" if year_like => Attribute::When,
            "month" | "months" | "year" | "years" | "days" => Attribute::Duration,
            "users" => Attribute::Users,
            _ => Attribute::Count,
        }
    }

    /// "as of June 2025" in the given language, when the figure has a date.
    pub fn as_of_text(&self, lang: Lang) -> Option<String> {
        self.as_of.map(|d| d.describe(lang))
    }
}
