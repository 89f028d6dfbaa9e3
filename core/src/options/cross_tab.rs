//! The `crossTab` option (docs/api.md, "One connection across tabs").

use alloc::string::String;

use crate::error::{ErrorCode, OptaveError};
use crate::json::{self, Doc, Kind};

/// `crossTab: { key }`: the page's name for the identity behind the token
/// (for example the agent's user id); `None` when the option is absent or
/// `null`.
///
/// Errors: VALIDATION / `INVALID_OPTION` naming `crossTab` (not an object,
/// or a member other than `key`) or `crossTab.key` (not a non-empty
/// string).
pub fn key(
    doc: &Doc,
    text: &str,
    at: Option<u32>,
    now_ms: f64,
) -> Result<Option<String>, OptaveError> {
    let Some(node) = at.and_then(|i| doc.node(i).map(|n| (i, *n))) else {
        return Ok(None);
    };
    let (i, node) = node;
    let refuse = |message: &'static str| {
        Err(
            OptaveError::validation(ErrorCode::InvalidOption, message, now_ms)
                .suggest("crossTab: { key: agentUserId }, the same in every tab of one identity"),
        )
    };
    match node.kind {
        Kind::Null => return Ok(None),
        Kind::Obj => {}
        _ => return refuse("option crossTab: expected an object { key: string }"),
    }
    let mut key = None;
    for child in doc.children(i) {
        let Some(member) = doc.node(child) else {
            continue;
        };
        if !json::key_is(text, member, "key") {
            return refuse("option crossTab: the only member is key");
        }
        key = Some(*member);
    }
    match key {
        Some(k) if k.kind == Kind::Str && !json::string(text, &k).is_empty() => {
            Ok(Some(String::from(json::string(text, &k))))
        }
        _ => refuse("option crossTab.key: expected a non-empty string"),
    }
}
