//! /subscribe, /unsubscribe, /milestones and /announce, and keeping
//! subscriptions right when the bot is removed or a group is upgraded.

use teloxide::prelude::*;
use teloxide::types::ChatMemberUpdated;

use super::chat_key;
use super::messages::admins_only;
use super::{say, text, ui_lang, Dest, Phrase, Shared};
use crate::announce::{card, due_on, hong_kong_now, plan::NOW, Subscription};
use crate::lang::Lang;

/// Parses "/subscribe anniversaries hour=9 cap=2" onto a subscription.
pub fn parse_settings(args: &str, mut s: Subscription) -> Result<Subscription, String> {
    for word in args.split_whitespace() {
        match word.split_once('=') {
            None if word == "anniversaries" => (s.anniversaries, s.planned) = (true, false),
            None if word == "planned" => (s.anniversaries, s.planned) = (false, true),
            None if word == "all" => (s.anniversaries, s.planned) = (true, true),
            Some(("hour", h)) => {
                s.hour = h
                    .parse()
                    .ok()
                    .filter(|h| *h < 24)
                    .ok_or("hour is 0 to 23")?
            }
            Some(("cap", c)) => {
                s.daily_cap = c
                    .parse()
                    .ok()
                    .filter(|c| (1..=10).contains(c))
                    .ok_or("cap is 1 to 10")?
            }
            _ => return Err(format!("unknown setting {word:?}")),
        }
    }
    Ok(s)
}

pub async fn subscribe(bot: &Bot, msg: &Message, args: &str, app: &Shared) {
    let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
    if !admins_only(bot, msg, lang, app).await {
        return;
    }
    let (today, _) = hong_kong_now();
    let current = app.store().subscription(msg.chat.id.0).ok().flatten();
    let base = current.unwrap_or_else(|| Subscription::new(msg.chat.id.0, today));
    let reply = match parse_settings(args, base) {
        Err(why) => format!("{why}. {}", text(Phrase::SubscribeUsage, lang)),
        Ok(s) => match app.store().subscribe(&s) {
            Ok(()) => {
                let kinds = match (s.anniversaries, s.planned) {
                    (true, true) => Phrase::KindsAll,
                    (true, false) => Phrase::KindsAnniversaries,
                    _ => Phrase::KindsPlanned,
                };
                text(Phrase::Subscribed, lang)
                    .replace("{kinds}", text(kinds, lang))
                    .replace("{hour}", &s.hour.to_string())
                    .replace("{cap}", &s.daily_cap.to_string())
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot save a subscription");
                text(Phrase::TryLater, lang).to_string()
            }
        },
    };
    say(bot, app, Dest::answering(msg), &reply).await;
}

pub async fn unsubscribe(bot: &Bot, msg: &Message, app: &Shared) {
    let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
    if !admins_only(bot, msg, lang, app).await {
        return;
    }
    let ended = app
        .store()
        .unsubscribe(msg.chat.id.0, "unsubscribed by an admin");
    let reply = match ended {
        Ok(true) => text(Phrase::Unsubscribed, lang),
        Ok(false) => text(Phrase::NotSubscribed, lang),
        Err(e) => {
            tracing::error!(error = %e, "cannot end a subscription");
            text(Phrase::TryLater, lang)
        }
    };
    say(bot, app, Dest::answering(msg), reply).await;
}

/// The next milestones due and the recent ones.
pub fn milestones_text(app: &Shared, lang: Lang, today: time::Date) -> String {
    let engine = app.engine();
    let k = engine.knowledge();
    let title = |id: &str| {
        k.fact(id)
            .map(|f| f.title.get(lang).to_string())
            .unwrap_or_default()
    };
    let mut next = Vec::new();
    for ahead in 0..=366 {
        let day = today + time::Duration::days(ahead);
        next.extend(
            due_on(k, day)
                .into_iter()
                .map(|d| format!("{} — {}", d.on, title(&d.fact))),
        );
        if next.len() >= 5 {
            break;
        }
    }
    let mut recent = Vec::new();
    for back in 1..=60 {
        let day = today - time::Duration::days(back);
        recent.extend(
            due_on(k, day)
                .into_iter()
                .map(|d| format!("{} — {}", d.on, title(&d.fact))),
        );
    }
    recent.truncate(5);
    let list = |items: &[String]| {
        if items.is_empty() {
            format!("  {}", text(Phrase::NoneYet, lang))
        } else {
            items
                .iter()
                .map(|i| format!("  {i}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    text(Phrase::MilestoneList, lang)
        .replace("{next}", &list(&next[..next.len().min(5)]))
        .replace("{recent}", &list(&recent))
}

pub async fn milestones(bot: &Bot, msg: &Message, app: &Shared) {
    let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
    let (today, _) = hong_kong_now();
    say(
        bot,
        app,
        Dest::answering(msg),
        &milestones_text(app, lang, today),
    )
    .await;
}

/// Posts one milestone's card now, for admins.
pub async fn announce_now(bot: &Bot, msg: &Message, id: &str, app: &Shared) {
    let lang = ui_lang(app, msg.chat.id, msg.from.as_ref());
    if !admins_only(bot, msg, lang, app).await {
        return;
    }
    let engine = app.engine();
    let k = engine.knowledge();
    let (today, _) = hong_kong_now();
    let chat_lang = app.chat_lang(msg.chat.id).unwrap_or(lang);
    match k
        .fact(id.trim())
        .and_then(|f| card(k, f, NOW, chat_lang, today, today))
    {
        Some(text) => say(bot, app, Dest::answering(msg), &text).await,
        None => {
            say(
                bot,
                app,
                Dest::answering(msg),
                text(Phrase::AnnounceUsage, lang),
            )
            .await
        }
    }
}

/// The bot's own membership changed. Added to a group, it says once how to
/// ask it; removed from a chat or blocked, the chat's subscription ends.
pub async fn on_my_chat_member(
    bot: Bot,
    update: ChatMemberUpdated,
    app: Shared,
) -> anyhow::Result<()> {
    let (was, is) = (
        update.old_chat_member.is_present(),
        update.new_chat_member.is_present(),
    );
    if !is {
        let ended = app
            .store()
            .unsubscribe(update.chat.id.0, "the bot was removed from the chat")?;
        if ended {
            tracing::info!(chat = %chat_key(update.chat.id), "subscription ended: bot removed");
        }
    } else if !was && !update.chat.is_private() && !update.chat.is_channel() {
        let lang = ui_lang(&app, update.chat.id, Some(&update.from));
        say(
            &bot,
            &app,
            Dest::chat(update.chat.id),
            text(Phrase::GroupHello, lang),
        )
        .await;
    }
    Ok(())
}

/// A group upgraded to a supergroup keeps its settings and subscription.
pub fn on_migration(msg: &Message, app: &Shared) {
    if let Some(to) = msg.migrate_to_chat_id() {
        if let Err(e) = app.store().migrate_chat(msg.chat.id.0, to.0) {
            tracing::error!(error = %e, "cannot move a migrated group's subscription");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_subscription_settings() {
        let today = time::macros::date!(2026 - 01 - 01);
        let s = parse_settings("planned hour=9 cap=2", Subscription::new(1, today)).unwrap();
        assert!(!s.anniversaries && s.planned);
        assert_eq!((s.hour, s.daily_cap), (9, 2));
        assert!(parse_settings("hour=24", Subscription::new(1, today)).is_err());
        assert!(parse_settings("cap=0", Subscription::new(1, today)).is_err());
        assert!(parse_settings("weekly", Subscription::new(1, today)).is_err());
    }

    #[test]
    fn every_phrase_exists_in_every_language() {
        for lang in Lang::ALL {
            assert!(text(Phrase::Subscribed, lang).contains("{cap}"));
            assert!(text(Phrase::MilestoneList, lang).contains("{recent}"));
        }
    }
}
