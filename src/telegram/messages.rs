//! Messages: commands, and questions in private chats or addressed to the
//! bot in groups (by /ask, a reply or an @mention), in texts and captions.

use std::time::Instant;

use teloxide::prelude::*;
use teloxide::types::Me;
use teloxide::utils::command::BotCommands;

use super::address::{addressed_question, message_text};
use super::buttons::topics_page;
use super::conversations::Key;
use super::limiter::Verdict;
use super::reply::{send, send_reply};
use super::{
    admin, say, subscriptions, text, ui_lang, App, Command, Dest, HandlerResult, Phrase, Shared,
};
use crate::answer::Target;
use crate::lang::Lang;

pub(super) async fn on_message(bot: Bot, msg: Message, me: Me, app: Shared) -> HandlerResult {
    subscriptions::on_migration(&msg, &app);
    let Some((text, _)) = message_text(&msg) else {
        if msg.chat.is_private() {
            let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
            say(
                &bot,
                &app,
                Dest::answering(&msg),
                self::text(Phrase::NotText, lang),
            )
            .await;
        }
        return Ok(());
    };
    if looks_like_command(text) {
        // A caption holding a command for this bot is that command.
        if let Ok(cmd) = Command::parse(text, me.username()) {
            return on_command(bot, msg, cmd, me, app).await;
        }
        // Commands for other bots, or unknown ones, are not questions.
        if msg.chat.is_private() {
            let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
            if let Some(reply) =
                crate::answer::intent_reply(app.engine().knowledge(), "help", lang, 1.0)
            {
                send_reply(&bot, &app, Dest::answering(&msg), &reply).await;
            }
        }
        return Ok(());
    }
    if let Some(question) = addressed_question(&msg, &me) {
        answer(&bot, &msg, &question, &me, &app).await;
    }
    Ok(())
}

/// Telegram's form of a command: `/name` or `/name@bot`, names of up to 32
/// Latin letters, digits and underscores. "/科學園幾大" is not one.
fn looks_like_command(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('/') else {
        return false;
    };
    let word = rest.split(char::is_whitespace).next().unwrap_or_default();
    let name = word.split('@').next().unwrap_or_default();
    (1..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub(super) async fn on_command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    me: Me,
    app: Shared,
) -> HandlerResult {
    let lang = ui_lang(&app, msg.chat.id, msg.from.as_ref());
    let dest = Dest::answering(&msg);
    let engine = app.engine();
    let k = engine.knowledge();
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
            match target.and_then(|t| app.engine().open(&t, lang)) {
                Some(reply) => {
                    send_reply(&bot, &app, dest, &reply).await;
                }
                None => say(&bot, &app, dest, text(Phrase::Welcome, lang)).await,
            }
        }
        Command::Help | Command::About => {
            let id = if cmd == Command::Help {
                "help"
            } else {
                "about"
            };
            if let Some(reply) = crate::answer::intent_reply(k, id, lang, 1.0) {
                send_reply(&bot, &app, dest, &reply).await;
            }
        }
        Command::Ask(question) if question.trim().is_empty() => {
            say(&bot, &app, dest, text(Phrase::AskWhat, lang)).await;
        }
        Command::Ask(question) => answer(&bot, &msg, &question, &me, &app).await,
        Command::Topics => {
            let markup = topics_page(&app.engine(), lang, 0);
            if let Err(e) = send(
                &bot,
                &app,
                dest,
                text(Phrase::TopicsIntro, lang),
                false,
                Some(markup),
            )
            .await
            {
                super::reply::log_failure(dest.chat, &e);
            }
        }
        Command::Lang(arg) => set_lang(&bot, &msg, &arg, lang, &app).await,
        Command::Subscribe(args) => subscriptions::subscribe(&bot, &msg, &args, &app).await,
        Command::Unsubscribe => subscriptions::unsubscribe(&bot, &msg, &app).await,
        Command::Milestones => subscriptions::milestones(&bot, &msg, &app).await,
        Command::Announce(id) => subscriptions::announce_now(&bot, &msg, &id, &app).await,
    }
    Ok(())
}

/// Whether the sender may change the chat's settings; tells them when not.
pub(super) async fn admins_only(bot: &Bot, msg: &Message, lang: Lang, app: &App) -> bool {
    let allowed = admin::is_admin(bot, msg, app).await.unwrap_or_else(|e| {
        tracing::warn!(chat = %super::chat_key(msg.chat.id), error = %e, "cannot check admin rights");
        false
    });
    if !allowed {
        say(
            bot,
            app,
            Dest::answering(msg),
            text(Phrase::AdminsOnly, lang),
        )
        .await;
    }
    allowed
}

async fn set_lang(bot: &Bot, msg: &Message, arg: &str, lang: Lang, app: &App) {
    if !admins_only(bot, msg, lang, app).await {
        return;
    }
    let dest = Dest::answering(msg);
    let choice = match arg.trim() {
        "auto" => Ok(None),
        other => other.parse::<Lang>().map(Some),
    };
    match choice {
        Err(_) => say(bot, app, dest, text(Phrase::LangUsage, lang)).await,
        Ok(choice) => {
            let saved = app.store().set_chat_lang(msg.chat.id.0, choice);
            if let Err(e) = saved {
                tracing::error!(error = %e, "cannot save the chat language");
                return say(bot, app, dest, text(Phrase::TryLater, lang)).await;
            }
            let confirmation = match choice {
                Some(chosen) => text(Phrase::LangSet, chosen),
                None => text(Phrase::LangAuto, lang),
            };
            say(bot, app, dest, confirmation).await;
        }
    }
}

/// Whether a user may have the bot act now; past the limit they are told
/// once (`Warn`), then ignored until their minute has passed.
pub(super) fn within_limit(app: &App, user: u64) -> Verdict {
    app.limiter.check(user, Instant::now())
}

/// The conversation a message follows up on: the private chat, or in a
/// group the bot's answer it replies to (none otherwise).
fn follows_up(msg: &Message, me: &Me) -> Option<Key> {
    if msg.chat.is_private() {
        return Some(Key::Private(msg.chat.id.0));
    }
    let answered = msg.reply_to_message()?;
    answered
        .from
        .as_ref()
        .is_some_and(|u| u.id == me.id)
        .then_some(Key::Answer {
            chat: msg.chat.id.0,
            message: answered.id.0,
        })
}

/// Answers a question, within the user's rate limit, following up on the
/// conversation it belongs to, and logs it for curators when the engine
/// could not answer.
async fn answer(bot: &Bot, msg: &Message, question: &str, me: &Me, app: &App) {
    let dest = Dest::answering(msg);
    let user = msg.from.as_ref().map_or(msg.chat.id.0 as u64, |u| u.id.0);
    match within_limit(app, user) {
        Verdict::Answer => {}
        Verdict::Warn => {
            let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
            return say(bot, app, dest, text(Phrase::SlowDown, lang)).await;
        }
        Verdict::Ignore => return,
    }
    let key = follows_up(msg, me);
    let context = key.and_then(|k| app.conversations.get(k, Instant::now()));
    let chat_lang = app.chat_lang(msg.chat.id);
    let started = Instant::now();
    let turn = app.engine().converse(question, context.as_ref(), chat_lang);
    metrics::histogram!(super::metrics::ENGINE_SECONDS).record(started.elapsed().as_secs_f64());
    let reply = turn.reply;
    let outcome = serde_json::to_value(reply.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    metrics::counter!(super::metrics::QUESTIONS, "outcome" => outcome, "lang" => reply.lang.code())
        .increment(1);
    if let Err(e) = app.store().record_question(&reply, turn.resolved.is_some()) {
        tracing::warn!(error = %e, "cannot record a question in the usage statistics");
    }
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
    let sent = send_reply(bot, app, dest, &reply).await;
    let Some(context) = turn.context else {
        return;
    };
    let now = Instant::now();
    if msg.chat.is_private() {
        app.conversations
            .put(Key::Private(msg.chat.id.0), context, now);
    } else {
        for id in sent {
            let key = Key::Answer {
                chat: msg.chat.id.0,
                message: id.0,
            };
            app.conversations.put(key, context.clone(), now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_command;

    #[test]
    fn commands_have_telegrams_form() {
        assert!(looks_like_command("/ask how big"));
        assert!(looks_like_command("/ask@other_bot hi"));
        assert!(looks_like_command("/start"));
        assert!(!looks_like_command("/科學園幾大"));
        assert!(!looks_like_command("/ ask"));
        assert!(!looks_like_command("how /ask"));
    }
}
