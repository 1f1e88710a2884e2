//! Starting the bot: token and API URL from the environment, commands
//! registered in English and Chinese, long polling or a webhook, and a
//! graceful stop on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use teloxide::update_listeners::webhooks;
use teloxide::utils::command::BotCommands;

use super::send::describe;
use super::{schema, App, Command};
use crate::announce::sender::TelegramSender;
use crate::announce::{deliver, hong_kong_now, DEFAULT_WINDOW_DAYS};
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

/// Logs update-listener errors without the request URL (it holds the token).
struct RedactingErrorHandler;

impl ErrorHandler<teloxide::RequestError> for RedactingErrorHandler {
    fn handle_error(
        self: Arc<Self>,
        error: teloxide::RequestError,
    ) -> futures_util::future::BoxFuture<'static, ()> {
        tracing::warn!(error = %describe(&error), "error while receiving updates; retrying");
        Box::pin(async {})
    }
}

impl ErrorHandler<std::convert::Infallible> for RedactingErrorHandler {
    fn handle_error(
        self: Arc<Self>,
        error: std::convert::Infallible,
    ) -> futures_util::future::BoxFuture<'static, ()> {
        match error {}
    }
}

struct HandlerErrors;

impl ErrorHandler<anyhow::Error> for HandlerErrors {
    fn handle_error(
        self: Arc<Self>,
        error: anyhow::Error,
    ) -> futures_util::future::BoxFuture<'static, ()> {
        tracing::error!(error = %error, "a handler failed");
        Box::pin(async {})
    }
}

/// Registers the command menu in English and, for Chinese clients, in Chinese.
async fn register_commands(bot: &Bot) {
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
    let en = super::send::retrying(|| bot.set_my_commands(Command::bot_commands())).await;
    let zh = super::send::retrying(|| bot.set_my_commands(zh.clone()).language_code("zh")).await;
    if let Err(e) = en.and(zh) {
        tracing::warn!(error = %e, "could not register the command menu");
    }
}

/// How often the scheduler looks for announcements due.
const SCHEDULER_PERIOD: std::time::Duration = std::time::Duration::from_secs(300);

/// Posts milestone announcements as they fall due, on a thread of its own
/// with its own connection to the store (the ledger keeps runs idempotent).
fn spawn_scheduler(bot: Bot, app: Arc<App>, db: PathBuf) {
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
                let sender = TelegramSender { bot };
                loop {
                    let (today, hour) = hong_kong_now();
                    let k = app.engine.knowledge();
                    match deliver(&store, k, &sender, today, Some(hour), DEFAULT_WINDOW_DAYS).await
                    {
                        Ok(report) if !report.sent.is_empty() || report.failed > 0 => {
                            tracing::info!(
                                sent = report.sent.len(),
                                deferred = report.deferred,
                                failed = report.failed,
                                "announcements"
                            );
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

/// Runs the bot, and the announcer over `db`, until Ctrl-C or SIGTERM.
pub async fn run(bot: Bot, app: App, listen: Listen, db: PathBuf) -> anyhow::Result<()> {
    register_commands(&bot).await;
    let app = Arc::new(app);
    spawn_scheduler(bot.clone(), app.clone(), db);
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![app])
        .error_handler(Arc::new(HandlerErrors))
        .enable_ctrlc_handler()
        .build();
    let shutdown = dispatcher.shutdown_token();
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            term.recv().await;
            tracing::info!("SIGTERM: finishing the updates in hand, then stopping");
            if let Ok(done) = shutdown.shutdown() {
                done.await;
            }
        }
    });
    tracing::info!("factbot is running");
    match listen {
        Listen::Polling => {
            let listener = teloxide::update_listeners::polling_default(bot).await;
            dispatcher
                .try_dispatch_with_listener(listener, Arc::new(RedactingErrorHandler))
                .await
                .map_err(|e| anyhow::anyhow!("cannot reach the Bot API: {}", describe(&e)))?;
        }
        Listen::Webhook {
            url,
            address,
            secret,
        } => {
            let options = webhooks::Options::new(address, url).secret_token(secret);
            let listener = webhooks::axum(bot, options)
                .await
                .map_err(|e| anyhow::anyhow!(describe(&e)))?;
            dispatcher
                .try_dispatch_with_listener(listener, Arc::new(RedactingErrorHandler))
                .await
                .map_err(|e| anyhow::anyhow!("cannot reach the Bot API: {}", describe(&e)))?;
        }
    }
    tracing::info!("factbot stopped");
    Ok(())
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
}
