//! The Telegram front: a thin layer that turns updates into engine questions
//! and replies into HTML messages.
//!
//! `schema()` is the handler tree, apart from the run loop, so tests drive it
//! through a mock Bot API. `run` receives updates (long polling or a
//! webhook) into the durable `inbox`, and the `runner` hands each one to the
//! tree, one at a time per chat, behind a panic boundary. Everything the bot
//! sends goes through `outbound`.

pub mod address;
pub mod admin;
mod buttons;
pub mod conversations;
pub mod inbox;
mod inline;
pub mod limiter;
mod messages;
pub mod metrics;
pub mod outbound;
mod poll;
pub mod render;
mod reply;
pub mod run;
pub mod runner;
pub mod subscriptions;
mod texts;
mod webhook;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use crate::engine::Engine;
use crate::lang::Lang;
use crate::store::Store;
use conversations::Conversations;
pub use inline::inline_results;
use limiter::Limiter;
use outbound::{Limits, Outbound};
pub(crate) use reply::{chat_key, say, Dest};
pub(crate) use texts::{text, Phrase};

/// Questions (and button presses) one user may make per minute before the
/// bot asks them to slow down.
const QUESTIONS_PER_MINUTE: usize = 12;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    #[command(description = "welcome and example questions")]
    Start(String),
    #[command(description = "what you can ask")]
    Help,
    #[command(description = "ask a question (in groups: /ask your question)")]
    Ask(String),
    #[command(description = "browse topics and facts")]
    Topics,
    #[command(description = "where the figures come from")]
    About,
    #[command(description = "reply language: en, zh-Hant, zh-Hans or auto")]
    Lang(String),
    #[command(description = "announce milestones here (admins)")]
    Subscribe(String),
    #[command(description = "stop milestone announcements (admins)")]
    Unsubscribe,
    #[command(description = "next and recent milestones")]
    Milestones,
    #[command(description = "post a milestone now (admins)")]
    Announce(String),
}

/// What every handler shares.
pub struct App {
    /// Swapped whole on a knowledge reload; a question in flight keeps the
    /// engine it started with.
    engine: std::sync::RwLock<Arc<Engine>>,
    pub store: Mutex<Store>,
    pub limiter: Limiter,
    pub outbound: Arc<Outbound>,
    pub conversations: Conversations,
    /// Whether updates are being received, for `/healthz`.
    pub health: metrics::Health,
}

impl App {
    pub fn new(engine: Engine, store: Store, limits: Limits) -> App {
        App {
            engine: std::sync::RwLock::new(Arc::new(engine)),
            store: Mutex::new(store),
            limiter: Limiter::new(QUESTIONS_PER_MINUTE, Duration::from_secs(60)),
            outbound: Arc::new(Outbound::new(limits)),
            conversations: Conversations::default(),
            health: metrics::Health::default(),
        }
    }

    /// The engine now in service.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Puts new knowledge in service; questions already being answered
    /// finish on the old.
    pub fn replace_engine(&self, engine: Engine) {
        *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
    }

    pub(crate) fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The chat's chosen language, or `None` to follow each question.
    pub(crate) fn chat_lang(&self, chat: ChatId) -> Option<Lang> {
        self.store().chat_lang(chat.0).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the chat language; following the question");
            None
        })
    }
}

pub type Shared = Arc<App>;
type HandlerResult = anyhow::Result<()>;

/// The handler tree: commands, questions, buttons, inline queries and the
/// bot's own membership. Other kinds of update fall through unhandled.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    let messages = Update::filter_message()
        .branch(teloxide::filter_command::<Command, _>().endpoint(messages::on_command))
        .branch(dptree::endpoint(messages::on_message));
    dptree::entry()
        .branch(messages)
        .branch(Update::filter_callback_query().endpoint(buttons::on_callback))
        .branch(Update::filter_inline_query().endpoint(inline::on_inline))
        .branch(Update::filter_my_chat_member().endpoint(subscriptions::on_my_chat_member))
}

/// The language for the bot's own words: the chat's setting, else the
/// user's Telegram language.
pub(crate) fn ui_lang(app: &App, chat: ChatId, user: Option<&teloxide::types::User>) -> Lang {
    app.chat_lang(chat).unwrap_or_else(|| {
        match user
            .and_then(|u| u.language_code.as_deref())
            .map(str::to_ascii_lowercase)
        {
            Some(code) if code.starts_with("zh-hans") || code == "zh-cn" || code == "zh-sg" => {
                Lang::ZhHans
            }
            Some(code) if code.starts_with("zh") => Lang::ZhHant,
            _ => Lang::En,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_fit_telegrams_rules() {
        for c in Command::bot_commands() {
            let name = c.command.trim_start_matches('/');
            assert!(name.len() <= 32 && name.chars().all(|c| c.is_ascii_lowercase()));
            assert!(!c.description.is_empty());
        }
    }
}
