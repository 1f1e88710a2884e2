//! Turns any text (a question, or a curated alias or example) into the same
//! comparable form: Simplified Chinese, half-width, lower case, Cantonese
//! colloquialisms in standard written Chinese, no punctuation or emoji,
//! digit groups joined, English words stemmed.

use crate::lang::Lang;
use crate::script::{is_han, to_simplified};

/// Questions longer than this are cut before matching: no real question is
/// longer, and the cut keeps the work per message bounded.
pub const MAX_QUESTION_CHARS: usize = 500;

/// A question in comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Simplified, half-width, lower-case text with single spaces.
    pub text: String,
    /// English (Latin-script) words, stemmed, stop words kept.
    pub words: Vec<String>,
    /// Runs of Han characters, in order.
    pub han_runs: Vec<String>,
}

/// Cantonese → standard written Chinese. Applied before conversion to
/// Simplified (係 becomes 系 there, which also means "system"), so keys come
/// in Traditional and in the Simplified spellings people also type. Longer
/// forms come first so that 幾多 wins over 幾.
const CANTONESE: &[(&str, &str)] = &[
    ("幾多錢", "多少钱"),
    ("几多钱", "多少钱"),
    ("幾多", "多少"),
    ("几多", "多少"),
    ("幾時", "什么时候"),
    ("几时", "什么时候"),
    ("幾大", "多大"),
    ("几大", "多大"),
    ("幾耐", "多久"),
    ("邊一年", "哪一年"),
    ("边一年", "哪一年"),
    ("邊年", "哪年"),
    ("边年", "哪年"),
    ("邊個", "哪个"),
    ("边个", "哪个"),
    ("邊間", "哪间"),
    ("边间", "哪间"),
    ("邊度", "哪里"),
    ("边度", "哪里"),
    ("喺邊", "在哪里"),
    ("邊", "哪"),
    ("咩嘢", "什么"),
    ("乜嘢", "什么"),
    ("咩", "什么"),
    ("係咪", "是不是"),
    ("係", "是"),
    ("佢哋", "他们"),
    ("佢", "他"),
    ("咗", "了"),
    ("嘅", "的"),
    ("喺", "在"),
    ("冇", "没有"),
    ("點樣", "怎样"),
    ("点样", "怎样"),
    ("點解", "为什么"),
    ("点解", "为什么"),
    ("唔該", "谢谢"),
    ("唔该", "谢谢"),
    ("唔", "不"),
    ("啲", "些"),
    ("睇", "看"),
    ("講下", "介绍"),
    ("讲下", "介绍"),
    ("講吓", "介绍"),
    ("讲吓", "介绍"),
    ("搵", "找"),
    ("畀", "给"),
    ("嚟", "来"),
    ("呢個", "这个"),
    ("呢个", "这个"),
    ("㗎", ""),
    ("嘞", ""),
    ("啦", ""),
    ("喇", ""),
    ("呀", ""),
    ("啊", ""),
    ("呢", ""),
    ("吖", ""),
    ("啫", ""),
    ("嘛", ""),
    ("嗎", ""),
    ("吗", ""),
];

/// Characters that only Traditional or Cantonese writing uses, for telling
/// the asker's script apart.
const CANTONESE_MARKS: &str = "咗嘅喺冇啲嚟㗎佢哋乜嘢咩係噉";

/// The language to answer in: English when the question has no Chinese,
/// Traditional when it has Traditional or Cantonese characters (Hong Kong's
/// default, also for questions that could be either), Simplified otherwise.
pub fn detect_lang(text: &str) -> Lang {
    let han: String = text.chars().filter(|&c| is_han(c)).collect();
    if han.is_empty() {
        return Lang::En;
    }
    let simplified = to_simplified(&han);
    let traditional = crate::script::to_traditional(&han);
    let trad_only = han
        .chars()
        .zip(simplified.chars())
        .filter(|(a, b)| a != b)
        .count()
        + han.chars().filter(|c| CANTONESE_MARKS.contains(*c)).count();
    let simp_only = han
        .chars()
        .zip(traditional.chars())
        .filter(|(a, b)| a != b)
        .count();
    if simp_only > trad_only {
        Lang::ZhHans
    } else {
        Lang::ZhHant
    }
}

/// Full-width forms to ASCII, ideographic space to space.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Keeps letters, digits, Han and the few symbols names use (`+`, `@`, `$`, `%`, `.`, `:`).
fn keep(c: char) -> bool {
    c.is_alphanumeric() || is_han(c) || matches!(c, '+' | '@' | '$' | '%' | '.' | ':' | '&')
}

pub fn normalize(input: &str) -> Normalized {
    let cut: String = input.chars().take(MAX_QUESTION_CHARS).collect();
    let folded: String = cut
        .chars()
        .map(half_width)
        .map(|c| if keep(c) { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    let mut standard = folded;
    for (from, to) in CANTONESE {
        if standard.contains(from) {
            standard = standard.replace(from, to);
        }
    }
    let text = join_digit_groups(&to_simplified(&standard));
    let text = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':')))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let words = latin_words(&text);
    let han_runs = han_runs(&text);
    Normalized {
        text,
        words,
        han_runs,
    }
}

/// "78 701" and "78,701" → "78701": one number, however it is grouped.
fn join_digit_groups(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let separator = matches!(c, ' ' | ',');
        let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
        let group_after = chars.len() > i + 3
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if separator && digit_before && group_after {
            continue;
        }
        out.push(c);
    }
    out
}

fn latin_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '@' | '$' | '.' | '&')))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

fn han_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_han(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Words people use for the same thing, mapped to one stem after stemming.
const SYNONYMS: &[(&str, &str)] = &[
    ("begin", "start"),
    ("began", "start"),
    ("found", "start"),
    ("establish", "start"),
    ("creat", "start"),
    ("launch", "start"),
    ("introduc", "start"),
    ("commenc", "start"),
    ("firm", "company"),
    ("business", "company"),
    ("enterpris", "company"),
    ("grant", "fund"),
    ("financ", "fund"),
    ("subsidi", "fund"),
    ("subsidy", "fund"),
    ("sponsor", "fund"),
];

/// A light English stemmer: plurals, common suffixes and a final e, so that
/// "projects" and "project", "approved" and "approve" meet; then synonyms.
pub fn stem(word: &str) -> String {
    let w = word;
    if w.len() <= 3 || w.chars().any(|c| c.is_ascii_digit()) {
        return w.to_string();
    }
    let mut base = w.to_string();
    for (suffix, replacement) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ] {
        if let Some(stripped) = w.strip_suffix(suffix) {
            if stripped.len() >= 3
                && !(suffix == "s" && (stripped.ends_with('s') || stripped.ends_with('u')))
            {
                base = format!("{stripped}{replacement}");
                break;
            }
        }
    }
    if base.len() > 4 && base.ends_with('e') {
        base.pop();
    }
    match SYNONYMS.iter().find(|(from, _)| *from == base) {
        Some((_, to)) => to.to_string(),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_askers_script() {
        assert_eq!(
            detect_lang("How many projects has the ITF funded?"),
            Lang::En
        );
        assert_eq!(detect_lang("數碼港有幾多間公司?"), Lang::ZhHant);
        assert_eq!(detect_lang("数码港有多少家公司？"), Lang::ZhHans);
        assert_eq!(detect_lang("ITF批咗幾多個項目"), Lang::ZhHant);
        assert_eq!(detect_lang("智方便有多少用户?"), Lang::ZhHans);
    }

    #[test]
    fn maps_cantonese_and_traditional_to_standard_simplified() {
        assert_eq!(normalize("數碼港有幾多間公司?").text, "数码港有多少间公司");
        assert_eq!(normalize("智方便幾時推出㗎?").text, "智方便什么时候推出");
        assert_eq!(normalize("邊個負責?").text, "哪个负责");
    }

    #[test]
    fn folds_width_case_punctuation_and_emoji() {
        assert_eq!(normalize("ＩＴＦ　批出幾多？🚀").text, "itf 批出多少");
        assert_eq!(normalize("RAISe+ Scheme!!").text, "raise+ scheme");
    }

    #[test]
    fn joins_digit_groups_however_written() {
        assert_eq!(normalize("78 701").text, "78701");
        assert_eq!(normalize("78,701").text, "78701");
        assert_eq!(normalize("７８７０１").text, "78701");
        assert_eq!(normalize("in 2020 and 2021").text, "in 2020 and 2021");
    }

    #[test]
    fn stems_english_words() {
        assert_eq!(normalize("funded projects").words, vec!["fund", "project"]);
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("enterprises"), "company");
        assert_eq!(stem("approve"), stem("approved"));
        assert_eq!(stem("launched"), stem("established"));
        assert_eq!(stem("status"), "status");
    }

    #[test]
    fn cuts_very_long_input() {
        let long = "a".repeat(20_000);
        assert!(normalize(&long).text.len() <= MAX_QUESTION_CHARS);
    }
}
