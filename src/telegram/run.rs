//! Running the bot: the token and API URL from the environment, `getMe`
//! before anything else, the inbox's backlog handled first, long polling or
//! a webhook, the announcer beside them, and a stop bounded in time on
//! Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};
use teloxide::utils::command::BotCommands;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::inbox::unix_now;
use super::outbound::{classify, describe, Fault, Policy};
use super::runner::Runner;
use super::{metrics, poll, schema, webhook, App, Command, Shared};
use crate::announce::sender::TelegramSender;
use crate::announce::{deliver, hong_kong_now, DEFAULT_WINDOW_DAYS};
use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::store::Store;

/// How the bot receives updates.
pub enum Listen {
    Polling,
    Webhook {
        url: url::Url,
        address: SocketAddr,
        secret: String,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StartError {
    #[error("TELOXIDE_TOKEN is not set: export the token BotFather gave you")]
    MissingToken,
    #[error("TELOXIDE_TOKEN is malformed: expected <bot id>:<secret> as BotFather gives it")]
    MalformedToken,
    #[error("TELOXIDE_API_URL is not a valid URL: {0}")]
    BadApiUrl(String),
    #[error("the webhook secret must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -: set FACTBOT_WEBHOOK_SECRET to such a value")]
    BadWebhookSecret,
}

/// Reads and checks the token without ever printing it.
pub fn token_from(value: Option<String>) -> Result<String, StartError> {
    let token = value
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(StartError::MissingToken)?;
    let (id, secret) = token.split_once(':').ok_or(StartError::MalformedToken)?;
    let well_formed = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && secret.len() >= 20
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if well_formed {
        Ok(token)
    } else {
        Err(StartError::MalformedToken)
    }
}

/// Checks a webhook secret against Telegram's rules for `secret_token`.
pub fn webhook_secret(value: &str) -> Result<String, StartError> {
    let ok = (1..=256).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then(|| value.to_string())
        .ok_or(StartError::BadWebhookSecret)
}

/// A bot for the environment's token, at TELOXIDE_API_URL when set.
pub fn bot_from_env() -> Result<Bot, StartError> {
    let token = token_from(std::env::var("TELOXIDE_TOKEN").ok())?;
    let mut bot = Bot::new(token);
    if let Ok(api) = std::env::var("TELOXIDE_API_URL") {
        let url = url::Url::parse(&api).map_err(|_| StartError::BadApiUrl(api.clone()))?;
        bot = bot.set_api_url(url);
    }
    Ok(bot)
}

/// What operators get besides the bot: metrics, and knowledge reloads.
#[derive(Debug, Clone, Default)]
pub struct Operations {
    /// Serve `/metrics` and `/healthz` here.
    pub metrics_listen: Option<SocketAddr>,
    /// The knowledge folder SIGHUP re-reads (none: built in).
    pub knowledge_dir: Option<PathBuf>,
}

/// How the bot stops and starts.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    /// On a stop signal, updates in hand may finish within this long.
    pub stop_within: Duration,
}

/// Registers the command menu in English and, for Chinese clients, in Chinese.
async fn register_commands(bot: Bot, app: Shared) {
    let zh: Vec<BotCommand> = Command::bot_commands()
        .into_iter()
        .map(|c| {
            let description = match c.command.trim_start_matches('/') {
                "start" => "歡迎及示範問題",
                "help" => "可以問甚麼",
                "ask" => "提問（群組內用 /ask 問題）",
                "topics" => "瀏覽主題和數據",
                "about" => "數據來源",
                "lang" => "回覆語言：en、zh-Hant、zh-Hans 或 auto",
                "subscribe" => "在此發佈里程碑（管理員）",
                "unsubscribe" => "停止里程碑通知（管理員）",
                "milestones" => "即將及最近的里程碑",
                "announce" => "立即發佈一個里程碑（管理員）",
                _ => "",
            };
            BotCommand::new(c.command, description)
        })
        .collect();
    let en = app
        .outbound
        .call(Policy::Retry, || {
            bot.set_my_commands(Command::bot_commands())
        })
        .await;
    let zh = app
        .outbound
        .call(Policy::Retry, || {
            bot.set_my_commands(zh.clone()).language_code("zh")
        })
        .await;
    if let Err(e) = en.and(zh) {
        tracing::warn!(error = %e, "could not register the command menu");
    }
}

/// How often the scheduler looks for announcements due.
const SCHEDULER_PERIOD: Duration = Duration::from_secs(300);

/// Posts milestone announcements as they fall due, on a thread of its own
/// with its own connection to the store (the ledger keeps runs idempotent).
fn spawn_scheduler(bot: Bot, app: Shared, db: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("announcer".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return tracing::error!(error = %e, "announcer: cannot start its runtime"),
            };
            runtime.block_on(async move {
                let store = match Store::open(&db) {
                    Ok(store) => store,
                    Err(e) => {
                        return tracing::error!(error = %e, "announcer: cannot open the store")
                    }
                };
                let sender = TelegramSender {
                    bot,
                    outbound: app.outbound.clone(),
                };
                match store.in_doubt() {
                    Ok(doubt) if !doubt.is_empty() => tracing::warn!(
                        rows = doubt.len(),
                        "announcements in doubt (sending or unknown): list them with `factbot announce --status`"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "announcer: cannot read the ledger"),
                }
                loop {
                    let (today, hour) = hong_kong_now();
                    let engine = app.engine();
                    let k = engine.knowledge();
                    match deliver(&store, k, &sender, today, Some(hour), DEFAULT_WINDOW_DAYS).await
                    {
                        Ok(report) if report.is_eventful() => {
                            tracing::info!(
                                sent = report.sent.len(),
                                deferred = report.deferred.len(),
                                unknown = report.unknown.len(),
                                failed = report.failed.len(),
                                "announcements"
                            );
                            for o in report.deferred.iter().chain(&report.failed) {
                                tracing::info!(milestone = %o.milestone, why = %o.why, "announcement not sent");
                            }
                            for o in &report.unknown {
                                tracing::warn!(
                                    milestone = %o.milestone,
                                    why = %o.why,
                                    "announcement perhaps posted: left `unknown`, see `factbot announce --status`"
                                );
                            }
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "announcer run failed; retrying later")
                        }
                    }
                    tokio::time::sleep(SCHEDULER_PERIOD).await;
                }
            });
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the announcer");
    }
}

/// Re-reads the knowledge on SIGHUP, until `stop`.
fn on_reload_signal(app: Shared, dir: Option<PathBuf>, stop: CancellationToken) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return tracing::warn!("cannot listen for SIGHUP: knowledge reloads need a restart");
        };
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                got = hangup.recv() => if got.is_none() { break },
            }
            let (app, dir) = (app.clone(), dir.clone());
            // Checking and indexing take a while: off the async threads.
            let _ = tokio::task::spawn_blocking(move || reload(&app, dir.as_deref())).await;
        }
    });
    #[cfg(not(unix))]
    let _ = (app, dir, stop);
}

/// Puts the knowledge in `dir` in service if it passes the check; keeps the
/// old knowledge, and says why, if not.
pub fn reload(app: &App, dir: Option<&std::path::Path>) {
    let Some(dir) = dir else {
        return tracing::warn!(
            "SIGHUP: the knowledge is built in (no --knowledge folder), nothing to reload"
        );
    };
    match Knowledge::load_from(Some(dir)) {
        Ok(knowledge) => {
            let (version, facts) = (knowledge.version().to_string(), knowledge.facts.len());
            app.replace_engine(Engine::new(knowledge));
            tracing::info!(%version, facts, "knowledge reloaded");
        }
        Err(e) => tracing::error!(
            error = %e,
            version = %app.engine().knowledge().version(),
            "knowledge reload refused; the knowledge in service stays"
        ),
    }
}

/// Cancels `stop` on Ctrl-C or SIGTERM.
fn on_stop_signal(stop: CancellationToken) {
    tokio::spawn(async move {
        #[cfg(unix)]
        let term = async {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    term.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: stopping"),
            _ = term => tracing::info!("SIGTERM: stopping"),
        }
        stop.cancel();
    });
}

/// Asks Telegram who the bot is, retrying with backoff while the API cannot
/// be reached; `None` when told to stop first.
async fn who_am_i(bot: &Bot, stop: &CancellationToken) -> anyhow::Result<Option<Me>> {
    let mut backoff = Duration::from_secs(1);
    loop {
        let wait = match bot.get_me().await {
            Ok(me) => return Ok(Some(me)),
            Err(e) => match classify(&e) {
                Fault::Unauthorized => {
                    anyhow::bail!("Telegram refused the bot token: check TELOXIDE_TOKEN")
                }
                Fault::Wait(wait) => wait,
                _ => {
                    tracing::warn!(
                        error = %describe(&e),
                        seconds = backoff.as_secs(),
                        "cannot reach the Bot API; retrying"
                    );
                    backoff
                }
            },
        };
        backoff = (backoff * 2).min(Duration::from_secs(60));
        tokio::select! {
            _ = stop.cancelled() => return Ok(None),
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Hands the inbox's unanswered updates to the runner, oldest first.
fn replay_backlog(app: &Shared, runner: &Runner) -> anyhow::Result<()> {
    let backlog = app.store().inbox_backlog(unix_now())?;
    if backlog.expired > 0 {
        tracing::warn!(
            count = backlog.expired,
            "updates received more than an hour ago and never answered were dropped"
        );
    }
    if !backlog.replay.is_empty() {
        tracing::info!(
            count = backlog.replay.len(),
            "handling updates received before the last stop"
        );
    }
    for (id, payload) in backlog.replay {
        match serde_json::from_str::<Update>(&payload) {
            Ok(update) => runner.submit(update),
            Err(_) => {
                tracing::error!(
                    update = id,
                    "an update in the inbox cannot be read; skipping it"
                );
                app.store().inbox_settle(id, unix_now())?;
            }
        }
    }
    Ok(())
}

/// Runs the bot, and the announcer over `db`, until Ctrl-C or SIGTERM.
pub async fn run(
    bot: Bot,
    app: App,
    listen: Listen,
    db: PathBuf,
    lifecycle: Lifecycle,
    operations: Operations,
) -> anyhow::Result<()> {
    let stop = CancellationToken::new();
    on_stop_signal(stop.clone());
    let metrics_listener = match operations.metrics_listen {
        Some(address) => Some((
            TcpListener::bind(address)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {address} for the metrics: {e}"))?,
            metrics::install()?,
        )),
        None => None,
    };
    // Bind before telling Telegram where to post, so a taken port stops us
    // before anything points at it.
    let listener = match &listen {
        Listen::Webhook { address, .. } => Some(webhook::bind(*address).await?),
        Listen::Polling => None,
    };
    let Some(me) = who_am_i(&bot, &stop).await? else {
        tracing::info!("stopped before the Bot API answered");
        return Ok(());
    };
    let app: Shared = Arc::new(app);
    on_reload_signal(app.clone(), operations.knowledge_dir, stop.clone());
    if let Some((listener, handle)) = metrics_listener {
        let (app, stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            if let Err(e) = metrics::serve(listener, handle, app, stop).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let runner = Runner::new(schema(), bot.clone(), me.clone(), app.clone());
    replay_backlog(&app, &runner)?;
    tokio::spawn(register_commands(bot.clone(), app.clone()));
    spawn_scheduler(bot.clone(), app.clone(), db);
    let source = match (listen, listener) {
        (Listen::Webhook { url, secret, .. }, Some(listener)) => {
            app.outbound
                .call(Policy::Retry, || {
                    bot.set_webhook(url.clone())
                        .secret_token(secret.clone())
                        .allowed_updates(poll::ALLOWED)
                })
                .await
                .map_err(|e| anyhow::anyhow!("cannot set the webhook: {e}"))?;
            tracing::info!(username = %me.username(), knowledge = %app.engine().knowledge().version(), "factbot is running (webhook)");
            app.health.serving_webhook();
            let path = url.path().to_string();
            let (app, runner, stop) = (app.clone(), runner.clone(), stop.clone());
            tokio::spawn(
                async move { webhook::serve(listener, &path, secret, app, runner, stop).await },
            )
        }
        _ => {
            app.outbound
                .call(Policy::Retry, || bot.delete_webhook())
                .await
                .map_err(|e| anyhow::anyhow!("cannot switch from a webhook to polling: {e}"))?;
            tracing::info!(username = %me.username(), knowledge = %app.engine().knowledge().version(), "factbot is running (long polling)");
            tokio::spawn(poll::poll(
                bot.clone(),
                app.clone(),
                runner.clone(),
                stop.clone(),
            ))
        }
    };
    let failed = tokio::select! {
        _ = stop.cancelled() => None,
        ended = source => Some(ended),
    };
    stop.cancel();
    let left = runner.stop(lifecycle.stop_within).await;
    if left > 0 {
        tracing::info!(count = left, "updates left in the inbox for the next start");
    }
    match failed {
        Some(Ok(Err(e))) => Err(e),
        Some(Err(e)) => Err(anyhow::anyhow!("receiving updates stopped: {e}")),
        _ => {
            tracing::info!("factbot stopped");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_without_being_echoed() {
        assert_eq!(token_from(None), Err(StartError::MissingToken));
        assert_eq!(token_from(Some("  ".into())), Err(StartError::MissingToken));
        let bad = "12345:short";
        let err = token_from(Some(bad.into())).unwrap_err();
        assert!(!err.to_string().contains("short"));
        assert_eq!(
            token_from(Some("abc:defghijklmnopqrstuvwxyz".into())),
            Err(StartError::MalformedToken)
        );
        assert!(token_from(Some("123456:ABCdefGHIjklMNOpqrSTUvwx-yz_0".into())).is_ok());
    }

    #[test]
    fn webhook_secrets_follow_telegrams_rules() {
        assert!(webhook_secret("abc_DEF-123").is_ok());
        assert_eq!(
            webhook_secret("bad secret!"),
            Err(StartError::BadWebhookSecret)
        );
        assert_eq!(webhook_secret(""), Err(StartError::BadWebhookSecret));
        assert!(webhook_secret(&"a".repeat(256)).is_ok());
        assert!(webhook_secret(&"a".repeat(257)).is_err());
        assert!(!StartError::BadWebhookSecret
            .to_string()
            .contains("bad secret"));
    }
}
