//! Receiving updates through a webhook: the listener is bound before
//! Telegram is told the URL, every call must carry the secret, an update is
//! answered 200 only once it is in the inbox (Telegram retries otherwise),
//! and `GET /healthz` says whether the bot is serving.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use teloxide::prelude::*;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::poll::accept;
use super::runner::Runner;
use super::Shared;

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Binds the webhook's address, or says which address could not be bound.
pub async fn bind(address: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {address} for the webhook: {e}"))
}

#[derive(Clone)]
struct Receiver {
    app: Shared,
    runner: Runner,
    secret: String,
}

/// Compares without stopping at the first difference, so timing tells nothing.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, r.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let Ok(update) = serde_json::from_str::<Update>(text) else {
        return StatusCode::BAD_REQUEST;
    };
    if accept(&r.app, &r.runner, vec![(update, text.to_string())]) {
        StatusCode::OK
    } else {
        // Not recorded: Telegram will post it again.
        StatusCode::SERVICE_UNAVAILABLE
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Serves the webhook at `path` and `/healthz` until `stop`.
pub async fn serve(
    listener: TcpListener,
    path: &str,
    secret: String,
    app: Shared,
    runner: Runner,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let path = if path.is_empty() { "/" } else { path };
    let router = Router::new()
        .route(path, post(receive))
        .route("/healthz", get(healthz))
        .with_state(Receiver {
            app,
            runner,
            secret,
        });
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
        .map_err(|e| anyhow::anyhow!("the webhook server failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret(b"abc_-1", b"abc_-1"));
        assert!(!same_secret(b"abc_-2", b"abc_-1"));
        assert!(!same_secret(b"abc", b"abc_-1"));
        assert!(!same_secret(b"", b"abc"));
    }
}
