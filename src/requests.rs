//! Sending one `...Async` request for the page: the action by name, the
//! request options, the envelope, handed to the session with its promise.

use alloc::string::String;
use alloc::vec::Vec;

use optave_core::action::Action;
use optave_core::connection::Input;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::options::{handle_options, request_timeout};
use optave_core::text::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::OptaveClient;
use crate::options::{options_text, string_argument};
use crate::runtime::{feed, now_ms, Handle, Settle, Waiter};

impl OptaveClient {
    /// Sends `params` as `action` for an `...Async` promise (`settle`),
    /// with `options` `{ timeoutMs? }`.
    ///
    /// Errors: those of `sendAsync`.
    pub(crate) fn register_and_send(
        &self,
        action: &JsValue,
        params: &JsValue,
        options: &JsValue,
        settle: Settle,
    ) -> Result<(), OptaveError> {
        self.send_waited(action, params, options, Waiter::Promise(settle))
            .map(drop)
    }

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
        self.send_waited(action, params, options, Waiter::Handle(handle))
    }

    /// The action, the request options (`{ timeoutMs? }` for a promise,
    /// `{ timeoutMs?, settleMs? }` for a handle), the envelope, then the
    /// session. Returns the correlationId.
    fn send_waited(
        &self,
        action: &JsValue,
        params: &JsValue,
        options: &JsValue,
        waiter: Waiter,
    ) -> Result<String, OptaveError> {
        let now = now_ms();
        let action = action_argument(action)?;
        let default_timeout = self.shared.state.borrow().config.request_timeout_ms;
        let options = if options.is_undefined() || options.is_null() {
            None
        } else {
            // A cycle, a BigInt or a throwing getter: refused, never read as
            // "no options".
            let text = options_text(options, ErrorCode::InvalidArgument, now)?;
            Some(text.ok_or_else(|| {
                OptaveError::validation(
                    ErrorCode::InvalidArgument,
                    "request options could not be serialized to JSON",
                    now,
                )
                .suggest("Pass { timeoutMs, settleMs } as plain numbers of ms")
            })?)
        };
        let (settle_ms, timeout) = match waiter {
            Waiter::Promise(_) => (
                None,
                request_timeout(options.as_deref(), default_timeout, now)?,
            ),
            Waiter::Handle(_) => {
                let options = handle_options(options.as_deref(), default_timeout, now)?;
                (Some(options.settle_ms), options.timeout_ms)
            }
        };
        let out = self.shared.prepare(action, params)?;
        self.shared.submit(out, Some(waiter), settle_ms, timeout)
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
        let cancel = Input::Cancel {
            correlation_id,
            now_ms: now_ms(),
        };
        feed(&self.shared, cancel).rejected > 0
    }

    /// Cancels every pending `...Async` request (`REQUEST_CANCELLED`). Returns how many.
    #[wasm_bindgen(js_name = cancelPendingRequests)]
    pub fn cancel_pending_requests(&self) -> u32 {
        feed(&self.shared, Input::CancelAll { now_ms: now_ms() }).rejected
    }
}

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
