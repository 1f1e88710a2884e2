//! Whatever a user sends, the engine replies sensibly, within Telegram's
//! message limit, and never panics.

use factbot::answer::MAX_REPLY_CHARS;
use factbot::knowledge::Knowledge;
use factbot::Engine;
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(Knowledge::load_from(None).expect("built-in knowledge is valid"))
    })
}

fn assert_sensible(question: &str) {
    let reply = engine().ask(question);
    let plain = reply.to_plain();
    assert!(!reply.body.trim().is_empty(), "empty reply to {question:?}");
    assert!(
        plain.chars().count() <= MAX_REPLY_CHARS,
        "reply of {} chars",
        plain.chars().count()
    );
}

#[test]
fn hostile_inputs_get_replies() {
    let long_emoji = "🚀".repeat(10_000);
    let long_chinese = "創新科技".repeat(3_000);
    let inputs = [
        "",
        " ",
        "\0\u{1}\u{7f}\r\n\t",
        "\u{202E}مرحبا بالعالم\u{202C}",
        "\u{FFFD}\u{FFFD}",
        "ＩＴＦ？？？",
        "<b>ITF</b> & <script>",
        long_emoji.as_str(),
        long_chinese.as_str(),
        "a\u{301}\u{301}\u{301}",
        "ITF批咗幾多個項目🙏🙏",
    ];
    for input in inputs {
        assert_sensible(input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_unicode_gets_a_reply(question in "\\PC{0,200}") {
        assert_sensible(&question);
    }

    #[test]
    fn long_mixed_input_gets_a_reply(question in "[a-z0-9 創新科技基金數碼港幾多？!@#\u{0}-\u{1f}\u{1F600}-\u{1F64F}]{0,20000}") {
        assert_sensible(&question);
    }

    #[test]
    fn lossy_bytes_get_a_reply(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        assert_sensible(&String::from_utf8_lossy(&bytes));
    }
}
