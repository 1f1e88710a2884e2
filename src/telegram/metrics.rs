//! What an operator sees from outside: Prometheus metrics at `/metrics` and
//! a health check at `/healthz`, on the listener `factbot run
//! --metrics-listen ADDR` opens. Counters are recorded where things happen
//! (questions in `messages`, sends and Telegram's errors in `outbound`);
//! gauges that the store knows (inbox backlog, announcements by state) are
//! read when scraped. No label ever holds user text or an id.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use teloxide::{ApiError, RequestError};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::inbox::unix_now;
use super::Shared;

pub const QUESTIONS: &str = "factbot_questions_total";
pub const ENGINE_SECONDS: &str = "factbot_engine_seconds";
pub const REPLIES_SENT: &str = "factbot_replies_sent_total";
pub const TELEGRAM_ERRORS: &str = "factbot_telegram_errors_total";
pub const OUTBOUND_IN_FLIGHT: &str = "factbot_outbound_in_flight";
pub const INBOX_BACKLOG: &str = "factbot_inbox_backlog";
pub const ANNOUNCEMENTS: &str = "factbot_announcements";
pub const KNOWLEDGE: &str = "factbot_knowledge_info";

/// Long polling that has not succeeded for this long means updates are not
/// being received (a poll lasts at most about 30 s).
const RECEIVING_WITHIN: Duration = Duration::from_secs(90);

/// Whether updates are being received, as `/healthz` reports it.
#[derive(Default)]
pub struct Health {
    /// When Telegram last answered a getUpdates, in Unix seconds.
    last_fetch: AtomicI64,
    /// With a webhook Telegram calls us: a quiet chat is not a fault.
    webhook: AtomicBool,
}

impl Health {
    pub fn fetched(&self) {
        self.last_fetch.store(unix_now(), Ordering::Relaxed);
    }

    pub fn serving_webhook(&self) {
        self.webhook.store(true, Ordering::Relaxed);
    }

    fn receiving(&self) -> bool {
        self.webhook.load(Ordering::Relaxed)
            || unix_now() - self.last_fetch.load(Ordering::Relaxed)
                <= RECEIVING_WITHIN.as_secs() as i64
    }
}

/// Installs the process-wide recorder; its handle renders `/metrics`.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(ENGINE_SECONDS.to_string()),
            &[
                0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05,
            ],
        )
        .map_err(|e| anyhow::anyhow!("cannot set up the metrics: {e}"))?
        .install_recorder()
        .map_err(|e| anyhow::anyhow!("cannot set up the metrics: {e}"))
}

/// The kind of a failed request to Telegram, as the error counter labels it.
pub fn error_kind(err: &RequestError) -> &'static str {
    match err {
        RequestError::RetryAfter(_) => "429",
        RequestError::Api(
            ApiError::BotBlocked | ApiError::BotKicked | ApiError::BotKickedFromSupergroup,
        ) => "403",
        // The same reading as delivery's: an unknown error that is not a
        // refusal came from a server in trouble.
        RequestError::Api(ApiError::Unknown(d)) if !super::outbound::is_refusal(d) => "5xx",
        RequestError::Api(_) | RequestError::MigrateToChatId(_) => "4xx",
        RequestError::InvalidJson { .. } => "5xx",
        RequestError::Network(_) | RequestError::Io(_) => "network",
    }
}

#[derive(Clone)]
struct Scrape {
    app: Shared,
    handle: PrometheusHandle,
}

async fn render(State(s): State<Scrape>) -> String {
    let store = s.app.store();
    if let Ok(backlog) = store.inbox_pending() {
        metrics::gauge!(INBOX_BACKLOG).set(backlog as f64);
    }
    if let Ok(counts) = store.ledger_counts() {
        for (state, n) in counts {
            metrics::gauge!(ANNOUNCEMENTS, "state" => state).set(f64::from(n));
        }
    }
    drop(store);
    let version = s.app.engine().knowledge().version().to_string();
    metrics::gauge!(KNOWLEDGE, "version" => version).set(1.0);
    s.handle.render()
}

async fn healthz(State(s): State<Scrape>) -> (StatusCode, &'static str) {
    if !s.app.health.receiving() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not receiving updates\n");
    }
    // The store's busy timeout bounds the wait for a write lock.
    let app = s.app.clone();
    let writable = tokio::task::spawn_blocking(move || app.store().writable().is_ok())
        .await
        .unwrap_or(false);
    if !writable {
        return (StatusCode::SERVICE_UNAVAILABLE, "database not writable\n");
    }
    (StatusCode::OK, "ok\n")
}

/// Serves `/metrics` and `/healthz` until `stop`.
pub async fn serve(
    listener: TcpListener,
    handle: PrometheusHandle,
    app: Shared,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let router = Router::new()
        .route("/metrics", get(render))
        .route("/healthz", get(healthz))
        .with_state(Scrape { app, handle });
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
        .map_err(|e| anyhow::anyhow!("the metrics server failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::Seconds;

    #[test]
    fn errors_are_counted_by_the_kind_delivery_reads_them_as() {
        let unknown = |d: &str| RequestError::Api(ApiError::Unknown(d.to_string()));
        assert_eq!(
            error_kind(&RequestError::RetryAfter(Seconds::from_seconds(3))),
            "429"
        );
        assert_eq!(error_kind(&RequestError::Api(ApiError::BotBlocked)), "403");
        assert_eq!(error_kind(&unknown("Internal Server Error")), "5xx");
        assert_eq!(
            error_kind(&unknown("Bad Request: message is too long")),
            "4xx"
        );
        assert_eq!(
            error_kind(&unknown("Forbidden: bot can't send messages")),
            "4xx"
        );
    }
}
