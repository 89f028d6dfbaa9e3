//! One connection attempt: the token (the explicit one, or `tokenProvider()`
//! awaited through a JavaScript promise), then the socket. The callback of a
//! pending provider call is owned by the client state and dropped with it.

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Function, JsString};
use optave_core::connection::Input;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::legacy::Deprecation;
use optave_core::options::{connect_target, refuse_long_token, AuthTransport};
use optave_core::text::{redact, Text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::frames::on_socket_event;
use crate::js_error::describe;
use crate::runtime::{feed, now_ms, Shared};
use crate::socket::{Socket, SocketEvent};

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    /// Calls `provider()` in a microtask and reports its (awaited) result or
    /// what it threw to `done(ok, value)`, once.
    #[wasm_bindgen(js_name = requestToken)]
    fn request_token(provider: &Function, done: &Function);
}

/// The callback of a pending `tokenProvider()` call; dropping it abandons the call.
pub type TokenWait = Closure<dyn FnMut(bool, JsValue)>;

/// Gets the token for `attempt` (the explicit one, or from `tokenProvider()`),
/// then opens the socket.
pub fn start_attempt(shared: &Rc<Shared>, attempt: u32) {
    let (explicit, provider) = {
        let st = shared.state.borrow_mut();
        (st.explicit_token.clone(), st.token_provider.clone())
    };
    let provider = match (explicit, provider) {
        (Some(token), _) => return open_socket(shared, attempt, Ok(Some(token))),
        (None, None) => return open_socket(shared, attempt, Ok(None)),
        (None, Some(provider)) => provider,
    };
    let weak = Rc::downgrade(shared);
    let done: TokenWait = Closure::new(move |ok: bool, value: JsValue| {
        let Some(shared) = weak.upgrade() else { return };
        let wait = shared.state.borrow_mut().token_wait.take();
        open_socket(&shared, attempt, token_of(ok, &value));
        drop(wait);
    });
    request_token(&provider, done.as_ref().unchecked_ref());
    shared.state.borrow_mut().token_wait = Some(done);
}

/// What `tokenProvider()` gave: a string, nothing (`null`/`undefined`), or a failure.
pub fn token_of(ok: bool, value: &JsValue) -> Result<Option<String>, OptaveError> {
    let failed = |why: &str| {
        OptaveError::authentication(
            ErrorCode::TokenProviderFailed,
            Text::new("tokenProvider failed: ").s(why),
            now_ms(),
        )
        .suggest("Check the page's ticket endpoint; tokenProvider is called for every connection")
    };
    if !ok {
        return Err(failed(&describe(value)));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let token = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| failed("it returned something that is not a string"))?;
    bounded_token(token, now_ms()).map(Some)
}

/// A token from the page (`connect(token)` or `tokenProvider()`), copied into
/// wasm only when it is at most `MAX_TOKEN_UNITS` long.
///
/// Errors: AUTHENTICATION / `INVALID_TOKEN` (`refuse_long_token`).
pub fn bounded_token(token: &JsString, now: f64) -> Result<String, OptaveError> {
    refuse_long_token(token.length() as usize, now)?;
    Ok(String::from(token))
}

/// Opens the socket for `attempt` with `token`.
fn open_socket(shared: &Rc<Shared>, attempt: u32, token: Result<Option<String>, OptaveError>) {
    if !shared.state.borrow().session.wants_socket(attempt) {
        return; // superseded: the token is dropped, no socket is opened
    }
    let now = now_ms();
    let secret = token.as_ref().ok().and_then(Clone::clone);
    let target = token.and_then(|token| {
        let st = shared.state.borrow();
        connect_target(
            &st.config,
            token.as_deref(),
            st.envelope.session_id.as_deref(),
            now,
        )
    });
    let target = match target {
        Ok(target) => target,
        Err(error) => {
            return feed(
                shared,
                Input::AttemptFailed {
                    attempt,
                    error,
                    now_ms: now,
                },
            )
        }
    };
    if shared.state.borrow().config.auth_transport == AuthTransport::Query {
        shared.warn_once(&[Deprecation::QueryAuthTransport]);
    }
    let sink_weak = Rc::downgrade(shared);
    let sink: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
        if let Some(shared) = sink_weak.upgrade() {
            on_socket_event(&shared, attempt, event);
        }
    });
    let max_frame_bytes = shared.state.borrow().config.max_inbound_frame_bytes;
    match Socket::open(&target, max_frame_bytes, sink) {
        Ok(socket) => {
            shared.state.borrow_mut().socket = Some(socket);
            feed(shared, Input::SocketCreated { attempt });
        }
        Err(thrown) => {
            let error = OptaveError::websocket(
                ErrorCode::ConnectionError,
                Text::new("the WebSocket could not be created: ")
                    .s(&redact(&describe(&thrown), secret.as_deref())),
                now,
            );
            feed(
                shared,
                Input::AttemptFailed {
                    attempt,
                    error,
                    now_ms: now,
                },
            );
        }
    }
}
