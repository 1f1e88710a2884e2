//! Inline mode: `@bot query` in any chat lists matching facts to share.

use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputMessageContentText,
    ParseMode,
};

use super::outbound::Policy;
use super::{render, HandlerResult, Shared};
use crate::answer::Target;
use crate::engine::Engine;

const INLINE_RESULTS: usize = 10;

/// Inline results for a query: up to ten matching facts, each carrying its
/// sourced text, in the query's language.
pub fn inline_results(engine: &Engine, query: &str) -> Vec<InlineQueryResult> {
    let lang = crate::normalize::detect_lang(query);
    engine
        .search(query, INLINE_RESULTS)
        .into_iter()
        .filter_map(|fact| {
            let reply = engine.open(&Target::Fact(fact.id.clone()), lang)?;
            let title = fact.title.get(lang);
            let content = InputMessageContentText::new(render::titled(title, &reply))
                .parse_mode(ParseMode::Html);
            let description: String = reply.body.chars().take(120).collect();
            Some(InlineQueryResult::Article(
                InlineQueryResultArticle::new(
                    fact.id.clone(),
                    title.to_string(),
                    InputMessageContent::Text(content),
                )
                .description(description),
            ))
        })
        .collect()
}

pub(super) async fn on_inline(bot: Bot, q: InlineQuery, app: Shared) -> HandlerResult {
    let results = inline_results(&app.engine(), &q.query);
    let answered = app
        .outbound
        .call(Policy::Retry, || {
            bot.answer_inline_query(q.id.clone(), results.clone())
                .cache_time(300)
        })
        .await;
    if let Err(e) = answered {
        tracing::warn!(error = %e, "could not answer an inline query");
    }
    Ok(())
}
