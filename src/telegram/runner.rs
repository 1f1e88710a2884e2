//! Hands updates to the handler tree: one at a time per chat (so a chat's
//! answers keep its order), many chats at once, each update behind a panic
//! boundary, and with a stop that is bounded whatever the backlog.
//!
//! teloxide's own dispatcher is not used: a panic there kills the chat's
//! worker and then the process, a full worker queue blocks it and loses the
//! shutdown signal, and it logs unhandled updates whole. Here a panic is
//! logged with the update's id only, the asker gets an apology where a reply
//! is possible, and the bot goes on.

use std::collections::{HashMap, VecDeque};
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{Me, UpdateKind};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::inbox::unix_now;
use super::{say, text, ui_lang, Dest, Phrase, Shared};

/// Updates handled at the same time, across chats.
const CONCURRENCY: usize = 64;

/// What orders updates: a chat's updates are handled one after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Lane {
    Chat(i64),
    User(u64),
    Alone(u32),
}

fn lane(update: &Update) -> Lane {
    if let Some(chat) = update.chat() {
        Lane::Chat(chat.id.0)
    } else if let Some(user) = update.from() {
        Lane::User(user.id.0)
    } else {
        Lane::Alone(update.id.0)
    }
}

struct Inner {
    handler: UpdateHandler<anyhow::Error>,
    bot: Bot,
    me: Me,
    app: Shared,
    lanes: Mutex<HashMap<Lane, VecDeque<Update>>>,
    permits: Semaphore,
    tasks: TaskTracker,
    cancel: CancellationToken,
    in_hand: AtomicUsize,
}

/// Runs the handler tree over submitted updates.
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

impl Runner {
    pub fn new(handler: UpdateHandler<anyhow::Error>, bot: Bot, me: Me, app: Shared) -> Runner {
        Runner {
            inner: Arc::new(Inner {
                handler,
                bot,
                me,
                app,
                lanes: Mutex::new(HashMap::new()),
                permits: Semaphore::new(CONCURRENCY),
                tasks: TaskTracker::new(),
                cancel: CancellationToken::new(),
                in_hand: AtomicUsize::new(0),
            }),
        }
    }

    /// Updates submitted and not yet handled.
    pub fn in_hand(&self) -> usize {
        self.inner.in_hand.load(Ordering::SeqCst)
    }

    /// Queues an update behind its chat's earlier ones.
    pub fn submit(&self, update: Update) {
        let lane = lane(&update);
        self.inner.in_hand.fetch_add(1, Ordering::SeqCst);
        let idle = {
            let mut lanes = self.inner.lanes.lock().unwrap_or_else(|e| e.into_inner());
            let queue = lanes.entry(lane).or_default();
            queue.push_back(update);
            queue.len() == 1
        };
        if idle {
            let inner = self.inner.clone();
            self.inner
                .tasks
                .spawn(async move { inner.drain(lane).await });
        }
    }

    /// Stops: what is in hand may finish within `deadline`; the rest stays
    /// in the inbox for the next start. Returns how many were left.
    pub async fn stop(&self, deadline: Duration) -> usize {
        self.inner.tasks.close();
        if tokio::time::timeout(deadline, self.inner.tasks.wait())
            .await
            .is_err()
        {
            self.inner.cancel.cancel();
            self.inner.tasks.wait().await;
        }
        self.in_hand()
    }
}

impl Inner {
    /// Handles a lane's updates in order until it is empty.
    async fn drain(&self, lane: Lane) {
        loop {
            // The update stays at the head of its lane while it is handled, so
            // that a new one for the lane queues behind it instead of starting
            // a second drain.
            let next = {
                let lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
                lanes.get(&lane).and_then(|q| q.front().cloned())
            };
            let Some(update) = next else { return };
            let handled = tokio::select! {
                _ = self.cancel.cancelled() => false,
                _ = self.handle_one(update) => true,
            };
            if !handled {
                return;
            }
            self.in_hand.fetch_sub(1, Ordering::SeqCst);
            let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(queue) = lanes.get_mut(&lane) {
                queue.pop_front();
                if queue.is_empty() {
                    lanes.remove(&lane);
                    return;
                }
            }
        }
    }

    async fn handle_one(&self, update: Update) {
        let Ok(_permit) = self.permits.acquire().await else {
            return;
        };
        let id = update.id.0;
        tracing::debug!(update = id, "handling");
        let deps = dptree::deps![
            update.clone(),
            self.bot.clone(),
            self.me.clone(),
            self.app.clone()
        ];
        match AssertUnwindSafe(self.handler.dispatch(deps))
            .catch_unwind()
            .await
        {
            Ok(ControlFlow::Break(Ok(()))) => {}
            Ok(ControlFlow::Break(Err(e))) => {
                tracing::error!(update = id, error = %e, "handling an update failed")
            }
            Ok(ControlFlow::Continue(_)) => {
                tracing::debug!(
                    update = id,
                    kind = kind_name(&update.kind),
                    "ignored an update"
                )
            }
            Err(_) => {
                tracing::error!(update = id, "handling an update panicked; carrying on");
                self.apologise(&update).await;
            }
        }
        if let Err(e) = self.app.store().inbox_settle(id, unix_now()) {
            tracing::error!(update = id, error = %e, "cannot mark an update handled");
        }
    }

    /// Tells the asker something went wrong, where there is someone to tell.
    async fn apologise(&self, update: &Update) {
        if let UpdateKind::Message(msg) = &update.kind {
            let lang = ui_lang(&self.app, msg.chat.id, msg.from.as_ref());
            let apology = text(Phrase::Oops, lang);
            // The apology must not itself bring the bot down.
            let sent = AssertUnwindSafe(say(&self.bot, &self.app, Dest::answering(msg), apology))
                .catch_unwind()
                .await;
            if sent.is_err() {
                tracing::error!(update = update.id.0, "could not apologise");
            }
        }
    }
}

/// The kind of an update, for logs that must not carry its content.
fn kind_name(kind: &UpdateKind) -> &'static str {
    match kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited message",
        UpdateKind::ChannelPost(_) | UpdateKind::EditedChannelPost(_) => "channel post",
        UpdateKind::CallbackQuery(_) => "button press",
        UpdateKind::InlineQuery(_) | UpdateKind::ChosenInlineResult(_) => "inline query",
        UpdateKind::MyChatMember(_) | UpdateKind::ChatMember(_) => "membership",
        UpdateKind::MessageReaction(_) | UpdateKind::MessageReactionCount(_) => "reaction",
        _ => "other",
    }
}
