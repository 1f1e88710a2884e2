//! Where a conversation lives in Telegram. In a private chat, for ten
//! minutes after the last answer; in a group, only in the reply chain: a
//! reply to one of the bot's answers follows up on that answer, so two
//! people asking at once never mix; inline mode has none. Held in memory
//! only, bounded (the least recently used goes first), never persisted or
//! logged.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::conversation::Context;

/// How long a private conversation lasts after the last answer.
pub const PRIVATE_TTL: Duration = Duration::from_secs(10 * 60);
/// How long a group answer can be followed up by replying to it.
pub const REPLY_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Conversations held at most; beyond, the least recently used is dropped.
pub const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A private chat, by its id.
    Private(i64),
    /// A group answer, by chat and message id: replies to it follow up.
    Answer { chat: i64, message: i32 },
}

impl Key {
    fn ttl(&self) -> Duration {
        match self {
            Key::Private(_) => PRIVATE_TTL,
            Key::Answer { .. } => REPLY_TTL,
        }
    }
}

pub struct Conversations {
    held: Mutex<HashMap<Key, (Context, Instant)>>,
    capacity: usize,
}

impl Default for Conversations {
    fn default() -> Self {
        Conversations::with_capacity(CAPACITY)
    }
}

impl Conversations {
    pub fn with_capacity(capacity: usize) -> Conversations {
        Conversations {
            held: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (Context, Instant)>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The context of a conversation, if it has not expired.
    pub fn get(&self, key: Key, now: Instant) -> Option<Context> {
        let mut held = self.held();
        let (context, at) = held.get(&key)?;
        if now.saturating_duration_since(*at) > key.ttl() {
            held.remove(&key);
            return None;
        }
        Some(context.clone())
    }

    /// Keeps a conversation's context from `now`.
    pub fn put(&self, key: Key, context: Context, now: Instant) {
        let mut held = self.held();
        if !held.contains_key(&key) && held.len() >= self.capacity {
            if let Some(oldest) = held.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| *k) {
                held.remove(&oldest);
            }
        }
        held.insert(key, (context, now));
    }

    pub fn forget(&self, key: Key) {
        self.held().remove(&key);
    }

    pub fn len(&self) -> usize {
        self.held().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Target;
    use crate::lang::Lang;

    fn context(topic: &str) -> Context {
        Context {
            target: Target::Topic(topic.into()),
            topic: topic.into(),
            asked: String::new(),
            lang: Lang::En,
        }
    }

    #[test]
    fn private_conversations_expire_ten_minutes_after_the_last_answer() {
        let c = Conversations::default();
        let start = Instant::now();
        c.put(Key::Private(1), context("itf"), start);
        assert!(c.get(Key::Private(1), start + PRIVATE_TTL).is_some());
        assert!(
            c.get(Key::Private(2), start).is_none(),
            "another chat has none"
        );
        assert!(c
            .get(
                Key::Private(1),
                start + PRIVATE_TTL + Duration::from_secs(1)
            )
            .is_none());
        assert!(c.is_empty(), "expired ones are dropped");
    }

    #[test]
    fn the_least_recently_answered_goes_first_when_full() {
        let c = Conversations::with_capacity(2);
        let start = Instant::now();
        c.put(Key::Private(1), context("a"), start);
        c.put(
            Key::Private(2),
            context("b"),
            start + Duration::from_secs(1),
        );
        c.put(
            Key::Private(1),
            context("a2"),
            start + Duration::from_secs(2),
        );
        c.put(
            Key::Private(3),
            context("c"),
            start + Duration::from_secs(3),
        );
        assert_eq!(c.len(), 2);
        assert!(c.get(Key::Private(2), start).is_none());
        assert_eq!(c.get(Key::Private(1), start).unwrap().topic, "a2");
    }
}
