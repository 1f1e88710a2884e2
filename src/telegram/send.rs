//! Talking to Telegram without losing messages or leaking the token:
//! flood limits (429) are waited out, network faults retried with backoff,
//! and chats that blocked or removed the bot are reported as such.

use std::future::IntoFuture;
use std::time::Duration;

use teloxide::{ApiError, RequestError};

const ATTEMPTS: u32 = 4;
/// Longest flood wait honoured in line; beyond it the send fails and is logged.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Why a send finally failed, in words safe to log (never a URL, so never the token).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SendError {
    #[error("the bot can no longer write to this chat ({0})")]
    Gone(String),
    #[error("Telegram kept asking to wait (flood limit)")]
    Flooded,
    #[error("network fault talking to Telegram: {0}")]
    Network(String),
    #[error("Telegram refused the request: {0}")]
    Refused(String),
    #[error("the group became the supergroup {0}")]
    Migrated(i64),
}

/// A request error in words safe to log: reqwest errors carry the request
/// URL, which holds the bot token, so only their kind is kept.
pub fn describe(err: &RequestError) -> String {
    match err {
        RequestError::Network(e) => {
            let kind = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "connection failed"
            } else if e.is_request() {
                "request failed"
            } else {
                "transport error"
            };
            format!("network error: {kind}")
        }
        RequestError::Io(e) => format!("I/O error: {}", e.kind()),
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

/// Runs a request, retrying what can succeed later.
pub async fn retrying<T, F, Fut>(mut request: F) -> Result<T, SendError>
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = Result<T, RequestError>>,
{
    let mut backoff = Duration::from_millis(500);
    let mut last = SendError::Flooded;
    for _ in 0..ATTEMPTS {
        match request().into_future().await {
            Ok(value) => return Ok(value),
            Err(RequestError::RetryAfter(wait)) => {
                let wait = wait.duration();
                if wait > MAX_RETRY_AFTER {
                    return Err(SendError::Flooded);
                }
                tracing::info!(
                    seconds = wait.as_secs(),
                    "flood limit: waiting before retrying"
                );
                tokio::time::sleep(wait).await;
                last = SendError::Flooded;
            }
            Err(e @ (RequestError::Network(_) | RequestError::Io(_))) => {
                last = SendError::Network(describe(&e));
                tracing::warn!(error = %describe(&e), "retrying after a network fault");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            Err(RequestError::MigrateToChatId(to)) => return Err(SendError::Migrated(to.0)),
            Err(RequestError::Api(api)) if is_gone(&api) => {
                return Err(SendError::Gone(api.to_string()));
            }
            Err(e) => return Err(SendError::Refused(describe(&e))),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use teloxide::types::Seconds;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_out_a_flood_limit_then_succeeds() {
        let calls = AtomicU32::new(0);
        let result = retrying(|| {
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
    async fn a_blocked_chat_is_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = retrying(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(RequestError::Api(ApiError::BotBlocked)) }
        })
        .await;
        assert!(matches!(result, Err(SendError::Gone(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_repeated_flood_limits() {
        let result: Result<(), _> =
            retrying(|| async { Err(RequestError::RetryAfter(Seconds::from_seconds(1))) }).await;
        assert_eq!(result, Err(SendError::Flooded));
    }
}
