//! The shapes of the TOML files, as curators write them. Turning them into
//! the checked model (`super::Knowledge`) reports every gap as a `Problem`.

use serde::Deserialize;
use toml::Spanned;

use super::date::{DateSpec, Precision, Status};
use super::figure::Approx;
use super::lexicon::Attribute;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub en: Option<String>,
    #[serde(rename = "zh-Hans")]
    pub zh_hans: Option<String>,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub value: Option<f64>,
    pub ratio: Option<String>,
    pub unit: String,
    pub as_of: Option<DateSpec>,
    pub approx: Option<Approx>,
    #[serde(default)]
    pub listed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    pub date: DateSpec,
    pub precision: Option<Precision>,
    pub status: Status,
    pub event: Option<super::lexicon::Event>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub id: Spanned<String>,
    pub topic: Option<String>,
    pub source: Option<String>,
    pub section: Option<String>,
    pub title: Option<RawText>,
    pub text: Option<RawText>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub descriptions: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub figures: Vec<RawFigure>,
    pub milestone: Option<RawMilestone>,
    #[serde(default)]
    pub asks: Vec<Attribute>,
    #[serde(default)]
    pub number_names: Vec<String>,
    pub adds_to: Option<String>,
    #[serde(default)]
    pub lists: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: Spanned<String>,
    pub name: Option<RawText>,
    pub summary: Option<RawText>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub descriptions: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub within: Vec<String>,
}

/// A `facts/*.toml` file: one section's topics and facts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactFile {
    pub source: Option<String>,
    pub section: Option<String>,
    #[serde(default)]
    pub topic: Vec<RawTopic>,
    #[serde(default)]
    pub fact: Vec<RawFact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: String,
    pub title: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub title: RawText,
    pub publisher: RawText,
    pub edition: String,
    pub edition_date: DateSpec,
    /// One address per language: never derived, since pages differ.
    pub url: Option<RawText>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
}

/// `sources.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourcesFile {
    #[serde(default)]
    pub source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntent {
    pub id: Spanned<String>,
    #[serde(default)]
    pub phrases: Vec<String>,
    pub reply: Option<RawText>,
}

/// `intents.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntentsFile {
    #[serde(default)]
    pub intent: Vec<RawIntent>,
}
