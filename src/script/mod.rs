//! Conversion between Simplified and Traditional (Hong Kong) Chinese.
//!
//! Replies are converted to Traditional with OpenCC, phrases and Hong Kong
//! variants included; its dictionaries are built once per process and
//! shared. Comparing text needs less: one form for each character. So
//! normalising to Simplified, and telling which script a question is in,
//! read two character tables taken from OpenCC's own (`traditional.tsv`:
//! each character its Hong Kong to Simplified conversion changes, and to
//! what; `simplified.tsv`: each character its Simplified to Traditional
//! conversion changes). A table lookup is a fraction of a dictionary walk,
//! which was a third of loading the knowledge and a tenth of answering.

use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

fn converter(cell: &'static OnceLock<OpenCC>, config: BuiltinConfig) -> &'static OpenCC {
    cell.get_or_init(|| {
        // The built-in configurations are compiled into the crate; failing to
        // load one is a broken build, not a runtime condition.
        OpenCC::from_config(config).expect("ferrous-opencc built-in configuration loads")
    })
}

/// Converts the text's runs of non-ASCII characters and copies the rest:
/// OpenCC's dictionaries hold no ASCII, and looking up every Latin letter
/// and digit in them was about a fifth of the knowledge's load.
fn convert(cc: &OpenCC, text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        out.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let other = rest.find(|c: char| c.is_ascii()).unwrap_or(rest.len());
        if other > 0 {
            out.push_str(&cc.convert(&rest[..other]));
        }
        rest = &rest[other..];
    }
    out
}

/// A character table's pairs: each line a character, a tab and what it
/// becomes.
fn pairs(table: &'static str) -> impl Iterator<Item = (char, char)> {
    table.lines().filter_map(|line| {
        let mut chars = line.chars();
        let from = chars.next()?;
        let to = chars.nth(1)?;
        Some((from, to))
    })
}

fn to_simplified_table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| pairs(include_str!("traditional.tsv")).collect())
}

fn simplified_only() -> &'static HashSet<char> {
    static CHARS: OnceLock<HashSet<char>> = OnceLock::new();
    CHARS.get_or_init(|| {
        pairs(include_str!("simplified.tsv"))
            .map(|(from, _)| from)
            .collect()
    })
}

/// Simplified → Traditional Chinese with Hong Kong variants and phrases.
pub fn to_traditional_hk(text: &str) -> String {
    static S2HK: OnceLock<OpenCC> = OnceLock::new();
    convert(converter(&S2HK, BuiltinConfig::S2hk), text)
}

/// Simplified → standard Traditional with OpenCC's phrases, for the few
/// words a character table cannot tell apart (公布 is 公佈).
pub fn to_traditional(text: &str) -> String {
    static S2T: OnceLock<OpenCC> = OnceLock::new();
    convert(converter(&S2T, BuiltinConfig::S2t), text)
}

/// Traditional (Hong Kong or Taiwan) → Simplified Chinese, character by
/// character.
pub fn to_simplified(text: &str) -> String {
    let table = to_simplified_table();
    text.chars().map(|c| *table.get(&c).unwrap_or(&c)).collect()
}

/// Whether the character is written differently in Simplified script.
pub fn is_traditional_only(c: char) -> bool {
    to_simplified_table().contains_key(&c)
}

/// Whether the character is written differently in standard Traditional
/// script. Hong Kong usage keeps a few Simplified-looking forms (户, 着),
/// so this asks OpenCC's standard Traditional, not its Hong Kong variants.
pub fn is_simplified_only(c: char) -> bool {
    simplified_only().contains(&c)
}

/// True for characters of the CJK ideograph blocks.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        assert_eq!(to_traditional_hk("创新科技署"), "創新科技署");
        assert_eq!(to_simplified("數碼港有幾多間公司"), "数码港有几多间公司");
    }

    #[test]
    fn leaves_latin_and_digits_alone() {
        assert_eq!(to_traditional_hk("ITF 78701"), "ITF 78701");
        assert_eq!(
            to_simplified("ITF 批咗 78701 個項目, 數碼港 has 2,200"),
            "ITF 批咗 78701 个项目, 数码港 has 2,200"
        );
        assert_eq!(to_traditional_hk("InnoHK研发平台"), "InnoHK研發平台");
    }

    #[test]
    fn tells_characters_of_one_script() {
        assert!(is_traditional_only('數') && !is_traditional_only('数'));
        assert!(is_simplified_only('数') && !is_simplified_only('數'));
        assert!(!is_traditional_only('港') && !is_simplified_only('港'));
    }

    /// The character tables are OpenCC's own conversions of each character
    /// alone. Should a new ferrous-opencc convert differently, this fails;
    /// `FACTBOT_BLESS=1 cargo test script` writes the tables anew.
    #[test]
    fn tables_are_opencc_character_conversions() {
        let chars: Vec<char> = (0..0x30000)
            .filter_map(char::from_u32)
            .filter(|&c| is_han(c))
            .collect();
        // One conversion of every character, each on its own line: no
        // dictionary phrase spans a line break.
        let lines: String = chars.iter().map(|c| format!("{c}\n")).collect();
        for (file, config) in [
            ("traditional.tsv", BuiltinConfig::Hk2s),
            ("simplified.tsv", BuiltinConfig::S2t),
        ] {
            let converted = OpenCC::from_config(config).unwrap().convert(&lines);
            let expected: String = chars
                .iter()
                .zip(converted.split('\n'))
                .filter(|(c, to)| c.to_string() != *to)
                .map(|(c, to)| format!("{c}\t{to}\n"))
                .collect();
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src/script")
                .join(file);
            if std::env::var_os("FACTBOT_BLESS").is_some() {
                std::fs::write(&path, &expected).unwrap();
            }
            let actual = std::fs::read_to_string(&path).unwrap();
            assert!(actual == expected, "{} is not OpenCC's conversion of each character: run FACTBOT_BLESS=1 cargo test script", path.display());
        }
    }
}
