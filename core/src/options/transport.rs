//! The `transport` option (docs/api.md, "Transports"): which transport
//! carries requests, and its default.

use crate::connection::Transport;
use crate::error::{ErrorCode, OptaveError};
use crate::text::Text;

/// The `transport` option's value: `name` as given (`None` when absent),
/// `has_rest_url` whether `restUrl` was given. Default: `auto` with a
/// `restUrl`, `websocket` without.
///
/// Errors: VALIDATION / `INVALID_OPTION` (a name other than `websocket`,
/// `rest`, `auto`; `rest` or `auto` without `restUrl`).
pub fn mode(name: Option<&str>, has_rest_url: bool, now_ms: f64) -> Result<Transport, OptaveError> {
    let Some(name) = name else {
        return Ok(if has_rest_url {
            Transport::Auto
        } else {
            Transport::WebSocket
        });
    };
    let Some(transport) = Transport::from_name(name) else {
        return Err(OptaveError::validation(
            ErrorCode::InvalidOption,
            Text::new("option transport: expected one of \"websocket\", \"rest\", \"auto\", got ")
                .q(name),
            now_ms,
        ));
    };
    if transport != Transport::WebSocket && !has_rest_url {
        return Err(OptaveError::validation(
            ErrorCode::InvalidOption,
            Text::new("option transport ").q(name).s(" needs restUrl"),
            now_ms,
        )
        .suggest("Set restUrl: 'https://{tenant}.oco.optave.{tld}'"));
    }
    Ok(transport)
}
