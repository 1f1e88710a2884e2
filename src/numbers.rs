//! Reads the numbers a text states: quantities, ratios and dates, in English
//! and Chinese. The knowledge check uses it to prove that every figure in a
//! fact's text is one the fact declares, in every language.

use std::sync::OnceLock;

use regex::Regex;

/// A date as written: any part may be missing ("every April", "in 2025").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// A financial year such as 2026-27, starting on 1 April of `year`.
    pub fiscal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mention {
    Quantity(f64),
    Ratio(u32, u32),
    Date(DateMention),
}

/// A mention and the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub mention: Mention,
    pub text: String,
}

/// How eagerly Chinese numerals are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Curated text: Chinese numerals count only before a measure word, and
    /// not as ordinals (第二批) or as a lone 一 ("one of", "一站式").
    Strict,
    /// Source documents: every run of Chinese numerals counts. Reading too
    /// much is harmless there, as it is only searched for declared figures.
    Lenient,
}

/// English month names, as the knowledge writes them.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

struct Patterns {
    ratio: Regex,
    fiscal_year: Regex,
    zh_date: Regex,
    zh_month: Regex,
    en_date: Regex,
    quantity: Regex,
    zh_numeral: Regex,
    en_word: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid pattern");
        Patterns {
            ratio: re(r"([0-9]+)\s*(?:[(（][^)）]{1,12}[)）])?\s*[:：]\s*([0-9]+)"),
            fiscal_year: re(r"(?-u:\b)((?:19|20)[0-9]{2})\s*[-–—/]\s*([0-9]{2})(?-u:\b)"),
            zh_date: re(
                r"([0-9]{4})\s*年\s*(?:([0-9]{1,2})\s*月\s*(?:([0-9]{1,2})\s*[日号號])?)?",
            ),
            zh_month: re(r"([0-9]{1,2})\s*月"),
            en_date: re(&format!(
                r"\b(?:([0-9]{{1,2}})\s+)?({})(?:\s+([0-9]{{4}}))?\b",
                MONTHS.join("|")
            )),
            // Scales of more than one letter may stand apart from the
            // digits ("5 bn"); single letters are written onto them
            // ("HK$100m").
            quantity: re(&format!(
                concat!(
                    r"([0-9]{{1,3}}(?:[,\u{{A0}}\u{{202F}} ][0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)",
                    r"(?:\s*({spaced})(?:\s*([0-9]+)\s*(万|萬))?|({attached}))?",
                ),
                spaced = scale_words(|w| w.len() > 1),
                attached = scale_words(|w| w.len() == 1),
            )),
            zh_numeral: re(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+"),
            // A number in words, "nine" or "a hundred million"; "one" and "a"
            // only before a scale ("one-stop", "one of" state nothing).
            en_word: {
                let words = |scale: bool| {
                    ENGLISH_NUMBER_WORDS
                        .iter()
                        .filter(|(_, value)| (*value >= 100.0) == scale)
                        .map(|(w, _)| *w)
                        .collect::<Vec<_>>()
                        .join("|")
                };
                let number = words(false);
                let scale = format!(
                    "{}|{}",
                    words(true),
                    scale_words(|w| w.len() > 1 && w.is_ascii())
                );
                re(&format!(
                    r"(?i)\b((?:(?:a|one)[\s-]+(?:{scale})|{number}|{scale})(?:[\s-]+(?:one|{number}|{scale}))*)\b"
                ))
            },
        }
    })
}

/// Measure words after which a Chinese numeral is a count in curated text.
const MEASURE_WORDS: &str = "个個间間家所名项項座支类類宗人位批期届屆年月元大倍成";

/// Every number `text` states, in reading order by kind.
pub fn mentions(text: &str, mode: Mode) -> Vec<Found> {
    let p = patterns();
    let mut scanner = Scanner {
        text: text.to_string(),
        found: Vec::new(),
    };
    scanner.take(&p.ratio, |c| {
        let a = c.get(1)?.as_str().parse().ok()?;
        let b = c.get(2)?.as_str().parse().ok()?;
        Some(Mention::Ratio(a, b))
    });
    scanner.take(&p.fiscal_year, |c| {
        let year: i32 = c.get(1)?.as_str().parse().ok()?;
        let next: i32 = c.get(2)?.as_str().parse().ok()?;
        (next == (year + 1) % 100).then_some(Mention::Date(DateMention {
            year: Some(year),
            month: None,
            day: None,
            fiscal: true,
        }))
    });
    scanner.take(&p.zh_date, |c| {
        Some(Mention::Date(DateMention {
            year: c.get(1)?.as_str().parse().ok(),
            month: c.get(2).and_then(|m| m.as_str().parse().ok()),
            day: c.get(3).and_then(|m| m.as_str().parse().ok()),
            fiscal: false,
        }))
    });
    scanner.take(&p.zh_month, |c| {
        let month: u8 = c.get(1)?.as_str().parse().ok()?;
        (1..=12)
            .contains(&month)
            .then_some(Mention::Date(DateMention {
                year: None,
                month: Some(month),
                day: None,
                fiscal: false,
            }))
    });
    scanner.take(&p.en_date, |c| {
        let name = c.get(2)?.as_str();
        let month = MONTHS.iter().position(|m| *m == name)? as u8 + 1;
        Some(Mention::Date(DateMention {
            year: c.get(3).and_then(|m| m.as_str().parse().ok()),
            month: Some(month),
            day: c.get(1).and_then(|m| m.as_str().parse().ok()),
            fiscal: false,
        }))
    });
    scanner.take(&p.quantity, |c| {
        let digits: String = c
            .get(1)?
            .as_str()
            .chars()
            .filter(|ch| ch.is_ascii_digit() || *ch == '.')
            .collect();
        let mut value: f64 = digits.parse().ok()?;
        let grouped = c.get(1)?.as_str().len() != digits.len();
        // "HK$100m": an "m" written onto the digits is a million.
        match c.get(2).or(c.get(5)).map(|m| m.as_str()) {
            None if !grouped && !digits.contains('.') && (1900.0..=2100.0).contains(&value) => {
                return Some(Mention::Date(DateMention {
                    year: Some(value as i32),
                    month: None,
                    day: None,
                    fiscal: false,
                }));
            }
            None => {}
            Some(scale) => {
                value *= scale_of(scale);
                if let (Some(rest), Some(rest_scale)) = (c.get(3), c.get(4)) {
                    if matches!(scale, "亿" | "億") {
                        value += rest.as_str().parse::<f64>().ok()? * scale_of(rest_scale.as_str());
                    }
                }
            }
        }
        Some(Mention::Quantity(value))
    });
    scanner.take_with_context(&p.zh_numeral, |m, before, after| {
        let run = m.as_str();
        if mode == Mode::Strict {
            let counted = after
                .chars()
                .next()
                .is_some_and(|c| MEASURE_WORDS.contains(c));
            let ordinal = before.ends_with('第');
            if !counted || ordinal || run == "一" {
                return None;
            }
        }
        chinese_numeral(run).map(Mention::Quantity)
    });
    if mode == Mode::Strict {
        scanner.take(&p.en_word, |c| {
            english_number(&c.get(1)?.as_str().to_ascii_lowercase()).map(Mention::Quantity)
        });
    }
    scanner.found
}

/// Finds mentions and blanks them out, so that a later, looser pattern
/// cannot read the same digits again.
struct Scanner {
    text: String,
    found: Vec<Found>,
}

impl Scanner {
    fn take(&mut self, re: &Regex, read: impl Fn(&regex::Captures) -> Option<Mention>) {
        let mut blank = Vec::new();
        for caps in re.captures_iter(&self.text) {
            let whole = caps.get(0).expect("group 0");
            if let Some(mention) = read(&caps) {
                self.found.push(Found {
                    mention,
                    text: whole.as_str().trim().to_string(),
                });
                blank.push(whole.range());
            }
        }
        self.blank(blank);
    }

    fn take_with_context(
        &mut self,
        re: &Regex,
        read: impl Fn(&regex::Match, &str, &str) -> Option<Mention>,
    ) {
        let mut blank = Vec::new();
        for m in re.find_iter(&self.text) {
            let (before, after) = (&self.text[..m.start()], &self.text[m.end()..]);
            if let Some(mention) = read(&m, before, after) {
                self.found.push(Found {
                    mention,
                    text: m.as_str().to_string(),
                });
                blank.push(m.range());
            }
        }
        self.blank(blank);
    }

    fn blank(&mut self, ranges: Vec<std::ops::Range<usize>>) {
        for range in ranges.into_iter().rev() {
            let width = range.len();
            self.text.replace_range(range, &" ".repeat(width));
        }
    }
}

/// Words that scale the number before them ("2 billion", "HK$100m",
/// 531亿): the patterns of figures and of numbers in words, and the value
/// of each, all come from this one table.
const SCALES: [(&str, f64); 13] = [
    ("billion", 1e9),
    ("million", 1e6),
    ("thousand", 1e3),
    ("bn", 1e9),
    ("mn", 1e6),
    ("mil", 1e6),
    ("bil", 1e9),
    ("亿", 1e8),
    ("億", 1e8),
    ("万", 1e4),
    ("萬", 1e4),
    ("m", 1e6),
    ("k", 1e3),
];

/// The scale words that `keep` keeps, as a pattern's alternatives. A
/// short English one ends a word: "5 bn", not "5 bnb".
fn scale_words(keep: impl Fn(&str) -> bool) -> String {
    SCALES
        .iter()
        .map(|(w, _)| *w)
        .filter(|w| keep(w))
        .map(|w| {
            if w.is_ascii() && w.len() <= 3 {
                format!(r"{w}\b")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

pub(crate) fn scale_of(word: &str) -> f64 {
    SCALES
        .iter()
        .find(|(w, _)| *w == word)
        .map_or(1.0, |&(_, value)| value)
}

/// The value of a number in words: "ten million" → 1e7, "a hundred
/// million" → 1e8, "twenty-five" → 25.
fn english_number(words: &str) -> Option<f64> {
    let (mut total, mut current): (f64, f64) = (0.0, 0.0);
    for word in words.split(|c: char| c.is_whitespace() || c == '-') {
        match word {
            "" => {}
            "a" | "one" => current += 1.0,
            "hundred" => current = current.max(1.0) * 100.0,
            _ if scale_of(word) > 1.0 => {
                total += current.max(1.0) * scale_of(word);
                current = 0.0;
            }
            _ => current += english_number_word(word)?,
        }
    }
    Some(total + current)
}

/// English numbers in words. "One" is not among them: alone it states
/// nothing ("one-stop", "one of").
const ENGLISH_NUMBER_WORDS: [(&str, f64); 27] = [
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
];

pub(crate) fn english_number_word(word: &str) -> Option<f64> {
    ENGLISH_NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, value)| value)
}

/// The value of a run of Chinese numerals: 十八 → 18, 两亿 → 2e8, 一千二百 → 1200.
pub fn chinese_numeral(run: &str) -> Option<f64> {
    let mut yi = 0.0; // everything up to the last 亿
    let mut wan = 0.0; // the 万 section since then
    let mut section = 0.0; // below 万
    let mut digit: Option<f64> = None;
    for c in run.chars() {
        let d = match c {
            '零' | '〇' => Some(0.0),
            '一' => Some(1.0),
            '二' | '两' | '兩' => Some(2.0),
            '三' => Some(3.0),
            '四' => Some(4.0),
            '五' => Some(5.0),
            '六' => Some(6.0),
            '七' => Some(7.0),
            '八' => Some(8.0),
            '九' => Some(9.0),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let at_least_one = |x: f64| if x == 0.0 { 1.0 } else { x };
        match c {
            '十' => section += digit.take().unwrap_or(1.0) * 10.0,
            '百' => section += digit.take().unwrap_or(1.0) * 100.0,
            '千' => section += digit.take().unwrap_or(1.0) * 1000.0,
            '万' | '萬' => {
                section += digit.take().unwrap_or(0.0);
                wan += at_least_one(section) * 1e4;
                section = 0.0;
            }
            '亿' | '億' => {
                section += digit.take().unwrap_or(0.0);
                yi = at_least_one(yi + wan + section) * 1e8;
                wan = 0.0;
                section = 0.0;
            }
            _ => return None,
        }
    }
    Some(yi + wan + section + digit.unwrap_or(0.0))
}

/// Figures are compared as values: 53.1e9 is 531亿 is HK$53.1 billion.
pub fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantities(text: &str, mode: Mode) -> Vec<f64> {
        mentions(text, mode)
            .into_iter()
            .filter_map(|f| match f.mention {
                Mention::Quantity(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    fn dates(text: &str) -> Vec<DateMention> {
        mentions(text, Mode::Strict)
            .into_iter()
            .filter_map(|f| match f.mention {
                Mention::Date(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    fn ymd(year: Option<i32>, month: Option<u8>, day: Option<u8>) -> DateMention {
        DateMention {
            year,
            month,
            day,
            fiscal: false,
        }
    }

    #[test]
    fn reads_grouped_digits_the_same_in_every_style() {
        assert_eq!(quantities("78,701 projects", Mode::Strict), vec![78701.0]);
        assert_eq!(quantities("78 701个项目", Mode::Strict), vec![78701.0]);
        assert_eq!(quantities("78701", Mode::Strict), vec![78701.0]);
    }

    #[test]
    fn money_scales_agree_across_languages() {
        let en = quantities("HK$53.1 billion", Mode::Strict);
        assert!(same_value(quantities("HK$53.1bn", Mode::Strict)[0], 53.1e9));
        assert!(same_value(
            quantities("$16 mn a year", Mode::Strict)[0],
            16e6
        ));
        let zh = quantities("531亿元", Mode::Strict);
        let hant = quantities("531億元", Mode::Strict);
        assert!(
            same_value(en[0], 53.1e9) && same_value(zh[0], 53.1e9) && same_value(hant[0], 53.1e9)
        );
        assert!(same_value(
            quantities("约11亿2000万元", Mode::Strict)[0],
            1.12e9
        ));
        assert!(same_value(
            quantities("HK$974 million", Mode::Strict)[0],
            9.74e8
        ));
        assert!(same_value(quantities("9.74亿元", Mode::Strict)[0], 9.74e8));
        assert!(same_value(quantities("1,000万元", Mode::Strict)[0], 1e7));
        assert!(same_value(quantities("HK$100m", Mode::Strict)[0], 1e8));
        assert!(same_value(quantities("66,000 m2", Mode::Strict)[0], 66e3));
    }

    #[test]
    fn ratios_and_percentages() {
        let found = mentions("以2:1配对, 1(政府):2(企业), 31%", Mode::Strict);
        assert_eq!(found[0].mention, Mention::Ratio(2, 1));
        assert_eq!(found[1].mention, Mention::Ratio(1, 2));
        assert_eq!(found[2].mention, Mention::Quantity(31.0));
    }

    #[test]
    fn dates_in_both_languages() {
        assert_eq!(
            dates("2015年11月成立"),
            vec![ymd(Some(2015), Some(11), None)]
        );
        assert_eq!(
            dates("set up in November 2015"),
            vec![ymd(Some(2015), Some(11), None)]
        );
        assert_eq!(
            dates("on 1 April 2018"),
            vec![ymd(Some(2018), Some(4), Some(1))]
        );
        assert_eq!(
            dates("2018年4月1日或之后"),
            vec![ymd(Some(2018), Some(4), Some(1))]
        );
        assert_eq!(
            dates("by the end of 2026"),
            vec![ymd(Some(2026), None, None)]
        );
        assert_eq!(dates("每年4月举行"), vec![ymd(None, Some(4), None)]);
        assert!(dates("2026-27年度开始运作")[0].fiscal);
        let fy = dates("from 2026-27");
        assert_eq!(fy.len(), 1);
        assert!(fy[0].fiscal && fy[0].year == Some(2026));
    }

    #[test]
    fn the_verb_may_is_not_a_month() {
        assert!(dates("it may open").is_empty());
    }

    #[test]
    fn strict_mode_reads_counted_chinese_numerals_only() {
        assert_eq!(quantities("九家独角兽", Mode::Strict), vec![9.0]);
        assert_eq!(
            quantities("一站式服务, 第二批项目, 其中一个平台", Mode::Strict),
            Vec::<f64>::new()
        );
        assert_eq!(quantities("两亿元", Mode::Strict), vec![2e8]);
        assert_eq!(quantities("十四五规划", Mode::Strict), Vec::<f64>::new());
    }

    #[test]
    fn english_number_words_are_read() {
        assert_eq!(
            quantities("nine unicorns and one-stop", Mode::Strict),
            vec![9.0]
        );
        assert_eq!(
            quantities(
                "between ten million and a hundred million, twenty-five of them",
                Mode::Strict
            ),
            vec![1e7, 1e8, 25.0]
        );
        assert_eq!(
            quantities("one of the two hundred thousand", Mode::Strict),
            vec![2e5]
        );
    }

    #[test]
    fn short_scales_after_digits() {
        assert_eq!(
            quantities("like 200 mil, 5 bil or 42k", Mode::Strict),
            vec![2e8, 5e9, 42e3]
        );
        assert_eq!(quantities("42 thousand hotspots", Mode::Strict), vec![42e3]);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral("十八"), Some(18.0));
        assert_eq!(chinese_numeral("二十"), Some(20.0));
        assert_eq!(chinese_numeral("一亿"), Some(1e8));
        assert_eq!(chinese_numeral("三千五百万"), Some(3.5e7));
        assert_eq!(chinese_numeral("十万"), Some(1e5));
    }

    #[test]
    fn superscripts_and_names_are_not_digits() {
        assert_eq!(quantities("13,000 m²", Mode::Strict), vec![13000.0]);
    }
}
