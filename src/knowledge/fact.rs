use serde::Serialize;

use super::date::Milestone;
use super::figure::Figure;
use super::lexicon::Attribute;
use super::text::Text;

/// One sourced fact: the unit the bot answers with.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub id: String,
    pub topic: String,
    pub source: String,
    pub section: String,
    pub title: Text,
    pub text: Text,
    pub aliases: Vec<String>,
    /// Ways of referring to the thing without its name ("the government's
    /// digital ID app"); matched by their content words, not word for word.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    pub keywords: Vec<String>,
    pub examples: Vec<String>,
    pub figures: Vec<Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<Milestone>,
    /// Question kinds the fact answers, declared and read from its figures.
    pub asks: Vec<Attribute>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub number_names: Vec<String>,
    /// The fact of the same subject whose sum this one's adds to (the
    /// ITF's later injections, to its first): the two are the whole, asked
    /// in total or one against the other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adds_to: Option<String>,
    /// Things its text names one by one without a number ("technology
    /// areas"): asked how many, the list is the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// Where an entry was written, for messages that send a curator to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A subject that groups facts, and answers "tell me about …".
#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: String,
    pub name: Text,
    pub summary: Text,
    pub aliases: Vec<String>,
    /// Ways of referring to the subject without its name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    pub examples: Vec<String>,
    /// The topics (bodies, programmes) this one belongs to or is run by:
    /// "ITIB's DPO" names the DPO, not two subjects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A conversational intent: greeting, help, thanks, about.
#[derive(Debug, Clone, Serialize)]
pub struct Intent {
    pub id: String,
    pub phrases: Vec<String>,
    pub reply: Text,
    #[serde(skip)]
    pub origin: Origin,
}

/// A source document and its sections.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub title: Text,
    pub publisher: Text,
    pub edition: String,
    pub edition_date: super::date::DateSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The document's page in each language.
    pub url: Option<Text>,
    pub sections: Vec<Section>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
}

impl Source {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}
