//! Sending one `...Async` request for the page: the action by name, the
//! request options, the envelope, handed to the session with its promise.

use alloc::string::String;
use alloc::vec::Vec;

use optave_core::action::Action;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::options::{handle_options, request_timeout};
use optave_core::text::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::OptaveClient;
use crate::js_error::to_js_error;
use crate::options::{options_text, string_argument};
use crate::runtime::rearm;
use crate::runtime::{now_ms, Handle, Settle, Waiter};

impl OptaveClient {
    pub(crate) fn register_and_send(
        &self,
        action: &JsValue,
        params: &JsValue,
        options: &JsValue,
        settle: Settle,
    ) -> Result<(), OptaveError> {
        let now = now_ms();
        let action = action_argument(action)?;
        let default_timeout = self.shared.state.borrow().config.request_timeout_ms;
        let options = if options.is_undefined() || options.is_null() {
            None
        } else {
            options_text(options, ErrorCode::InvalidArgument, now)?
        };
        let timeout = request_timeout(options.as_deref(), default_timeout, now)?;
        let out = self.shared.prepare(action, params)?;
        self.shared
            .submit(out, Some(Waiter::Promise(settle)), None, timeout)
            .map(drop)
    }
}

impl OptaveClient {
    /// Sends `params` as `action` for a request handle (`client.request()`
    /// of `js/api.js`): `handle` gets every frame of the request, then its
    /// settlement (complete, and quiet for `settleMs`) or failure. Returns
    /// the correlationId, or `undefined` when refused: the refusal goes to
    /// `error` and fails the handle.
    ///
    /// Errors (on the handle): those of `sendAsync`; VALIDATION
    /// `INVALID_ARGUMENT` for options other than `{ timeoutMs?, settleMs? }`.
    pub(crate) fn track(
        &self,
        action: &JsValue,
        params: &JsValue,
        options: &JsValue,
        handle: Handle,
    ) -> Result<String, OptaveError> {
        let now = now_ms();
        let action = action_argument(action)?;
        let default_timeout = self.shared.state.borrow().config.request_timeout_ms;
        let options = if options.is_undefined() || options.is_null() {
            None
        } else {
            options_text(options, ErrorCode::InvalidArgument, now)?
        };
        let options = handle_options(options.as_deref(), default_timeout, now)?;
        let out = self.shared.prepare(action, params)?;
        self.shared.submit(
            out,
            Some(Waiter::Handle(handle)),
            Some(options.settle_ms),
            options.timeout_ms,
        )
    }
}

#[wasm_bindgen]
impl OptaveClient {
    /// Cancels a pending `...Async` request: its promise rejects with VALIDATION
    /// `REQUEST_CANCELLED`. Returns whether it was pending (never for
    /// anything but a string of at most 1,024 characters).
    #[wasm_bindgen(js_name = cancelRequest)]
    pub fn cancel_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] correlation_id: JsValue,
    ) -> bool {
        let Ok(correlation_id) = string_argument(&correlation_id, "correlationId", now_ms()) else {
            return false;
        };
        let correlation_id = correlation_id.as_str();
        let settle = self
            .shared
            .state
            .borrow_mut()
            .session
            .cancel(correlation_id);
        let Some(settle) = settle else { return false };
        let fetch = self
            .shared
            .state
            .borrow_mut()
            .session
            .stop_fetch(correlation_id);
        if let Some(fetch) = fetch {
            crate::rest::abort(&self.shared, fetch);
        }
        let err = cancelled(now_ms()).for_request(correlation_id);
        settle.reject(&to_js_error(&err));
        rearm(&self.shared);
        true
    }

    /// Cancels every pending `...Async` request (`REQUEST_CANCELLED`). Returns how many.
    #[wasm_bindgen(js_name = cancelPendingRequests)]
    pub fn cancel_pending_requests(&self) -> u32 {
        let pending = self.shared.state.borrow_mut().session.cancel_all();
        let err = cancelled(now_ms());
        for (id, _) in &pending {
            let fetch = self.shared.state.borrow_mut().session.stop_fetch(id);
            if let Some(fetch) = fetch {
                crate::rest::abort(&self.shared, fetch);
            }
        }
        for (id, settle) in &pending {
            settle.reject(&to_js_error(&err.clone().for_request(id.as_str())));
        }
        rearm(&self.shared);
        pending.len() as u32
    }
}

/// The action named `name` (method or wire name).
///
/// Errors: VALIDATION `INVALID_ACTION`.
/// The action the page named (a method or wire name), read only when it is
/// a string of at most 1,024 characters.
///
/// Errors: VALIDATION `INVALID_ARGUMENT` (not such a string), `INVALID_ACTION`.
pub fn action_argument(name: &JsValue) -> Result<Action, OptaveError> {
    action_named(&string_argument(name, "the action name", now_ms())?)
}

fn action_named(name: &str) -> Result<Action, OptaveError> {
    Action::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.method_name()).collect();
        OptaveError::validation(
            ErrorCode::InvalidAction,
            Text::new("unknown action ").q(name),
            now_ms(),
        )
        .suggest(Text::new("Use one of ").list(&names).done())
    })
}

pub fn cancelled(now: f64) -> OptaveError {
    OptaveError::validation(
        ErrorCode::RequestCancelled,
        "the request was cancelled",
        now,
    )
}
