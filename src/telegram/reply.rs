//! Sending the bot's answers: to the asker's chat and forum topic, as a
//! reply in groups, through the outbound path, with failures logged under an
//! anonymous chat key.

use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId, ParseMode, ReplyParameters, ThreadId};

use super::outbound::{Policy, SendError};
use super::{render, App};
use crate::answer::Reply;

/// Where the bot's answer to a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dest {
    pub chat: ChatId,
    /// The forum topic the message was written in.
    pub thread: Option<ThreadId>,
    /// In groups the answer replies to the question, so it is clear whose it is.
    pub reply_to: Option<MessageId>,
}

impl Dest {
    /// An answer to `msg`: same chat and topic, a reply in groups.
    pub fn answering(msg: &Message) -> Dest {
        Dest {
            reply_to: (!msg.chat.is_private()).then_some(msg.id),
            ..Dest::beside(msg)
        }
    }

    /// A new message next to `msg`: same chat and topic, not a reply.
    pub fn beside(msg: &Message) -> Dest {
        Dest {
            chat: msg.chat.id,
            thread: msg.thread_id.filter(|_| msg.is_topic_message),
            reply_to: None,
        }
    }

    /// A chat's main thread.
    pub fn chat(chat: ChatId) -> Dest {
        Dest {
            chat,
            thread: None,
            reply_to: None,
        }
    }
}

/// A short key for a chat in logs: the same within a run, and not the chat's id.
pub fn chat_key(chat: ChatId) -> String {
    static SALT: OnceLock<RandomState> = OnceLock::new();
    format!(
        "{:08x}",
        SALT.get_or_init(RandomState::new).hash_one(chat.0) as u32
    )
}

/// Sends one message; `html` says whether `text` is HTML (already escaped).
pub(crate) async fn send(
    bot: &Bot,
    app: &App,
    dest: Dest,
    text: &str,
    html: bool,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<MessageId, SendError> {
    app.outbound
        .message(dest.chat, Policy::Retry, || {
            let mut request = bot.send_message(dest.chat, text);
            if html {
                request = request.parse_mode(ParseMode::Html);
            }
            if let Some(thread) = dest.thread {
                request = request.message_thread_id(thread);
            }
            if let Some(id) = dest.reply_to {
                request = request
                    .reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
            }
            if let Some(k) = keyboard.clone() {
                request = request.reply_markup(k);
            }
            request
        })
        .await
        .map(|sent| {
            metrics::counter!(super::metrics::REPLIES_SENT).increment(1);
            sent.id
        })
}

/// Sends a reply as HTML, split where needed, with its buttons on the last
/// part; returns the ids of the messages sent.
pub(crate) async fn send_reply(bot: &Bot, app: &App, dest: Dest, reply: &Reply) -> Vec<MessageId> {
    let parts = render::html(reply);
    let last = parts.len().saturating_sub(1);
    let mut sent = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let keyboard = if i == last {
            render::keyboard(reply)
        } else {
            None
        };
        match send(bot, app, dest, part, true, keyboard).await {
            Ok(id) => sent.push(id),
            Err(e) => {
                log_failure(dest.chat, &e);
                break;
            }
        }
    }
    sent
}

/// Sends the bot's own words, plain text.
pub(crate) async fn say(bot: &Bot, app: &App, dest: Dest, words: &str) {
    if let Err(e) = send(bot, app, dest, words, false, None).await {
        log_failure(dest.chat, &e);
    }
}

pub(crate) fn log_failure(chat: ChatId, e: &SendError) {
    tracing::warn!(chat = %chat_key(chat), error = %e, "a message was not delivered");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_keys_are_stable_within_a_run_and_hide_the_id() {
        let key = chat_key(ChatId(-100_123_456));
        assert_eq!(key, chat_key(ChatId(-100_123_456)));
        assert_ne!(key, chat_key(ChatId(-100_123_457)));
        assert!(!key.contains("123456"));
        assert_eq!(key.len(), 8);
    }
}
