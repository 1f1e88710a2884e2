//! Turns any text (a question, or a curated alias or example) into the same
//! comparable form: Simplified Chinese, half-width, lower case, colloquial
//! forms in standard written Chinese and English short forms in full (from
//! the lexicon), no punctuation or emoji, digit groups joined, English
//! words stemmed.

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use aho_corasick::{AhoCorasick, MatchKind};

use rustc_hash::FxHashMap as HashMap;

use crate::knowledge::Lexicon;
use crate::lang::Lang;
use crate::script::{
    is_han, is_simplified_only, is_traditional_only, to_simplified, to_traditional_hk,
};

/// Questions longer than this are cut before matching: no real question is
/// longer, and the cut keeps the work per message bounded.
pub const MAX_QUESTION_CHARS: usize = 500;

/// The question as it is read: its first `MAX_QUESTION_CHARS` characters.
/// (Curated text is read whole: a fact's last sentence is as much its own.)
pub fn capped(question: &str) -> &str {
    match question.char_indices().nth(MAX_QUESTION_CHARS) {
        Some((at, _)) => &question[..at],
        None => question,
    }
}

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

/// Characters that only Traditional or Cantonese writing uses, for telling
/// the asker's script apart.
const CANTONESE_MARKS: &str = "咗嘅喺冇啲嚟㗎佢哋乜嘢咩係噉";

/// English words that make a sentence English, whatever names it holds.
const ENGLISH_GRAMMAR: &[&str] = &[
    "what", "when", "where", "who", "which", "how", "why", "is", "are", "was", "were", "did",
    "does", "do", "has", "have", "had", "the", "a", "an", "of", "in", "for", "to", "many", "much",
    "can", "will", "there", "its", "it", "and", "with", "by",
];

/// Chinese characters that make a sentence Chinese, whatever names it holds.
const CHINESE_GRAMMAR: &str =
    "的了吗嗎呢是有在几幾多少什么甚麼哪谁誰吧呀啊係喺咗嘅冇啲咩邊乜點嘛未定";

/// The language to answer in: English when the question has no Chinese or
/// is an English sentence around Chinese names ("When did 智方便 launch?"),
/// Traditional when it has Traditional or Cantonese characters (Hong Kong's
/// default, also for questions that could be either), Simplified otherwise.
pub fn detect_lang(text: &str) -> Lang {
    let han: String = text.chars().filter(|&c| is_han(c)).collect();
    if han.is_empty() {
        return Lang::En;
    }
    // Whether it is English or Chinese, a name in brackets (「奇趣IT識多啲」,
    // 《創科藍圖》) does not say: it is in its own language. (Its script
    // still tells Traditional from Simplified.)
    let outside = outside_brackets(text);
    let sentence: &str = if outside.chars().any(char::is_alphanumeric) {
        &outside
    } else {
        text
    };
    // Beside Chinese, a word in capitals is an acronym ("IT" in
    // 中學IT創新實驗室), not the pronoun.
    let english = sentence
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() < 2 || !w.chars().all(|c| c.is_ascii_uppercase()))
        .filter(|w| ENGLISH_GRAMMAR.contains(&w.to_ascii_lowercase().as_str()))
        .count();
    let chinese = sentence
        .chars()
        .filter(|c| CHINESE_GRAMMAR.contains(*c))
        .count();
    if english > chinese {
        return Lang::En;
    }
    let trad_only = han.chars().filter(|&c| is_traditional_only(c)).count()
        + han.chars().filter(|&c| CANTONESE_MARKS.contains(c)).count();
    let simp_only = han.chars().filter(|&c| is_simplified_only(c)).count();
    // When no character tells, a phrase may: 公布 is 公佈 in Traditional.
    let simplified = simp_only > trad_only
        || (simp_only == 0 && trad_only == 0 && crate::script::to_traditional(&han) != han);
    if simplified {
        Lang::ZhHans
    } else {
        Lang::ZhHant
    }
}

/// The text outside 「」, 『』 and 《》 brackets.
fn outside_brackets(text: &str) -> Cow<'_, str> {
    if !text.contains(['「', '『', '《']) {
        return Cow::Borrowed(text);
    }
    let mut depth = 0usize;
    Cow::Owned(
        text.chars()
            .filter(|c| match c {
                '「' | '『' | '《' => {
                    depth += 1;
                    false
                }
                '」' | '』' | '》' => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => depth == 0,
            })
            .collect(),
    )
}

/// Full-width forms to ASCII, ideographic space to space, superscript
/// digits to digits ("m²" is "m2": a bare "m" is the "m" of "I'm").
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '²' => '2',
        '³' => '3',
        _ => c,
    }
}

/// Keeps letters, digits, Han and the few symbols names use (`+`, `@`, `$`, `%`, `.`, `:`).
fn keep(c: char) -> bool {
    c.is_alphanumeric() || is_han(c) || matches!(c, '+' | '@' | '$' | '%' | '.' | ':' | '&')
}

/// Question words whose "'s" is "is" ("what's", "where's"): the lexicon
/// reads them joined ("whats").
const CONTRACTED: [&str; 5] = ["what", "who", "where", "how", "when"];

/// Text without the "'s" that ends a word ("the DPO's remit"): a lone "s"
/// left over is no word of the question. After a question word it is
/// "is", kept joined to it.
fn without_possessives(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['\'', '’']) {
        let (before, after) = rest.split_at(at);
        let quote = after.chars().next().map_or(1, char::len_utf8);
        let after = &after[quote..];
        let word = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let s_ends_word =
            after.starts_with(['s', 'S']) && !after[1..].starts_with(|c: char| c.is_alphanumeric());
        out.push_str(before);
        if s_ends_word && !word.is_empty() {
            if CONTRACTED.contains(&word.to_lowercase().as_str()) {
                out.push('s');
            }
            rest = &after[1..];
        } else {
            out.push(' ');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Chinese quotation and title marks set a name apart without breaking
/// the words around it: 「十四五」规划 is 十四五规划.
const CHINESE_QUOTES: &str = "「」『』《》〈〉";

/// A list of one-character items is the word they make: 「政、产、学、研、投」
/// is 政产学研投, as it is written without the commas. Lists of longer
/// items ("研发、人才") keep their commas.
fn one_character_lists(text: &str) -> Cow<'_, str> {
    if !text.contains('、') {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    // An item of one character: a Han character between two commas.
    let single = |i: usize| {
        i >= 1
            && i + 1 < chars.len()
            && chars[i - 1] == '、'
            && chars[i + 1] == '、'
            && is_han(chars[i])
    };
    let joins = |i: usize| {
        chars[i] == '、'
            && i >= 1
            && i + 1 < chars.len()
            && is_han(chars[i - 1])
            && is_han(chars[i + 1])
            && (single(i - 1) || single(i + 1))
    };
    let joined: String = (0..chars.len())
        .filter(|&i| !joins(i))
        .map(|i| chars[i])
        .collect();
    Cow::Owned(joined)
}

/// Normalisation with the lexicon's colloquial forms.
pub struct Normalizer {
    colloquial: Option<(AhoCorasick, Vec<String>)>,
    /// English short forms ("tech", "govt"), replaced only as whole words:
    /// "tech" is not to be read inside "fintech".
    words: HashMap<String, String>,
    /// While an index is built its parts normalise the same names and
    /// phrases again and again (half of what is normalised at load): then
    /// each is normalised once. Never while answering: questions differ.
    memo: Option<Mutex<HashMap<String, Normalized>>>,
}

impl Normalizer {
    /// Colloquial forms are matched as written and in Traditional script;
    /// forms of two or more characters also in Simplified (a single one,
    /// like 係, would turn into an ordinary character: 系).
    pub fn new(lexicon: &Lexicon) -> Normalizer {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        let mut words = HashMap::default();
        for (from, to) in &lexicon.colloquial {
            let from = from.to_lowercase();
            if from.chars().all(|c| c.is_ascii_alphanumeric()) {
                words.insert(from, to.to_lowercase());
                continue;
            }
            let mut forms = vec![from.clone(), to_traditional_hk(&from)];
            if from.chars().count() > 1 {
                forms.push(to_simplified(&from));
            }
            forms.sort();
            forms.dedup();
            for form in forms {
                if !keys.contains(&form) {
                    keys.push(form);
                    values.push(to.clone());
                }
            }
        }
        // A question word run into the auxiliary after it ("whenwas",
        // "whatis") is the two words: no such run is an English word.
        for question in &lexicon.whether.question_words {
            for auxiliary in &lexicon.whether.auxiliaries {
                words
                    .entry(format!("{question}{auxiliary}"))
                    .or_insert_with(|| format!("{question} {auxiliary}"));
            }
        }
        let colloquial = (!keys.is_empty()).then(|| {
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&keys)
                .expect("colloquial forms build an automaton");
            (automaton, values)
        });
        Normalizer {
            colloquial,
            words,
            memo: None,
        }
    }

    /// The normaliser remembering what it normalised, for building an index.
    pub fn remembering(self) -> Normalizer {
        Normalizer {
            memo: Some(Mutex::default()),
            ..self
        }
    }

    /// The normaliser forgetting what it remembered, for answering.
    pub fn forgetting(self) -> Normalizer {
        Normalizer { memo: None, ..self }
    }

    /// Script, width and case only, without colloquial forms.
    pub fn plain() -> Normalizer {
        Normalizer {
            colloquial: None,
            words: HashMap::default(),
            memo: None,
        }
    }

    pub fn normalize(&self, input: &str) -> Normalized {
        let Some(memo) = &self.memo else {
            return self.normalize_afresh(input);
        };
        let mut memo = memo.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = memo.get(input) {
            return n.clone();
        }
        let n = self.normalize_afresh(input);
        memo.insert(input.to_string(), n.clone());
        n
    }

    fn normalize_afresh(&self, input: &str) -> Normalized {
        let folded: String = one_character_lists(&without_possessives(input))
            .chars()
            .filter(|c| !CHINESE_QUOTES.contains(*c))
            .map(half_width)
            .map(|c| if keep(c) { c } else { ' ' })
            .collect::<String>()
            .to_lowercase();
        let folded = replace_words(&folded, &self.words);
        finish(&self.colloquial_forms(&folded))
    }

    /// Text with its colloquial forms in standard written Chinese.
    fn colloquial_forms(&self, text: &str) -> String {
        match &self.colloquial {
            // A second pass reads what the first made of overlapping forms:
            // 係邊一年 is 是哪 + 一年, and 哪一 is 哪.
            Some((automaton, values)) => {
                let once = automaton.replace_all(text, values);
                automaton.replace_all(&once, values)
            }
            None => text.to_string(),
        }
    }

    /// Reads the colloquial forms again in Chinese text that was changed
    /// after normalising: a mended homophone slip (什么时侯 → 什么时候)
    /// is then the standard form the lexicon's phrases are in (何时).
    pub fn restandardize_chinese(&self, n: Normalized) -> Normalized {
        let mut text = String::with_capacity(n.text.len());
        let mut rest = n.text.as_str();
        for run in &n.han_runs {
            let Some(at) = rest.find(run.as_str()) else {
                continue;
            };
            text.push_str(&rest[..at]);
            text.push_str(&self.colloquial_forms(run));
            rest = &rest[at + run.len()..];
        }
        text.push_str(rest);
        if text == n.text {
            return n;
        }
        Normalized {
            han_runs: han_runs(&text),
            text,
            words: n.words,
        }
    }
}

/// Replaces whole ASCII words found in `words`; most texts have none, and
/// are returned as they are.
fn replace_words<'t>(text: &'t str, words: &HashMap<String, String>) -> Cow<'t, str> {
    let has_one = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| words.contains_key(w));
    if !has_one {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        out.push_str(words.get(word).map_or(word, String::as_str));
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Normalises without the lexicon (script, width, case): for checks of
/// curated phrases and for tests.
pub fn normalize(input: &str) -> Normalized {
    Normalizer::plain().normalize(input)
}

fn finish(standard: &str) -> Normalized {
    let text = join_digit_groups(&to_simplified(standard));
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
    text.split(|c: char| {
        !(c.is_ascii_alphanumeric() || matches!(c, '+' | '@' | '$' | '.' | '&' | '%'))
    })
    // "What % of" asks a share as "what percent" does; "300%" is a
    // figure, read from the text.
    .map(|w| {
        if w == "%" {
            w
        } else {
            w.trim_matches(|c| c == '.' || c == '%')
        }
    })
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

/// A light English stemmer: plurals, common suffixes and a final e, so that
/// "projects" and "project", "approved" and "approve" meet.
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
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_askers_script() {
        for (question, lang) in [
            ("How many projects has the ITF funded?", Lang::En),
            ("數碼港有幾多間公司?", Lang::ZhHant),
            ("数码港有多少家公司？", Lang::ZhHans),
            ("ITF批咗幾多個項目", Lang::ZhHant),
            ("智方便有多少用户?", Lang::ZhHans),
            ("When did 智方便 launch?", Lang::En),
            ("InnoHK 啲 lab 有幾多個?", Lang::ZhHant),
            ("Cyberport 有幾多間 company?", Lang::ZhHant),
            // "IT" beside Chinese is an acronym, not the pronoun; a
            // bracketed name does not say English or Chinese, but its
            // script tells Simplified from Traditional.
            ("政府於那一年推出「中學IT創新實驗室」計劃?", Lang::ZhHant),
            ("When was 「奇趣IT識多啲」 launched?", Lang::En),
            ("「奇趣IT識多啲」", Lang::ZhHant),
            ("「创科实习计划」在哪一年推出?", Lang::ZhHans),
        ] {
            assert_eq!(detect_lang(question), lang, "{question}");
        }
    }

    #[test]
    fn a_possessive_s_is_no_word() {
        let n = Normalizer::plain();
        assert_eq!(
            n.normalize("the DPO's remit").words,
            ["the", "dpo", "remit"]
        );
        assert_eq!(n.normalize("Cyberport’s size").words, ["cyberport", "size"]);
        assert_eq!(n.normalize("it's 'special'").words, ["it", "special"]);
        assert_eq!(n.normalize("what's new").text, "whats new");
    }

    #[test]
    fn maps_colloquial_forms_and_traditional_to_standard_simplified() {
        let lexicon = Lexicon {
            colloquial: [
                ("幾多", "多少"),
                ("幾時", "什么时候"),
                ("邊個", "哪个"),
                ("㗎", ""),
                ("係", "是"),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        assert_eq!(
            n.normalize("數碼港有幾多間公司?").text,
            "数码港有多少间公司"
        );
        assert_eq!(n.normalize("数码港有几多间公司").text, "数码港有多少间公司");
        assert_eq!(n.normalize("智方便幾時推出㗎?").text, "智方便什么时候推出");
        assert_eq!(n.normalize("邊個負責?").text, "哪个负责");
        assert_eq!(n.normalize("係咪").text, "是咪");
        assert_eq!(
            n.normalize("系统").text,
            "系统",
            "a one-character form only as written"
        );
    }

    #[test]
    fn folds_width_case_punctuation_and_emoji() {
        assert_eq!(normalize("ＩＴＦ　批出幾多？🚀").text, "itf 批出几多");
        assert_eq!(normalize("RAISe+ Scheme!!").text, "raise+ scheme");
        assert_eq!(normalize("m² of land").text, "m2 of land");
    }

    #[test]
    fn chinese_quotation_marks_do_not_break_words() {
        assert_eq!(normalize("「十四五」規劃").text, "十四五规划");
        assert_eq!(normalize("《香港便覽》 ITF").text, "香港便览 itf");
    }

    #[test]
    fn a_list_of_one_character_items_is_one_word() {
        assert_eq!(
            normalize("以「政、產、學、研、投」為平台").text,
            "以政产学研投为平台"
        );
        assert_eq!(normalize("研发、人才、资金").text, "研发 人才 资金");
        assert_eq!(normalize("人、货、数据").text, "人货数据");
    }

    #[test]
    fn a_lone_per_cent_sign_is_a_word_and_a_figure_keeps_its_own() {
        assert_eq!(
            normalize("what % of them").words,
            ["what", "%", "of", "them"]
        );
        assert_eq!(
            normalize("a 300% deduction").words,
            ["a", "300", "deduction"]
        );
    }

    #[test]
    fn joins_digit_groups_however_written() {
        assert_eq!(normalize("78 701").text, "78701");
        assert_eq!(normalize("78,701").text, "78701");
        assert_eq!(normalize("７８７０１").text, "78701");
        assert_eq!(normalize("in 2020 and 2021").text, "in 2020 and 2021");
    }

    #[test]
    fn reads_english_short_forms_as_whole_words_only() {
        let lexicon = Lexicon {
            colloquial: vec![
                ("tech".to_string(), "technology".to_string()),
                ("govt".to_string(), "government".to_string()),
            ],
            ..Lexicon::default()
        };
        let n = Normalizer::new(&lexicon);
        assert_eq!(
            n.normalize("Innovation and Tech Fund, by the govt").text,
            "innovation and technology fund by the government"
        );
        assert_eq!(
            n.normalize("fintech techno tech-savvy 科技tech").text,
            "fintech techno technology savvy 科技technology"
        );
    }

    #[test]
    fn stems_english_words() {
        assert_eq!(normalize("funded projects").words, vec!["fund", "project"]);
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("approve"), stem("approved"));
        assert_eq!(stem("status"), "status");
    }

    #[test]
    fn cuts_very_long_questions_at_a_character() {
        let long = "數碼港".repeat(1_000);
        assert_eq!(capped(&long).chars().count(), MAX_QUESTION_CHARS);
        assert_eq!(capped("short"), "short");
    }
}
