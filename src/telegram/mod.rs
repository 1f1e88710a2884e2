//! The Telegram front: a thin layer that turns updates into engine questions
//! and replies into HTML messages. The handler tree is built by `schema()`,
//! apart from the run loop, so tests can drive it through a mock Bot API.

pub mod admin;
pub mod limiter;
pub mod render;
pub mod run;
pub mod send;
pub mod subscriptions;
mod texts;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InlineQueryResultArticle,
    InputMessageContent, InputMessageContentText, Me, ParseMode, ReplyParameters,
};
use teloxide::utils::command::BotCommands;

use crate::answer::{Reply, Target};
use crate::engine::Engine;
use crate::lang::Lang;
use crate::store::Store;
use limiter::{Limiter, Verdict};
pub(crate) use texts::{text, Phrase};

/// Questions one user may ask per minute before the bot asks them to slow down.
const QUESTIONS_PER_MINUTE: usize = 12;
const TOPICS_PER_PAGE: usize = 8;
const INLINE_RESULTS: usize = 10;

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
    pub engine: Engine,
    pub store: Mutex<Store>,
    pub limiter: Limiter,
}

impl App {
    pub fn new(engine: Engine, store: Store) -> App {
        App {
            engine,
            store: Mutex::new(store),
            limiter: Limiter::new(QUESTIONS_PER_MINUTE, Duration::from_secs(60)),
        }
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

/// The handler tree: commands, questions, buttons and inline queries.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    let messages = Update::filter_message()
        .branch(teloxide::filter_command::<Command, _>().endpoint(on_command))
        .branch(dptree::endpoint(on_message));
    dptree::entry()
        .branch(messages)
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_inline_query().endpoint(on_inline))
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

/// The question in a group message addressed to the bot, if it is one.
fn addressed_question(msg: &Message, me: &Me, text: &str) -> Option<String> {
    if msg.chat.is_private() {
        return Some(text.to_string());
    }
    let replying_to_bot = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| u.id == me.id);
    let mention = format!("@{}", me.username());
    let mentioned = text.to_lowercase().contains(&mention.to_lowercase());
    if !(replying_to_bot || mentioned) {
        return None;
    }
    let lower = text.to_lowercase();
    let question = match lower.find(&mention.to_lowercase()) {
        Some(at) => format!("{}{}", &text[..at], &text[at + mention.len()..]),
        None => text.to_string(),
    };
    Some(question.trim().to_string())
}

async fn on_message(bot: Bot, msg: Message, me: Me, app: Shared) -> HandlerResult {
    subscriptions::on_migration(&msg, &app);
    let Some(text) = msg.text() else {
        if msg.chat.is_private() {
            let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
            say(&bot, &msg, text(Phrase::NotText, lang)).await;
        }
        return Ok(());
    };
    // Commands for other bots, or unknown ones, are not questions.
    if text.starts_with('/') {
        if msg.chat.is_private() {
            let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
            let reply = crate::answer::intent_reply(app.engine.knowledge(), "help", lang, 1.0);
            if let Some(reply) = reply {
                send_reply(&bot, &msg, &reply).await;
            }
        }
        return Ok(());
    }
    if let Some(question) = addressed_question(&msg, &me, text) {
        answer(&bot, &msg, &question, &app).await;
    }
    Ok(())
}

async fn on_command(bot: Bot, msg: Message, cmd: Command, app: Shared) -> HandlerResult {
    let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
    let k = app.engine.knowledge();
    match cmd {
        Command::Start(payload) => {
            let target = payload
                .strip_prefix("fact-")
                .map(|id| Target::Fact(id.to_string()))
                .or_else(|| {
                    payload
                        .strip_prefix("topic-")
                        .map(|id| Target::Topic(id.to_string()))
                });
            match target.and_then(|t| app.engine.open(&t, lang)) {
                Some(reply) => send_reply(&bot, &msg, &reply).await,
                None => say(&bot, &msg, text(Phrase::Welcome, lang)).await,
            }
        }
        Command::Help | Command::About => {
            let id = if cmd == Command::Help {
                "help"
            } else {
                "about"
            };
            if let Some(reply) = crate::answer::intent_reply(k, id, lang, 1.0) {
                send_reply(&bot, &msg, &reply).await;
            }
        }
        Command::Ask(question) if question.trim().is_empty() => {
            say(&bot, &msg, text(Phrase::AskWhat, lang)).await;
        }
        Command::Ask(question) => answer(&bot, &msg, &question, &app).await,
        Command::Topics => {
            let markup = topics_page(&app.engine, lang, 0);
            let sent = send::retrying(|| {
                bot.send_message(msg.chat.id, text(Phrase::TopicsIntro, lang))
                    .reply_markup(markup.clone())
            })
            .await;
            log_failure(msg.chat.id, sent.map(|_| ()));
        }
        Command::Lang(arg) => set_lang(&bot, &msg, &arg, lang, &app).await,
        Command::Subscribe(args) => subscriptions::subscribe(&bot, &msg, &args, &app).await,
        Command::Unsubscribe => subscriptions::unsubscribe(&bot, &msg, &app).await,
        Command::Milestones => subscriptions::milestones(&bot, &msg, &app).await,
        Command::Announce(id) => subscriptions::announce_now(&bot, &msg, &id, &app).await,
    }
    Ok(())
}

async fn set_lang(bot: &Bot, msg: &Message, arg: &str, lang: Lang, app: &App) {
    match admin::is_admin(bot, msg).await {
        Ok(true) => {}
        Ok(false) => return say(bot, msg, text(Phrase::AdminsOnly, lang)).await,
        Err(e) => {
            tracing::warn!(chat = msg.chat.id.0, error = %e, "cannot check admin rights");
            return say(bot, msg, text(Phrase::AdminsOnly, lang)).await;
        }
    }
    let choice = match arg.trim() {
        "auto" => Ok(None),
        other => other.parse::<Lang>().map(Some),
    };
    match choice {
        Err(_) => say(bot, msg, text(Phrase::LangUsage, lang)).await,
        Ok(choice) => {
            if let Err(e) = app.store().set_chat_lang(msg.chat.id.0, choice) {
                tracing::error!(error = %e, "cannot save the chat language");
                return;
            }
            let confirmation = match choice {
                Some(chosen) => text(Phrase::LangSet, chosen),
                None => text(Phrase::LangAuto, lang),
            };
            say(bot, msg, confirmation).await;
        }
    }
}

/// Answers a question, within the user's rate limit, and logs it for
/// curators when the engine could not answer.
async fn answer(bot: &Bot, msg: &Message, question: &str, app: &App) {
    let user = msg.from.as_ref().map_or(msg.chat.id.0 as u64, |u| u.id.0);
    match app.limiter.check(user, Instant::now()) {
        Verdict::Answer => {}
        Verdict::Warn => {
            let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
            return say(bot, msg, text(Phrase::SlowDown, lang)).await;
        }
        Verdict::Ignore => return,
    }
    let reply = app.engine.ask_in(question, app.chat_lang(msg.chat.id));
    if !reply.answered() {
        let chat_type = if msg.chat.is_private() {
            "private"
        } else {
            "group"
        };
        let outcome = serde_json::to_value(reply.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if let Err(e) = app.store().record_unanswered(
            question,
            reply.lang,
            chat_type,
            &outcome,
            reply.confidence,
        ) {
            tracing::warn!(error = %e, "cannot record an unanswered question");
        }
    }
    send_reply(bot, msg, &reply).await;
}

/// Sends a reply as HTML, split where needed, with suggestion buttons on its last part.
async fn send_reply(bot: &Bot, msg: &Message, reply: &Reply) {
    let parts = render::html(reply);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let keyboard = if i == last {
            render::keyboard(reply)
        } else {
            None
        };
        let sent = send::retrying(|| {
            let mut request = bot
                .send_message(msg.chat.id, part.clone())
                .parse_mode(ParseMode::Html);
            if !msg.chat.is_private() {
                request = request
                    .reply_parameters(ReplyParameters::new(msg.id).allow_sending_without_reply());
            }
            if let Some(k) = keyboard.clone() {
                request = request.reply_markup(k);
            }
            request
        })
        .await;
        if sent.is_err() {
            return log_failure(msg.chat.id, sent.map(|_| ()));
        }
    }
}

/// Sends plain text (the bot's own words need no HTML).
pub(crate) async fn say(bot: &Bot, msg: &Message, words: &str) {
    let sent = send::retrying(|| bot.send_message(msg.chat.id, words)).await;
    log_failure(msg.chat.id, sent.map(|_| ()));
}

fn log_failure(chat: ChatId, result: Result<(), send::SendError>) {
    if let Err(e) = result {
        tracing::warn!(chat = chat.0, error = %e, "could not send a message");
    }
}

/// One page of the topic browser: topic buttons, then previous/next.
fn topics_page(engine: &Engine, lang: Lang, page: usize) -> InlineKeyboardMarkup {
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

async fn on_callback(bot: Bot, q: CallbackQuery, app: Shared) -> HandlerResult {
    let data = q.data.as_deref().unwrap_or_default();
    let chat = q.message.as_ref().map(|m| m.chat().id);
    let lang = chat.map_or(Lang::En, |c| ui_lang(&app, c, Some(&q.from)));
    let mut notice = None;
    match (
        data.strip_prefix("p:")
            .and_then(|p| p.parse::<usize>().ok()),
        chat,
    ) {
        (Some(page), Some(chat)) => {
            let message = q
                .message
                .as_ref()
                .map(|m| m.id())
                .expect("chat implies a message");
            let markup = topics_page(&app.engine, lang, page);
            let edited = send::retrying(|| {
                bot.edit_message_reply_markup(chat, message)
                    .reply_markup(markup.clone())
            })
            .await;
            log_failure(chat, edited.map(|_| ()));
        }
        _ => match (Target::from_key(data), chat) {
            (Some(target), Some(chat)) => match app
                .engine
                .open(&target, app.chat_lang(chat).unwrap_or(lang))
            {
                Some(reply) => {
                    for part in render::html(&reply) {
                        let sent = send::retrying(|| {
                            let mut request = bot
                                .send_message(chat, part.clone())
                                .parse_mode(ParseMode::Html);
                            if let Some(k) = render::keyboard(&reply) {
                                request = request.reply_markup(k);
                            }
                            request
                        })
                        .await;
                        log_failure(chat, sent.map(|_| ()));
                    }
                }
                None => notice = Some(text(Phrase::Expired, lang)),
            },
            _ => notice = Some(text(Phrase::Expired, lang)),
        },
    }
    // Every callback query is answered, so the button stops spinning.
    let answered = send::retrying(|| {
        let mut request = bot.answer_callback_query(q.id.clone());
        if let Some(n) = notice {
            request = request.text(n);
        }
        request
    })
    .await;
    if let Err(e) = answered {
        tracing::warn!(error = %e, "could not answer a callback query");
    }
    Ok(())
}

/// Inline results for a query: up to ten matching facts, each carrying its
/// sourced text, in the query's language.
pub fn inline_results(engine: &Engine, query: &str) -> Vec<InlineQueryResult> {
    let lang = crate::normalize::detect_lang(query);
    engine
        .search(query, INLINE_RESULTS)
        .into_iter()
        .filter_map(|fact| {
            let reply = engine.open(&Target::Fact(fact.id.clone()), lang)?;
            let title = fact.title.get(lang);
            let content = InputMessageContentText::new(render::titled(title, &reply))
                .parse_mode(ParseMode::Html);
            let description: String = reply.body.chars().take(120).collect();
            Some(InlineQueryResult::Article(
                InlineQueryResultArticle::new(
                    fact.id.clone(),
                    title.to_string(),
                    InputMessageContent::Text(content),
                )
                .description(description),
            ))
        })
        .collect()
}

async fn on_inline(bot: Bot, q: InlineQuery, app: Shared) -> HandlerResult {
    let results = inline_results(&app.engine, &q.query);
    let answered = send::retrying(|| {
        bot.answer_inline_query(q.id.clone(), results.clone())
            .cache_time(300)
    })
    .await;
    if let Err(e) = answered {
        tracing::warn!(error = %e, "could not answer an inline query");
    }
    Ok(())
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
