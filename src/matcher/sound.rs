//! How a Chinese character sounds, for telling homophone slips of the input
//! method (圓 for 園, 崗 for 港) from other characters.

use pinyin::ToPinyin;

/// A character's sound: its toneless pinyin with the distinctions that
/// input methods and southern accents blur folded away (zh/z, ch/c, sh/s,
/// -ng/-n). Held inline, as a question's every character is sounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sound([u8; 8]);

/// The sound of a Han character; none for any other.
pub fn sound(c: char) -> Option<Sound> {
    let plain = c.to_pinyin()?.plain().as_bytes();
    let (initial, rest) = match plain {
        [b'z' | b'c' | b's', b'h', rest @ ..] => (&plain[..1], rest),
        _ => (&plain[..0], plain),
    };
    let rest = if rest.ends_with(b"ng") {
        &rest[..rest.len() - 1]
    } else {
        rest
    };
    // Pinyin syllables are at most six letters ("zhuang").
    let mut packed = [0; 8];
    for (slot, b) in packed.iter_mut().zip(initial.iter().chain(rest)) {
        *slot = *b;
    }
    Some(Sound(packed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homophones_share_a_sound() {
        assert_eq!(sound('园'), sound('圆'));
        assert_eq!(sound('港'), sound('岗'));
        assert_eq!(sound('技'), sound('计'));
        assert_eq!(sound('束'), sound('速'), "sh and s are blurred");
        assert_eq!(sound('正'), sound('怎'), "zh and z, -ng and -n are blurred");
        assert_eq!(sound('窗'), sound('串'), "ch and c, -ng and -n are blurred");
        assert_ne!(sound('港'), sound('园'));
        assert_ne!(sound('装'), sound('赞'), "the medial stays");
        assert_eq!(sound('a'), None);
    }
}
