//! Buttons: the topic browser's pages, and suggestions that open a fact or
//! a topic. Presses count against the user's limit like questions.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::limiter::Verdict;
use super::messages::within_limit;
use super::outbound::Policy;
use super::reply::{log_failure, send_reply};
use super::{text, ui_lang, Dest, HandlerResult, Phrase, Shared};
use crate::answer::Target;
use crate::engine::Engine;
use crate::lang::Lang;

const TOPICS_PER_PAGE: usize = 8;

/// One page of the topic browser: topic buttons, then previous/next.
pub(super) fn topics_page(engine: &Engine, lang: Lang, page: usize) -> InlineKeyboardMarkup {
    let topics = &engine.knowledge().topics;
    let pages = topics.len().div_ceil(TOPICS_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = topics
        .iter()
        .skip(page * TOPICS_PER_PAGE)
        .take(TOPICS_PER_PAGE)
        .map(|t| {
            vec![InlineKeyboardButton::callback(
                t.name.get(lang).to_string(),
                Target::Topic(t.id.clone()).key(),
            )]
        })
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(InlineKeyboardButton::callback(
            "◀",
            format!("p:{}", page - 1),
        ));
    }
    if page + 1 < pages {
        nav.push(InlineKeyboardButton::callback(
            "▶",
            format!("p:{}", page + 1),
        ));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    InlineKeyboardMarkup::new(rows)
}

pub(super) async fn on_callback(bot: Bot, q: CallbackQuery, app: Shared) -> HandlerResult {
    let data = q.data.as_deref().unwrap_or_default();
    let message = q.message.as_ref().and_then(|m| m.regular_message());
    let lang = message.map_or(Lang::En, |m| ui_lang(&app, m.chat.id, Some(&q.from)));
    let notice = match (within_limit(&app, q.from.id.0), message) {
        (Verdict::Ignore, _) => None,
        (Verdict::Warn, _) => Some(text(Phrase::SlowDown, lang)),
        (Verdict::Answer, None) => Some(text(Phrase::Expired, lang)),
        (Verdict::Answer, Some(message)) => press(&bot, &app, message, data, lang).await,
    };
    // Every press is answered, so the button stops spinning.
    let answered = app
        .outbound
        .call(Policy::Retry, || {
            let mut request = bot.answer_callback_query(q.id.clone());
            if let Some(n) = notice {
                request = request.text(n);
            }
            request
        })
        .await;
    if let Err(e) = answered {
        tracing::warn!(error = %e, "could not answer a button press");
    }
    Ok(())
}

/// Acts on a press of a button under `message`; returns a notice for the presser.
async fn press(
    bot: &Bot,
    app: &Shared,
    message: &Message,
    data: &str,
    lang: Lang,
) -> Option<&'static str> {
    let chat = message.chat.id;
    if let Some(page) = data
        .strip_prefix("p:")
        .and_then(|p| p.parse::<usize>().ok())
    {
        let markup = topics_page(&app.engine(), lang, page);
        let edited = app
            .outbound
            .message(chat, Policy::Retry, || {
                bot.edit_message_reply_markup(chat, message.id)
                    .reply_markup(markup.clone())
            })
            .await;
        if let Err(e) = edited {
            log_failure(chat, &e);
        }
        return None;
    }
    let reply = Target::from_key(data).and_then(|target| {
        app.engine()
            .open(&target, app.chat_lang(chat).unwrap_or(lang))
    });
    match reply {
        Some(reply) => {
            send_reply(bot, app, Dest::beside(message), &reply).await;
            None
        }
        None => Some(text(Phrase::Expired, lang)),
    }
}
