//! One connection attempt: the token (the explicit one, or `tokenProvider()`
//! awaited through a JavaScript promise), then the socket. The callback of a
//! pending provider call is owned by the client state and dropped with it.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Function, JsString};
use optave_core::connection::Input;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::legacy::Deprecation;
use optave_core::options::{connect_target, refuse_long_token, AuthTransport};
use optave_core::text::{redact, Text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::crosstab::Attempt;
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

/// Who waits for the token of the pending `tokenProvider()` call.
#[derive(Debug)]
pub enum TokenFor {
    /// The connection attempt with this number.
    Attempt(u32),
    /// A REST call (its id names its entry in `State::fetches`).
    Fetch(optave_core::connection::Fetch),
}

/// The pending `tokenProvider()` call: one at a time per client, whatever
/// asked for it (an attempt, a stale recovery, a wake-up, a REST call or its
/// 401 retry); a second asker waits for the same result. Dropping it
/// abandons the call (its result is then ignored).
#[derive(Debug)]
pub struct TokenWait {
    _done: Closure<dyn FnMut(bool, JsValue)>,
    /// When the call started, ms.
    started_ms: f64,
    /// Who gets its result, in the order they asked.
    waiting: Vec<TokenFor>,
}

/// Gets the token for `attempt` (the explicit one, or from `tokenProvider()`),
/// then opens the socket; a tab following another's shared connection
/// opens its link to it instead, with no token ([`crate::crosstab`]).
pub fn start_attempt(shared: &Rc<Shared>, attempt: u32) {
    match crate::crosstab::attempt(shared, attempt) {
        Attempt::Socket => {}
        Attempt::Later => return,
        Attempt::Link(link) => {
            let max_frame_bytes = shared.state.borrow().config.max_inbound_frame_bytes;
            let socket = Socket::attach(
                link.unchecked_into(),
                max_frame_bytes,
                sink(shared, attempt),
            );
            shared.state.borrow_mut().socket = Some(socket);
            feed(shared, Input::SocketCreated { attempt });
            return;
        }
    }
    let (explicit, provider) = {
        let st = shared.state.borrow_mut();
        (st.explicit_token.clone(), st.token_provider.is_some())
    };
    match (explicit, provider) {
        (Some(token), _) => open_socket(shared, attempt, Ok(Some(token))),
        (None, false) => open_socket(shared, attempt, Ok(None)),
        (None, true) => token(shared, TokenFor::Attempt(attempt)),
    }
}

/// Asks `tokenProvider()` for a token for `asker`: joins the call under way
/// unless it started `connectionTimeoutMs` ago or more (a provider that
/// never settles is then asked again, at the pace of the reconnect backoff),
/// else starts one.
pub fn token(shared: &Rc<Shared>, asker: TokenFor) {
    let now = now_ms();
    let (provider, mut waiting) = {
        let mut st = shared.state.borrow_mut();
        let fresh = st.config.connection_timeout_ms;
        if let Some(wait) = st
            .token_wait
            .as_mut()
            .filter(|w| now - w.started_ms < fresh)
        {
            return wait.waiting.push(asker);
        }
        let waiting = st.token_wait.take().map(|w| w.waiting).unwrap_or_default();
        (st.token_provider.clone(), waiting)
    };
    let Some(provider) = provider else { return };
    waiting.push(asker);
    let weak = Rc::downgrade(shared);
    let done = Closure::new(move |ok: bool, value: JsValue| {
        let Some(shared) = weak.upgrade() else { return };
        let Some(wait) = shared.state.borrow_mut().token_wait.take() else {
            return;
        };
        let token = token_of(ok, &value);
        for asker in wait.waiting {
            match asker {
                TokenFor::Attempt(attempt) => open_socket(&shared, attempt, token.clone()),
                TokenFor::Fetch(fetch) => crate::rest::tokened(&shared, fetch, token.clone()),
            }
        }
    });
    request_token(&provider, done.as_ref().unchecked_ref());
    shared.state.borrow_mut().token_wait = Some(TokenWait {
        _done: done,
        started_ms: now,
        waiting,
    });
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

/// Where the events of `attempt`'s socket go.
fn sink(shared: &Rc<Shared>, attempt: u32) -> Rc<dyn Fn(SocketEvent)> {
    let weak = Rc::downgrade(shared);
    Rc::new(move |event| {
        if let Some(shared) = weak.upgrade() {
            on_socket_event(&shared, attempt, event);
        }
    })
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
            let failed = Input::AttemptFailed {
                attempt,
                error,
                now_ms: now,
            };
            feed(shared, failed);
            return;
        }
    };
    if shared.state.borrow().config.auth_transport == AuthTransport::Query {
        shared.warn_once(&[Deprecation::QueryAuthTransport]);
    }
    let max_frame_bytes = shared.state.borrow().config.max_inbound_frame_bytes;
    match Socket::open(&target, max_frame_bytes, sink(shared, attempt)) {
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
