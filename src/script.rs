//! Conversion between Simplified and Traditional (Hong Kong) Chinese.
//!
//! OpenCC's dictionaries are built once per process and shared: building them
//! costs milliseconds, converting a question microseconds.

use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

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

/// Simplified → Traditional Chinese with Hong Kong variants and phrases.
pub fn to_traditional_hk(text: &str) -> String {
    static S2HK: OnceLock<OpenCC> = OnceLock::new();
    convert(converter(&S2HK, BuiltinConfig::S2hk), text)
}

/// Simplified → standard (OpenCC) Traditional. Hong Kong usage keeps a few
/// Simplified-looking forms (户, 着), so telling scripts apart needs this one.
pub fn to_traditional(text: &str) -> String {
    static S2T: OnceLock<OpenCC> = OnceLock::new();
    convert(converter(&S2T, BuiltinConfig::S2t), text)
}

/// Traditional (Hong Kong or Taiwan) → Simplified Chinese.
pub fn to_simplified(text: &str) -> String {
    static HK2S: OnceLock<OpenCC> = OnceLock::new();
    convert(converter(&HK2S, BuiltinConfig::Hk2s), text)
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
}
