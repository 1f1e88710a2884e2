use std::fmt;

/// One thing wrong with the knowledge, said so that a curator can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `file:line`, or the file alone when the line is unknown.
    pub place: String,
    /// The entry concerned, as `fact itf-projects`; empty for file-level problems.
    pub entry: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "{}: {}", self.place, self.message)
        } else {
            write!(f, "{}: {}: {}", self.place, self.entry, self.message)
        }
    }
}

/// Why knowledge could not be loaded: every problem found, not just the first.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("cannot read the knowledge at {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path} is not a text file: knowledge files are UTF-8 TOML; remove it or give it another extension")]
    NotText { path: String },
    #[error("{path} leads back to a folder already read (a symbolic link loop): remove the link")]
    Loop { path: String },
    #[error("the knowledge has {} problem(s); run `factbot check` for the full list:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
