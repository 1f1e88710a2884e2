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

/// Simplified → Traditional Chinese with Hong Kong variants and phrases.
pub fn to_traditional_hk(text: &str) -> String {
    static S2HK: OnceLock<OpenCC> = OnceLock::new();
    converter(&S2HK, BuiltinConfig::S2hk).convert(text)
}

/// Simplified → standard (OpenCC) Traditional. Hong Kong usage keeps a few
/// Simplified-looking forms (户, 着), so telling scripts apart needs this one.
pub fn to_traditional(text: &str) -> String {
    static S2T: OnceLock<OpenCC> = OnceLock::new();
    converter(&S2T, BuiltinConfig::S2t).convert(text)
}

/// Traditional (Hong Kong or Taiwan) → Simplified Chinese.
pub fn to_simplified(text: &str) -> String {
    static HK2S: OnceLock<OpenCC> = OnceLock::new();
    converter(&HK2S, BuiltinConfig::Hk2s).convert(text)
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
    }
}
