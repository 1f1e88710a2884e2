//! Whether a message is addressed to the bot, and the question it asks.
//!
//! In private chats every text (or caption) is a question. In groups only a
//! reply to the bot or a message that mentions it is; the mention is cut out.
//! Mentions are found through the message's entities, whose offsets are in
//! UTF-16 code units and are converted here without trusting them; without
//! entities the text is searched for the bot's ASCII username, so no case
//! folding ever shifts a byte position.

use teloxide::types::{Me, Message, MessageEntity, MessageEntityKind};

/// The text a message carries: its text, or the caption of a photo or document.
pub fn message_text(msg: &Message) -> Option<(&str, &[MessageEntity])> {
    match (msg.text(), msg.caption()) {
        (Some(text), _) => Some((text, msg.entities().unwrap_or_default())),
        (None, Some(caption)) => Some((caption, msg.caption_entities().unwrap_or_default())),
        (None, None) => None,
    }
}

/// The question in a message addressed to the bot, if it is one.
pub fn addressed_question(msg: &Message, me: &Me) -> Option<String> {
    let (text, entities) = message_text(msg)?;
    let mentions = bot_mentions(text, entities, me.username());
    let replying_to_bot = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| u.id == me.id);
    if !(msg.chat.is_private() || replying_to_bot || !mentions.is_empty()) {
        return None;
    }
    let mut question = String::with_capacity(text.len());
    let mut at = 0;
    for range in mentions {
        question.push_str(&text[at..range.start]);
        question.push(' ');
        at = range.end;
    }
    question.push_str(&text[at..]);
    Some(question.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Byte ranges of `@username` in `text`, in order and without overlaps:
/// the mention entities that name the bot, or failing those (a client that
/// sent none, or offsets that do not fit the text) the text's own words.
fn bot_mentions(
    text: &str,
    entities: &[MessageEntity],
    username: &str,
) -> Vec<std::ops::Range<usize>> {
    let mention = format!("@{username}");
    let mut found: Vec<_> = entities
        .iter()
        .filter(|e| e.kind == MessageEntityKind::Mention)
        .filter_map(|e| utf16_range(text, e.offset, e.length))
        .filter(|r| text[r.clone()].eq_ignore_ascii_case(&mention))
        .collect();
    if found.is_empty() {
        found = scan_mentions(text, &mention);
    }
    found.sort_by_key(|r| r.start);
    found.dedup_by(|later, earlier| later.start < earlier.end);
    found
}

/// `@username` as a whole word of the text, ignoring ASCII case.
fn scan_mentions(text: &str, mention: &str) -> Vec<std::ops::Range<usize>> {
    let is_name_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let needle = mention.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + needle.len() <= bytes.len() {
        let end = i + needle.len();
        if bytes[i..end].eq_ignore_ascii_case(needle)
            && bytes.get(end).is_none_or(|&b| !is_name_char(b))
            && (i == 0 || !is_name_char(bytes[i - 1]))
        {
            // `@` is ASCII, so `i` and `end` fall on character boundaries.
            found.push(i..end);
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// Converts an entity's UTF-16 offset and length into a byte range of `text`,
/// or `None` when they do not fall on character boundaries inside it.
fn utf16_range(text: &str, offset: usize, length: usize) -> Option<std::ops::Range<usize>> {
    let end16 = offset.checked_add(length)?;
    let (mut start, mut end) = (None, None);
    let mut units = 0;
    for (byte, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\0')))
    {
        if units == offset {
            start = Some(byte);
        }
        if units == end16 {
            end = Some(byte);
            break;
        }
        if units > end16 {
            break;
        }
        units += c.len_utf16();
    }
    Some(start?..end?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_become_byte_ranges() {
        let text = "😀 @bot hi";
        // 😀 is two UTF-16 units and four bytes.
        assert_eq!(utf16_range(text, 3, 4), Some(5..9));
        assert_eq!(&text[5..9], "@bot");
        assert_eq!(utf16_range(text, 1, 2), None, "inside a surrogate pair");
        assert_eq!(utf16_range(text, 3, 400), None, "past the end");
        assert_eq!(utf16_range(text, usize::MAX, 2), None);
        assert_eq!(utf16_range("", 0, 0), Some(0..0));
    }

    #[test]
    fn scanning_ignores_ascii_case_and_needs_whole_names() {
        let text = "K科 @FactBot 科學園? @factbot2 x@factbot";
        assert_eq!(scan_mentions(text, "@factbot"), vec![5..13]);
        assert!(scan_mentions("İİİİ @factbo", "@factbot").is_empty());
    }
}
