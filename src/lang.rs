//! The three languages factbot speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A reply language. Traditional Chinese means Hong Kong usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhHans, Lang::ZhHant];

    /// The BCP 47 tag used in knowledge files, JSON output and evaluation sets.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
        }
    }

    pub fn is_chinese(self) -> bool {
        self != Lang::En
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: use en, zh-Hans or zh-Hant")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts the canonical tags and the spellings people type (`zh-hk`, `zh_tw`, `sc`, `tc`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "eng" | "english" => Ok(Lang::En),
            "zh-hans" | "zh-cn" | "zh-sg" | "sc" | "chs" | "简体" | "简" => Ok(Lang::ZhHans),
            "zh-hant" | "zh-hk" | "zh-tw" | "zh-mo" | "tc" | "cht" | "繁體" | "繁" | "zh" => {
                Ok(Lang::ZhHant)
            }
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_people_type() {
        assert_eq!("zh-HK".parse::<Lang>(), Ok(Lang::ZhHant));
        assert_eq!("zh_CN".parse::<Lang>(), Ok(Lang::ZhHans));
        assert_eq!(" EN ".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn code_round_trips() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
    }
}
