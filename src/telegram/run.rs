//! Starting the bot: token and API URL from the environment, commands
//! registered in English and Chinese, long polling or a webhook, and a
//! graceful stop on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use teloxide::update_listeners::webhooks;
use teloxide::utils::command::BotCommands;

use super::send::describe;
use super::{schema, App, Command};

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

/// Runs the bot until Ctrl-C or SIGTERM.
pub async fn run(bot: Bot, app: App, listen: Listen) -> anyhow::Result<()> {
    register_commands(&bot).await;
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![Arc::new(app)])
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
