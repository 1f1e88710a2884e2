//! Where announcements go: Telegram in production, recorders in tests.

use std::future::Future;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::ParseMode;
use teloxide::utils::html::escape;

use crate::telegram::outbound::{Outbound, Policy, SendError};

/// Why an announcement was not posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Surely not delivered: try again on a later run (flood limit,
    /// connection refused).
    Later(String),
    /// Telegram may have posted it (timeout or reset after the request was
    /// written, 5xx): never sent again automatically.
    Unknown(String),
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
    /// Shared with the bot's replies inside `factbot run`, so that together
    /// they keep Telegram's limits.
    pub outbound: Arc<Outbound>,
}

impl Sender for TelegramSender {
    async fn send(&self, chat: i64, text: &str) -> Result<(), Delivery> {
        let html = escape(text);
        self.outbound
            .message(ChatId(chat), Policy::AtMostOnce, || {
                self.bot
                    .send_message(ChatId(chat), html.clone())
                    .parse_mode(ParseMode::Html)
            })
            .await
            .map(|_| ())
            .map_err(|e| match e {
                SendError::Gone(why) => Delivery::Gone(why),
                SendError::Migrated(to) => Delivery::Migrated(to),
                SendError::NotDelivered { .. } => Delivery::Later(e.to_string()),
                SendError::MaybeDelivered(_) => Delivery::Unknown(e.to_string()),
                SendError::Rejected(_) | SendError::Unauthorized => {
                    Delivery::Rejected(e.to_string())
                }
            })
    }
}
