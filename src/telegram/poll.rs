//! Long polling into the inbox. Telegram forgets an update when a later
//! `getUpdates` asks for an offset past it; this loop asks for that offset
//! only after the update is recorded in the inbox, so an update is never
//! acknowledged before it is safe on disk.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use tokio_util::sync::CancellationToken;

use super::inbox::unix_now;
use super::outbound::{classify, describe, Fault};
use super::runner::Runner;
use super::Shared;

/// Seconds Telegram holds a `getUpdates` open when there is nothing new
/// (under teloxide's 17-second client timeout).
const LONG_POLL_SECONDS: u32 = 10;
/// Fetching pauses while this many updates wait to be handled.
const MAX_IN_HAND: usize = 1000;
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// The update kinds the bot handles; Telegram sends no others.
pub const ALLOWED: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::InlineQuery,
    AllowedUpdate::MyChatMember,
];

/// Records updates (each with its JSON) in the inbox and submits the new
/// ones; false when the store failed and the batch must be received again.
pub fn accept(app: &Shared, runner: &Runner, updates: Vec<(Update, String)>) -> bool {
    let records: Vec<(u32, String)> = updates
        .iter()
        .map(|(u, json)| (u.id.0, json.clone()))
        .collect();
    let fresh = match app.store().inbox_accept(&records, unix_now()) {
        Ok(fresh) => fresh,
        Err(e) => {
            tracing::error!(error = %e, "cannot record updates in the inbox; Telegram keeps them");
            return false;
        }
    };
    for ((update, _), fresh) in updates.into_iter().zip(fresh) {
        if fresh {
            runner.submit(update);
        } else {
            tracing::debug!(
                update = update.id.0,
                "Telegram delivered an update again; already in hand"
            );
        }
    }
    true
}

/// Polls until `stop`; fails only when the token is refused.
pub async fn poll(
    bot: Bot,
    app: Shared,
    runner: Runner,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    // Offset 0 asks for every update Telegram still holds: those not yet
    // acknowledged, which may include some already in the inbox.
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_secs(1);
    while !stop.is_cancelled() {
        if runner.in_hand() >= MAX_IN_HAND {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = tokio::time::sleep(Duration::from_millis(100)) => continue,
            }
        }
        let request = bot
            .get_updates()
            .offset(offset)
            .timeout(LONG_POLL_SECONDS)
            .allowed_updates(ALLOWED);
        let fetched = tokio::select! {
            _ = stop.cancelled() => break,
            fetched = request.send() => fetched,
        };
        let wait = match fetched {
            Ok(updates) => {
                app.health.fetched();
                let next = updates.iter().map(|u| u.id.0 as i32 + 1).max();
                tracing::debug!(count = updates.len(), ?next, offset, "fetched updates");
                let updates = updates
                    .into_iter()
                    .map(|u| {
                        let json = serde_json::to_string(&u).unwrap_or_default();
                        (u, json)
                    })
                    .collect();
                if accept(&app, &runner, updates) {
                    offset = next.unwrap_or(offset);
                    backoff = Duration::from_secs(1);
                    continue;
                }
                backoff
            }
            Err(e) => match classify(&e) {
                Fault::Unauthorized => {
                    anyhow::bail!("Telegram refused the bot token: check TELOXIDE_TOKEN")
                }
                Fault::Wait(wait) => wait,
                _ => {
                    tracing::warn!(error = %describe(&e), seconds = backoff.as_secs(), "cannot fetch updates; retrying");
                    backoff
                }
            },
        };
        backoff = (backoff * 2).min(MAX_BACKOFF);
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    Ok(())
}
