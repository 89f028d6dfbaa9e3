//! The per-action senders of `OptaveClient`: `interaction(params)` and
//! `interactionAsync(params, options)` and so on for the nine actions
//! (seed 002 "Available Methods"; protocol.md section 4).

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::client::OptaveClient;
use crate::core::action::Action;
use crate::core::model::RequestParams;
use crate::core::options::RequestOptions;

macro_rules! senders {
    ($($action:ident, $name:ident, $js:literal, $async_name:ident, $js_async:literal, $what:literal;)*) => {$(
        #[wasm_bindgen]
        impl OptaveClient {
            #[doc = concat!("Sends a `", $js, "` request: ", $what)]
            ///
            /// `params` (`{ session?, request?, headers? }`) is merged onto the default
            /// payload (objects recursively, arrays whole). Returns the correlationId
            /// sent, or `undefined` when refused; the refusal goes to `error`:
            /// VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
            /// every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
            /// `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`.
            #[wasm_bindgen(js_name = $js, unchecked_return_type = "string | undefined")]
            pub fn $name(&self, params: Ts<RequestParams>) -> Option<String> {
                self.fire(Action::$action, &params.js_value())
            }

            #[doc = concat!("Sends a `", $js, "` request and resolves with the first frame that carries its correlationId.")]
            ///
            /// Rejects with an `OptaveError`: the refusals of the fire-and-forget form,
            /// ORCHESTRATOR (the server's error frame; `code` is its `error_code` or
            /// `REMOTE_ERROR`), WEBSOCKET `REQUEST_TIMEOUT` (after `options.timeoutMs`,
            /// default `requestTimeoutMs`), VALIDATION `REQUEST_CANCELLED`, WEBSOCKET
            /// `CONNECTION_CLOSED`.
            #[wasm_bindgen(js_name = $js_async, unchecked_return_type = "Promise<SuperpowerEvent>")]
            pub fn $async_name(&self, params: Ts<RequestParams>, options: Option<Ts<RequestOptions>>) -> Promise {
                self.request(Action::$action, &params.js_value(), options.map(|o| o.js_value()))
            }
        }
    )*};
}

senders! {
    Interaction, interaction, "interaction", interaction_async, "interactionAsync",
        "analyse a customer interaction (sentiment, risk, escalation, language, search needs).";
    Reception, reception, "reception", reception_async, "receptionAsync",
        "intake and routing of a new contact (seed 001).";
    Elevate, elevate, "elevate", elevate_async, "elevateAsync",
        "escalate to a human agent; needs `attributes.content` and `connections.parentId`.";
    Adjust, adjust, "adjust", adjust_async, "adjustAsync",
        "rewrite a suggestion; needs `attributes.content`, `attributes.instruction`, `connections.parentId`.";
    Summarize, summarize, "summarize", summarize_async, "summarizeAsync",
        "summarise the conversation.";
    Translate, translate, "translate", translate_async, "translateAsync",
        "translate the conversation.";
    Recommend, recommend, "recommend", recommend_async, "recommendAsync",
        "rank `request.resources.offers` (required, non-empty) against the conversation (seed 004).";
    Insights, insights, "insights", insights_async, "insightsAsync",
        "agent performance criteria and sentiment (seed 003).";
    CustomerInteraction, customer_interaction, "customerInteraction", customer_interaction_async, "customerInteractionAsync",
        "@deprecated use `interaction`. Sent as `customerinteraction` (seed 000); warns once.";
}
