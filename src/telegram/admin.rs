//! Who may change a group's settings: its administrators, including
//! anonymous ones (who write as the group itself). Anyone in a private chat.

use teloxide::prelude::*;
use teloxide::types::ChatMember;

use super::outbound::{Policy, SendError};
use super::App;

/// Decides from the message alone where it can: private chats and
/// anonymous admins need no lookup.
pub fn decided_without_lookup(msg: &Message) -> Option<bool> {
    if msg.chat.is_private() {
        return Some(true);
    }
    if msg
        .sender_chat
        .as_ref()
        .is_some_and(|c| c.id == msg.chat.id)
    {
        return Some(true);
    }
    msg.from.is_none().then_some(false)
}

pub fn member_is_admin(member: &ChatMember) -> bool {
    member.is_privileged()
}

/// Whether the sender of `msg` administers its chat.
pub async fn is_admin(bot: &Bot, msg: &Message, app: &App) -> Result<bool, SendError> {
    if let Some(decided) = decided_without_lookup(msg) {
        return Ok(decided);
    }
    let Some(user) = msg.from.as_ref().map(|u| u.id) else {
        return Ok(false);
    };
    app.outbound
        .call(Policy::Retry, || bot.get_chat_member(msg.chat.id, user))
        .await
        .map(|m| member_is_admin(&m))
}
