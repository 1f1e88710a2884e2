//! Where announcements go: Telegram in production, recorders in tests.

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::ParseMode;
use teloxide::utils::html::escape;

use crate::telegram::send::{retrying, SendError};

/// Why an announcement was not posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Try again on a later run (flood limit, network fault).
    Later(String),
    /// The chat is gone for the bot (kicked, blocked, not found): end the subscription.
    Gone(String),
    /// The group became a supergroup with this id.
    Migrated(i64),
    /// Telegram refused this message for good.
    Rejected(String),
    /// The process stopped mid-broadcast (tests simulate a kill with it).
    Interrupted,
}

pub trait Sender {
    /// Posts a plain-text card to a chat.
    fn send(&self, chat: i64, text: &str) -> impl Future<Output = Result<(), Delivery>> + Send;
}

pub struct TelegramSender {
    pub bot: Bot,
}

impl Sender for TelegramSender {
    async fn send(&self, chat: i64, text: &str) -> Result<(), Delivery> {
        let html = escape(text);
        retrying(|| {
            self.bot
                .send_message(ChatId(chat), html.clone())
                .parse_mode(ParseMode::Html)
        })
        .await
        .map(|_| ())
        .map_err(|e| match e {
            SendError::Gone(why) => Delivery::Gone(why),
            SendError::Migrated(to) => Delivery::Migrated(to),
            SendError::Flooded | SendError::Network(_) => Delivery::Later(e.to_string()),
            SendError::Refused(why) => Delivery::Rejected(why),
        })
    }
}
