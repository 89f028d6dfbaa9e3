//! How much of a string from the page may cross into wasm: each is checked
//! on the JavaScript string's length (UTF-16 code units) before it is copied,
//! and refused with the same message shape.

use crate::error::{ErrorCode, OptaveError};
use crate::text::Text;

/// The longest token accepted, in UTF-16 code units (16,384): far above any
/// ticket or JWT.
pub const MAX_TOKEN_UNITS: usize = 16_384;

/// The longest JSON text of options accepted (constructor options or a
/// request's `{ timeoutMs }`), in UTF-16 code units: 65,536.
pub const MAX_OPTIONS_UNITS: usize = 65_536;

/// The longest string argument accepted where a name or an id is expected
/// (an event or action name, a correlationId, a session id), in UTF-16 code
/// units: 1,024.
pub const MAX_ARGUMENT_UNITS: usize = 1_024;

/// `<what> is <units> characters long; at most <max> are accepted`, or
/// `None` when `units` is within `max`.
fn over(what: &str, units: usize, max: usize) -> Option<Text> {
    (units > max).then(|| {
        Text::new(what)
            .s(" is ")
            .n(units as u64)
            .s(" characters long; at most ")
            .n(max as u64)
            .s(" are accepted")
    })
}

/// Refuses a token of `units` UTF-16 code units when that is over
/// [`MAX_TOKEN_UNITS`], without looking at it.
///
/// Errors: AUTHENTICATION / `INVALID_TOKEN` (the message gives the length,
/// never the token).
pub fn refuse_long_token(units: usize, now_ms: f64) -> Result<(), OptaveError> {
    match over("the token", units, MAX_TOKEN_UNITS) {
        None => Ok(()),
        Some(message) => Err(
            OptaveError::authentication(ErrorCode::InvalidToken, message, now_ms)
                .suggest("Pass the ticket or access token itself, not a document that contains it"),
        ),
    }
}

/// Refuses options whose JSON text has `units` UTF-16 code units when that is
/// over [`MAX_OPTIONS_UNITS`], without looking at the text.
///
/// Errors: VALIDATION / `code` (`INVALID_OPTION` for the constructor's,
/// `INVALID_ARGUMENT` for a request's).
pub fn refuse_long_options(units: usize, code: ErrorCode, now_ms: f64) -> Result<(), OptaveError> {
    match over("the options' JSON", units, MAX_OPTIONS_UNITS) {
        None => Ok(()),
        Some(message) => Err(OptaveError::validation(code, message, now_ms)),
    }
}

/// Checks a name or id argument: `units` is its length when it is a string,
/// `None` when it is not one.
///
/// Errors: VALIDATION / `INVALID_ARGUMENT`, naming `what`.
pub fn check_argument(what: &str, units: Option<usize>, now_ms: f64) -> Result<(), OptaveError> {
    let message = match units {
        None => Text::new(what).s(" must be a string"),
        Some(n) => match over(what, n, MAX_ARGUMENT_UNITS) {
            None => return Ok(()),
            Some(message) => message,
        },
    };
    Err(OptaveError::validation(
        ErrorCode::InvalidArgument,
        message,
        now_ms,
    ))
}
