//! The REST transport's browser side: carries out the core's
//! [`Effect::Fetch`](optave_core::connection::Effect) (token, then a `fetch`
//! POST with an `AbortController`), reports the answer to the core, and on
//! [`Effect::Deliver`](optave_core::connection::Effect) reads the answer's
//! frames with the same reader as the socket's and routes each one like a
//! socket frame. Every call owns its callbacks; dropping it (answer, abort,
//! `close()`, `free()`) aborts the `fetch`.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Function, JsString, Object, Reflect};
use optave_core::connection::rest::MAX_ERROR_BODY_UNITS;
use optave_core::connection::{Fetch, Input};
use optave_core::inbound;
use optave_core::options::bearer_token;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::connect::TokenFor;
use crate::frames::{on_frame, on_parsed, unreadable};
use crate::reader::{Frame, Read, RouteFn};
use crate::runtime::{feed, now_ms, Shared};

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = restFetch, catch)]
    fn rest_fetch(
        url: &str,
        headers: &Object,
        body: &str,
        token: Option<String>,
        done: &Function,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = abortFetch)]
    fn abort_fetch(controller: &JsValue);
    #[wasm_bindgen(js_name = readBody)]
    fn read_body(text: &JsValue, route: &Function, max_bytes: u32, prefix_units: u32);
}

type DoneFn = dyn FnMut(u16, Option<f64>, JsValue);

/// One REST call under way: its `AbortController` and callbacks.
#[derive(Debug)]
pub struct RestCall {
    id: u32,
    controller: Option<JsValue>,
    _done: Option<Closure<DoneFn>>,
}

impl Drop for RestCall {
    fn drop(&mut self) {
        if let Some(controller) = &self.controller {
            abort_fetch(controller);
        }
    }
}

/// A 2xx answer waiting for the core's decision (its text is not copied
/// into wasm).
#[derive(Debug)]
pub struct Answer {
    correlation_id: String,
    text: JsValue,
}

/// Starts `fetch`: the token first (the explicit one, or `tokenProvider()`,
/// shared with any other asker: [`crate::connect::token`]), then the POST.
pub fn start(shared: &Rc<Shared>, fetch: Fetch) {
    let (explicit, provider) = {
        let st = shared.state.borrow();
        (st.explicit_token.clone(), st.token_provider.is_some())
    };
    match (explicit, provider) {
        (Some(token), _) => post(shared, fetch, Ok(Some(token))),
        (None, false) => post(shared, fetch, Ok(None)),
        (None, true) => {
            shared.state.borrow_mut().fetches.push(RestCall {
                id: fetch.id,
                controller: None,
                _done: None,
            });
            crate::connect::token(shared, TokenFor::Fetch(fetch));
        }
    }
}

/// The token for `fetch` arrived: the POST, unless the call was aborted
/// meanwhile (its entry is gone).
pub fn tokened(
    shared: &Rc<Shared>,
    fetch: Fetch,
    token: Result<Option<String>, optave_core::error::OptaveError>,
) {
    if shared
        .state
        .borrow()
        .fetches
        .iter()
        .any(|c| c.id == fetch.id)
    {
        post(shared, fetch, token);
    }
}

/// Takes call `id` out of the state (dropped by the caller: aborts it).
fn take(shared: &Shared, id: u32) -> Option<RestCall> {
    let mut st = shared.state.borrow_mut();
    let at = st.fetches.iter().position(|c| c.id == id)?;
    Some(st.fetches.swap_remove(at))
}

/// `Effect::AbortFetch`.
pub fn abort(shared: &Shared, id: u32) {
    if let Some(call) = take(shared, id) {
        drop(call);
    }
}

fn post(
    shared: &Rc<Shared>,
    fetch: Fetch,
    token: Result<Option<String>, optave_core::error::OptaveError>,
) {
    let id = fetch.id;
    // The token callback, if any, is done with; keep it alive until we return.
    let previous = take(shared, id).map(|mut c| {
        c.controller = None;
        c
    });
    let token = token.and_then(|t| {
        let st = shared.state.borrow();
        bearer_token(&st.config, t.as_deref(), now_ms())
    });
    let token = match token {
        Ok(token) => token,
        Err(error) => {
            let failed = Input::FetchFailed {
                id,
                error: Some(error),
                now_ms: now_ms(),
            };
            feed(shared, failed);
            drop(previous);
            return;
        }
    };
    // The headers by name: `{ 'Content-Type': ..., 'Idempotency-Key': ... }`.
    let headers = Object::new();
    for (name, value) in &fetch.headers {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    let weak = Rc::downgrade(shared);
    let correlation_id = fetch.correlation_id.clone();
    let done: Closure<DoneFn> =
        Closure::new(move |status: u16, retry: Option<f64>, text: JsValue| {
            let Some(shared) = weak.upgrade() else { return };
            let call = take(&shared, id);
            answered(&shared, id, &correlation_id, status, retry, text);
            drop(call);
        });
    let controller = match rest_fetch(
        &fetch.url,
        &headers,
        &fetch.body,
        token,
        done.as_ref().unchecked_ref(),
    ) {
        Ok(controller) => controller,
        // The browser refused to build the call (the core keeps ids that
        // are no header values off REST): a failed call, retried with the
        // backoff until the request's deadline, never a throw out of here.
        Err(_) => {
            let failed = Input::FetchFailed {
                id,
                error: None,
                now_ms: now_ms(),
            };
            drop(done);
            feed(shared, failed);
            drop(previous);
            return;
        }
    };
    shared.state.borrow_mut().fetches.push(RestCall {
        id,
        controller: Some(controller),
        _done: Some(done),
    });
    drop(previous);
}

fn answered(
    shared: &Rc<Shared>,
    id: u32,
    correlation_id: &str,
    status: u16,
    retry_after_ms: Option<f64>,
    text: JsValue,
) {
    let now = now_ms();
    if status == 0 {
        let failed = Input::FetchFailed {
            id,
            error: None,
            now_ms: now,
        };
        feed(shared, failed);
        return;
    }
    let body = if (200..300).contains(&status) {
        shared.state.borrow_mut().answer = Some(Answer {
            correlation_id: String::from(correlation_id),
            text,
        });
        String::new()
    } else {
        text.dyn_ref::<JsString>()
            .map(|t| String::from(t.slice(0, MAX_ERROR_BODY_UNITS as u32)))
            .unwrap_or_default()
    };
    feed(
        shared,
        Input::FetchResponse {
            id,
            status,
            retry_after_ms,
            body,
            now_ms: now,
        },
    );
    // An answer the core did not ask for is dropped.
    shared.state.borrow_mut().answer = None;
}

/// `Effect::Deliver`: the frames of the answer just reported, routed like
/// socket frames; a frame that names no request is this request's.
pub fn deliver(shared: &Rc<Shared>, correlation_id: &str) {
    let answer = shared.state.borrow_mut().answer.take();
    let Some(answer) = answer.filter(|a| a.correlation_id == correlation_id) else {
        return;
    };
    let max = shared.state.borrow().config.max_inbound_frame_bytes;
    let frames: Rc<core::cell::RefCell<Vec<Frame>>> = Rc::default();
    let sink = Rc::clone(&frames);
    let route: Closure<RouteFn> =
        Closure::new(move |read: Read| sink.borrow_mut().push(Frame::read(&read)));
    read_body(
        &answer.text,
        route.as_ref().unchecked_ref(),
        max,
        inbound::UNREADABLE_PREFIX_UNITS,
    );
    drop(route);
    let frames = core::mem::take(&mut *frames.borrow_mut());
    for frame in frames {
        let now = now_ms();
        // Not JSON, or too large: the error names this request.
        let err = match frame {
            Frame::Parsed(mut parsed) => {
                parsed.answer_to(correlation_id);
                on_parsed(shared, parsed, now);
                continue;
            }
            Frame::NotJson { prefix } => inbound::invalid_json(&prefix, now),
            Frame::TooLarge { size, prefix } => inbound::frame_too_large(size, max, &prefix, now),
            binary @ Frame::Binary => {
                on_frame(shared, binary, now);
                continue;
            }
        };
        unreadable(shared, err.for_request(correlation_id));
    }
}
