//! The one path every request to Telegram takes: Telegram's message limits
//! respected before they are hit, flood waits (429) honoured, faults retried
//! with jittered exponential backoff under a deadline, and every failure told
//! apart by whether Telegram may have received the request.
//!
//! | what happened                                     | class              | a reply          | an announcement |
//! |---------------------------------------------------|--------------------|------------------|-----------------|
//! | 429 with `retry_after`                            | not delivered      | wait, retry      | wait, retry     |
//! | connection refused, DNS failure, TLS failure      | not delivered      | back off, retry  | back off, retry |
//! | timeout or reset after the request was written    | maybe delivered    | back off, retry  | stop: `unknown` |
//! | 5xx, or a body that is not Telegram's JSON        | maybe delivered    | back off, retry  | stop: `unknown` |
//! | 403 blocked/kicked, chat not found                | gone               | give up          | end subscription|
//! | group upgraded to a supergroup                    | migrated           | give up          | follow the group|
//! | any other 4xx                                     | rejected           | give up          | `failed`        |
//!
//! Question replies may be sent twice in a rare fault (a duplicate answer is
//! better than a lost one); announcements never are, because a duplicate in
//! a group is worse than a missed reminder. Nothing here logs a URL, so the
//! bot token never reaches a log line.

use std::collections::{HashMap, VecDeque};
use std::future::IntoFuture;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::Duration;

use teloxide::types::ChatId;
use teloxide::{ApiError, RequestError};
use tokio::time::Instant;

/// Messages per second across all chats unless the operator says otherwise
/// (Telegram allows about 30; the margin absorbs timing on the wire).
pub const DEFAULT_MESSAGES_PER_SECOND: usize = 25;
/// Longest flood wait honoured; Telegram asks for seconds, rarely minutes.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How sure we are that a failed request did not reach Telegram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Flood control: nothing was done; try again after this long.
    Wait(Duration),
    /// The request never reached Telegram (connection refused, DNS, TLS).
    NotDelivered(String),
    /// Telegram may have acted on it (timeout, reset mid-response, 5xx).
    MaybeDelivered(String),
    /// The bot can no longer write to this chat (blocked, kicked, not found).
    Gone(String),
    /// The group became the supergroup with this id.
    Migrated(i64),
    /// Telegram refused this request for good (any other 4xx).
    Rejected(String),
    /// The token was refused: no request will ever succeed.
    Unauthorized,
}

/// Why a request finally failed, in words safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the bot can no longer write to this chat ({0})")]
    Gone(String),
    #[error("the group became the supergroup {0}")]
    Migrated(i64),
    #[error("Telegram refused the request: {0}")]
    Rejected(String),
    #[error("Telegram refused the bot token")]
    Unauthorized,
    /// Faults that proved the request undelivered lasted past the deadline.
    #[error("gave up after {:.0?}: {last}", .after)]
    NotDelivered { after: Duration, last: String },
    /// Telegram may have received it (see the table above); only `Policy::AtMostOnce` stops here.
    #[error("Telegram may or may not have received it: {0}")]
    MaybeDelivered(String),
}

/// What to do with a fault that leaves delivery in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Retry until the deadline: for replies, where a duplicate beats a loss.
    Retry,
    /// Stop at the first fault that may have delivered: for announcements.
    AtMostOnce,
}

/// A request error in words safe to log: reqwest errors carry the request
/// URL, which holds the bot token, so only their kind is kept.
pub fn describe(err: &RequestError) -> String {
    match err {
        RequestError::Network(e) => {
            let kind = if e.is_connect() {
                "connection failed"
            } else if e.is_timeout() {
                "timeout"
            } else if e.is_body() || e.is_decode() {
                "the answer was cut off"
            } else if e.is_request() {
                "the connection broke"
            } else {
                "transport error"
            };
            format!("network error: {kind}")
        }
        RequestError::Io(e) => format!("I/O error: {}", e.kind()),
        RequestError::InvalidJson { .. } => "an answer that is not Telegram's JSON".to_string(),
        other => other.to_string(),
    }
}

fn is_gone(err: &ApiError) -> bool {
    matches!(
        err,
        ApiError::BotBlocked
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
    )
}

/// Telegram words every refusal it means (4xx) this way; anything else
/// with `"ok": false` came from a server in trouble.
pub(super) fn is_refusal(description: &str) -> bool {
    [
        "Bad Request",
        "Forbidden",
        "Unauthorized",
        "Not Found",
        "Conflict",
        "Too Many Requests",
    ]
    .iter()
    .any(|prefix| description.starts_with(prefix))
}

pub fn classify(err: &RequestError) -> Fault {
    match err {
        RequestError::RetryAfter(wait) => Fault::Wait(wait.duration()),
        RequestError::MigrateToChatId(to) => Fault::Migrated(to.0),
        RequestError::Api(ApiError::InvalidToken) => Fault::Unauthorized,
        RequestError::Api(api) if is_gone(api) => Fault::Gone(api.to_string()),
        RequestError::Api(ApiError::Unknown(description)) if !is_refusal(description) => {
            Fault::MaybeDelivered(format!("server error: {description}"))
        }
        RequestError::Api(api) => Fault::Rejected(api.to_string()),
        RequestError::Network(e) if e.is_connect() => Fault::NotDelivered(describe(err)),
        RequestError::Network(_) | RequestError::InvalidJson { .. } => {
            Fault::MaybeDelivered(describe(err))
        }
        // Reading a file to upload failed: nothing was sent.
        RequestError::Io(_) => Fault::Rejected(describe(err)),
    }
}

/// Runs a closure when dropped: a gauge goes down however a send ends.
struct Finally<F: FnMut()>(F);

impl<F: FnMut()> Drop for Finally<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// "At most `max` in any `per`".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub max: usize,
    pub per: Duration,
}

/// The message rates Telegram tolerates, kept on our side of the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// All chats together (Telegram: about 30 a second).
    pub overall: Window,
    /// One chat (Telegram: about one a second; short bursts pass).
    pub chat: Window,
    /// One group, on top of `chat` (Telegram: 20 a minute).
    pub group: Window,
    /// How long a reply keeps trying before it is given up and logged.
    pub deadline: Duration,
}

impl Limits {
    pub fn telegram(messages_per_second: usize) -> Limits {
        Limits {
            // Evenly spaced rather than in bursts: kinder to Telegram, and
            // fewer requests in flight when the process dies.
            overall: Window {
                max: 1,
                per: Duration::from_secs(1) / messages_per_second.max(1) as u32,
            },
            chat: Window {
                max: 3,
                per: Duration::from_secs(3),
            },
            group: Window {
                max: 20,
                per: Duration::from_secs(60),
            },
            deadline: Duration::from_secs(300),
        }
    }

    /// No rate limits, a short deadline: for tests against a mock API.
    pub fn unlimited() -> Limits {
        let open = Window {
            max: usize::MAX,
            per: Duration::from_secs(1),
        };
        Limits {
            overall: open,
            chat: open,
            group: open,
            deadline: Duration::from_secs(30),
        }
    }
}

/// Sending times booked in one window, oldest first.
#[derive(Default)]
struct Slots(VecDeque<Instant>);

impl Slots {
    /// The earliest time from `now` that keeps the window, after every
    /// time already booked.
    fn earliest(&mut self, window: Window, now: Instant) -> Instant {
        while self.0.front().is_some_and(|&t| t + window.per <= now) {
            self.0.pop_front();
        }
        let mut at = now.max(self.0.back().copied().unwrap_or(now));
        if self.0.len() >= window.max {
            at = at.max(self.0[self.0.len() - window.max] + window.per);
        }
        at
    }

    fn book(&mut self, at: Instant) {
        self.0.push_back(at);
    }

    fn idle_since(&self, window: Window, now: Instant) -> bool {
        self.0.back().is_none_or(|&t| t + window.per <= now)
    }
}

#[derive(Default)]
struct Booked {
    overall: Slots,
    chats: HashMap<i64, Slots>,
    groups: HashMap<i64, Slots>,
}

/// Outbound traffic for one bot: its limits and the times it has booked.
pub struct Outbound {
    limits: Limits,
    booked: Mutex<Booked>,
}

impl Outbound {
    pub fn new(limits: Limits) -> Outbound {
        Outbound {
            limits,
            booked: Mutex::new(Booked::default()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Waits for a slot to send one message to `chat`: first the chat's own
    /// windows, then the overall one, so a busy group never holds up others.
    async fn slot(&self, chat: ChatId) {
        let chat_at = {
            let mut booked = self.booked.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let limits = self.limits;
            booked.chats.retain(|_, s| !s.idle_since(limits.chat, now));
            booked
                .groups
                .retain(|_, s| !s.idle_since(limits.group, now));
            let Booked { chats, groups, .. } = &mut *booked;
            let own = chats.entry(chat.0).or_default();
            let mut at = own.earliest(limits.chat, now);
            let group = (!chat.is_user()).then(|| groups.entry(chat.0).or_default());
            if let Some(group) = group {
                at = at.max(group.earliest(limits.group, now));
                group.book(at);
            }
            own.book(at);
            at
        };
        tokio::time::sleep_until(chat_at).await;
        let overall_at = {
            let mut booked = self.booked.lock().unwrap_or_else(|e| e.into_inner());
            let at = booked.overall.earliest(self.limits.overall, Instant::now());
            booked.overall.book(at);
            at
        };
        tokio::time::sleep_until(overall_at).await;
    }

    /// Sends a message (or edits one) to `chat` within the limits, retrying as `policy` allows.
    pub async fn message<T, F, Fut>(
        &self,
        chat: ChatId,
        policy: Policy,
        request: F,
    ) -> Result<T, SendError>
    where
        F: FnMut() -> Fut,
        Fut: IntoFuture<Output = Result<T, RequestError>>,
    {
        self.run(Some(chat), policy, request).await
    }

    /// Any other call (answers to buttons and inline queries, lookups): not
    /// counted against message limits, retried the same way.
    pub async fn call<T, F, Fut>(&self, policy: Policy, request: F) -> Result<T, SendError>
    where
        F: FnMut() -> Fut,
        Fut: IntoFuture<Output = Result<T, RequestError>>,
    {
        self.run(None, policy, request).await
    }

    async fn run<T, F, Fut>(
        &self,
        chat: Option<ChatId>,
        policy: Policy,
        mut request: F,
    ) -> Result<T, SendError>
    where
        F: FnMut() -> Fut,
        Fut: IntoFuture<Output = Result<T, RequestError>>,
    {
        let started = Instant::now();
        let deadline = started + self.limits.deadline;
        let mut backoff = FIRST_BACKOFF;
        let in_flight = metrics::gauge!(super::metrics::OUTBOUND_IN_FLIGHT);
        in_flight.increment(1.0);
        let _done = Finally(|| in_flight.decrement(1.0));
        loop {
            if let Some(chat) = chat {
                self.slot(chat).await;
            }
            let err = match request().into_future().await {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            metrics::counter!(super::metrics::TELEGRAM_ERRORS, "kind" => super::metrics::error_kind(&err))
                .increment(1);
            let (wait, last) = match classify(&err) {
                Fault::Wait(wait) if wait <= MAX_RETRY_AFTER => {
                    tracing::info!(
                        seconds = wait.as_secs(),
                        "flood limit: waiting before retrying"
                    );
                    // A little jitter, so that chats told to wait together do not return together.
                    (
                        wait + jitter(FIRST_BACKOFF),
                        format!("flood limit ({}s)", wait.as_secs()),
                    )
                }
                Fault::Wait(wait) => {
                    return Err(SendError::NotDelivered {
                        after: started.elapsed(),
                        last: format!("flood limit of {}s, longer than we wait", wait.as_secs()),
                    })
                }
                Fault::NotDelivered(why) => (next_backoff(&mut backoff), why),
                Fault::MaybeDelivered(why) if policy == Policy::AtMostOnce => {
                    return Err(SendError::MaybeDelivered(why))
                }
                Fault::MaybeDelivered(why) => (next_backoff(&mut backoff), why),
                Fault::Gone(why) => return Err(SendError::Gone(why)),
                Fault::Migrated(to) => return Err(SendError::Migrated(to)),
                Fault::Rejected(why) => return Err(SendError::Rejected(why)),
                Fault::Unauthorized => return Err(SendError::Unauthorized),
            };
            if Instant::now() + wait > deadline {
                return Err(SendError::NotDelivered {
                    after: started.elapsed(),
                    last,
                });
            }
            tracing::debug!(error = %last, wait_ms = wait.as_millis() as u64, "retrying a request");
            tokio::time::sleep(wait).await;
        }
    }
}

/// The current backoff with full jitter in its upper half; doubles it for next time.
fn next_backoff(backoff: &mut Duration) -> Duration {
    let wait = *backoff / 2 + jitter(*backoff / 2);
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
    wait
}

/// A random duration below `max`.
fn jitter(max: Duration) -> Duration {
    let random = RandomState::new().hash_one(Instant::now());
    let millis = max.as_millis().max(1) as u64;
    Duration::from_millis(random % millis)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use teloxide::types::Seconds;

    use super::*;

    fn unlimited() -> Outbound {
        Outbound::new(Limits::unlimited())
    }

    fn server_error() -> RequestError {
        RequestError::Api(ApiError::Unknown("Internal Server Error".into()))
    }

    #[test]
    fn tells_refusals_from_server_trouble() {
        assert!(matches!(
            classify(&server_error()),
            Fault::MaybeDelivered(_)
        ));
        assert!(matches!(
            classify(&RequestError::Api(ApiError::Unknown(
                "Bad Request: message thread not found".into()
            ))),
            Fault::Rejected(_)
        ));
        assert!(matches!(
            classify(&RequestError::Api(ApiError::BotBlocked)),
            Fault::Gone(_)
        ));
        assert_eq!(
            classify(&RequestError::RetryAfter(Seconds::from_seconds(3))),
            Fault::Wait(Duration::from_secs(3))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn waits_out_a_flood_limit_then_succeeds() {
        let calls = AtomicU32::new(0);
        let result = unlimited()
            .call(Policy::Retry, || {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        Err(RequestError::RetryAfter(Seconds::from_seconds(3)))
                    } else {
                        Ok(n)
                    }
                }
            })
            .await;
        assert_eq!(result, Ok(1));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn retries_server_errors_for_replies_until_they_pass() {
        let calls = AtomicU32::new(0);
        let result = unlimited()
            .call(Policy::Retry, || {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < 5 {
                        Err(server_error())
                    } else {
                        Ok(n)
                    }
                }
            })
            .await;
        assert_eq!(result, Ok(5));
    }

    #[tokio::test(start_paused = true)]
    async fn announcements_stop_at_the_first_fault_that_may_have_delivered() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = unlimited()
            .call(Policy::AtMostOnce, || {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Err(server_error()) }
            })
            .await;
        assert!(matches!(result, Err(SendError::MaybeDelivered(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline() {
        let start = Instant::now();
        let result: Result<(), _> = unlimited()
            .call(Policy::Retry, || async { Err(server_error()) })
            .await;
        assert!(matches!(result, Err(SendError::NotDelivered { .. })));
        assert!(start.elapsed() <= Limits::unlimited().deadline);
        assert!(start.elapsed() >= Limits::unlimited().deadline - MAX_BACKOFF);
    }

    #[tokio::test(start_paused = true)]
    async fn a_blocked_chat_is_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = unlimited()
            .call(Policy::Retry, || {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Err(RequestError::Api(ApiError::BotBlocked)) }
            })
            .await;
        assert!(matches!(result, Err(SendError::Gone(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn keeps_each_window() {
        let out = Outbound::new(Limits::telegram(30));
        let start = Instant::now();
        let group = ChatId(-100);
        let mut times = Vec::new();
        for _ in 0..25 {
            out.message(group, Policy::Retry, || async { Ok::<_, RequestError>(()) })
                .await
                .unwrap();
            times.push(start.elapsed());
        }
        // 3 in any 3 seconds for the chat, 20 in any minute for the group.
        for pair in times.windows(4) {
            assert!(pair[3] - pair[0] >= Duration::from_secs(3), "{times:?}");
        }
        assert!(times[20] - times[0] >= Duration::from_secs(60), "{times:?}");

        let start = Instant::now();
        for user in 1..=90 {
            out.message(ChatId(user), Policy::Retry, || async {
                Ok::<_, RequestError>(())
            })
            .await
            .unwrap();
        }
        // 90 private chats at 30 a second overall.
        assert!(
            start.elapsed() >= Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}
