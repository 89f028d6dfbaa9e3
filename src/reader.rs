//! The frame reader's side in Rust: a small JavaScript reader
//! (`listenFrames` in js/bindings.js) parses each frame once with
//! `JSON.parse` and reads the core's [`Routing`] fields from fixed places
//! in one pass into a plain object, which [`Frame::read`] reads by name
//! ([`Read`]), so the frame's text never crosses into wasm.
//! [`OwnedErrorFields::read`] reads more of an error frame
//! ([`optave_core::inbound::Routed::Error`]).

use alloc::string::String;

use optave_core::inbound::{BodyFields, ErrorFields, HeaderFields, Routing};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = errorFields)]
    fn error_fields(frame: &JsValue, enveloped: bool) -> Read;
}

#[wasm_bindgen]
extern "C" {
    /// A plain object of the frame reader (js/bindings.js), read by name:
    /// what it routes (`kind`, `value`, `size`, `prefix` and the [`Routing`]
    /// fields: `isObject`, `actionIsMessage`, `hasHeaders`, `headers`, `top`,
    /// `payload`), the [`HeaderFields`] and [`BodyFields`] it holds, and the
    /// [`ErrorFields`] of `errorFields`.
    ///
    /// The getters are typed, so each is one call that converts its value on
    /// the way, with no `JsValue` handle to take and release: the reader
    /// writes each flag as a boolean and each text as a string or
    /// `undefined` (read as `None`). Of a frame that is not an object only
    /// `kind`, `value` and `isObject` are read.
    #[derive(Debug)]
    pub type Read;
    #[wasm_bindgen(method, getter)]
    fn kind(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn value(this: &Read) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn size(this: &Read) -> f64;
    #[wasm_bindgen(method, getter)]
    fn prefix(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = isObject)]
    fn is_object(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = actionIsMessage)]
    fn action_is_message(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = hasHeaders)]
    fn has_headers(this: &Read) -> bool;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &Read) -> Option<Read>;
    #[wasm_bindgen(method, getter)]
    fn top(this: &Read) -> Option<Read>;
    #[wasm_bindgen(method, getter)]
    fn payload(this: &Read) -> Option<Read>;
    #[wasm_bindgen(method, getter = correlationId)]
    fn correlation_id(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = correlationIdNotString)]
    fn correlation_id_not_string(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = schemaRef)]
    fn schema_ref(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn action(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = hasAction)]
    fn has_action(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = actionType)]
    fn action_type(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn state(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = hasError)]
    fn has_error(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = messageIsObject)]
    fn message_is_object(this: &Read) -> bool;
    #[wasm_bindgen(method, getter = itemErrorCode)]
    fn item_error_code(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = itemContent)]
    fn item_content(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = errorCode)]
    fn error_code(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = errorErrorCode)]
    fn error_error_code(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = errorMessage)]
    fn error_message(this: &Read) -> Option<String>;
    #[wasm_bindgen(method, getter = errorText)]
    fn error_text(this: &Read) -> Option<String>;
}

/// One inbound frame as the reader read it.
#[derive(Debug)]
pub enum Frame {
    /// A binary frame (kind `binary`), not read.
    Binary,
    /// A text frame that `JSON.parse` refused (kind `notJson`): its first
    /// [`UNREADABLE_PREFIX_UNITS`].
    NotJson {
        /// The start of the frame.
        prefix: String,
    },
    /// A text frame over `maxInboundFrameBytes` (kind `tooLarge`), not
    /// parsed.
    TooLarge {
        /// Its size: bytes of UTF-8, or its UTF-16 length when that alone is
        /// over the limit.
        size: f64,
        /// Its first [`UNREADABLE_PREFIX_UNITS`].
        prefix: String,
    },
    /// A parsed frame (kind `frame`).
    Parsed(Parsed),
}

/// A parsed frame: the `JSON.parse` result and its [`Routing`] fields, owned.
#[derive(Debug)]
pub struct Parsed {
    /// The `JSON.parse` result, which the page gets.
    pub value: JsValue,
    is_object: bool,
    action_is_message: bool,
    has_headers: bool,
    headers: Option<Headers>,
    top: Body,
    payload: Option<Body>,
}

/// [`HeaderFields`], owned.
#[derive(Debug, Default)]
struct Headers {
    correlation_id: Option<String>,
    correlation_id_not_string: bool,
    schema_ref: Option<String>,
    action: Option<String>,
}

/// [`BodyFields`], owned.
#[derive(Debug, Default)]
struct Body {
    has_action: bool,
    action_type: Option<String>,
    state: Option<String>,
    has_error: bool,
    message_is_object: bool,
    correlation_id: Option<String>,
    correlation_id_not_string: bool,
}

impl Body {
    fn read(r: &Read) -> Self {
        Self {
            has_action: r.has_action(),
            action_type: r.action_type(),
            state: r.state(),
            has_error: r.has_error(),
            message_is_object: r.message_is_object(),
            correlation_id: r.correlation_id(),
            correlation_id_not_string: r.correlation_id_not_string(),
        }
    }

    fn fields(&self) -> BodyFields<'_> {
        BodyFields {
            has_action: self.has_action,
            action_type: self.action_type.as_deref(),
            state: self.state.as_deref(),
            has_error: self.has_error,
            message_is_object: self.message_is_object,
            correlation_id: self.correlation_id.as_deref(),
            correlation_id_not_string: self.correlation_id_not_string,
        }
    }
}

impl Frame {
    /// Reads what the frame reader routed; an unknown `kind` reads as a
    /// binary frame.
    pub fn read(r: &Read) -> Self {
        let prefix = || r.prefix().unwrap_or_default();
        match r.kind().as_deref() {
            Some("frame") if !r.is_object() => Frame::Parsed(Parsed {
                value: r.value(),
                is_object: false,
                action_is_message: false,
                has_headers: false,
                headers: None,
                top: Body::default(),
                payload: None,
            }),
            Some("frame") => Frame::Parsed(Parsed {
                value: r.value(),
                is_object: true,
                action_is_message: r.action_is_message(),
                has_headers: r.has_headers(),
                headers: r.headers().map(|h| Headers {
                    correlation_id: h.correlation_id(),
                    correlation_id_not_string: h.correlation_id_not_string(),
                    schema_ref: h.schema_ref(),
                    action: h.action(),
                }),
                top: r.top().map(|b| Body::read(&b)).unwrap_or_default(),
                payload: r.payload().map(|b| Body::read(&b)),
            }),
            Some("notJson") => Frame::NotJson { prefix: prefix() },
            Some("tooLarge") => Frame::TooLarge {
                size: r.size(),
                prefix: prefix(),
            },
            _ => Frame::Binary,
        }
    }
}

impl Parsed {
    /// The routing fields, borrowing the strings.
    pub fn routing(&self) -> Routing<'_> {
        Routing {
            is_object: self.is_object,
            action_is_message: self.action_is_message,
            has_headers: self.has_headers,
            headers: self.headers.as_ref().map(|h| HeaderFields {
                correlation_id: h.correlation_id.as_deref(),
                correlation_id_not_string: h.correlation_id_not_string,
                schema_ref: h.schema_ref.as_deref(),
                action: h.action.as_deref(),
            }),
            top: self.top.fields(),
            payload: self.payload.as_ref().map(Body::fields),
        }
    }

    /// A frame of a REST answer that names no request (no correlationId in
    /// its headers, itself or its payload) is the answer to `correlation_id`,
    /// which stands in for its payload's correlationId when it has a payload
    /// object, else its own (so a bare frame that carries a payload object,
    /// whose body is the frame itself, stays unnamed).
    pub fn answer_to(&mut self, correlation_id: &str) {
        let named = self
            .headers
            .as_ref()
            .is_some_and(|h| h.correlation_id.is_some())
            || self.top.correlation_id.is_some()
            || self
                .payload
                .as_ref()
                .is_some_and(|p| p.correlation_id.is_some());
        if !named {
            let body = self.payload.as_mut().unwrap_or(&mut self.top);
            body.correlation_id = Some(String::from(correlation_id));
        }
    }
}

/// The [`ErrorFields`] of an error frame, owned; its body is its `payload`
/// when `enveloped`, else the frame itself.
#[derive(Debug, Default)]
pub struct OwnedErrorFields([Option<String>; 6]);

impl OwnedErrorFields {
    /// Reads them (one JavaScript call, `errorFields`).
    pub fn read(frame: &JsValue, enveloped: bool) -> Self {
        let r = error_fields(frame, enveloped);
        Self([
            r.item_error_code(),
            r.item_content(),
            r.error_code(),
            r.error_error_code(),
            r.error_message(),
            r.error_text(),
        ])
    }

    /// Borrows them as the core's [`ErrorFields`].
    pub fn fields(&self) -> ErrorFields<'_> {
        let [item_error_code, item_content, error_code, error_error_code, error_message, error_text] =
            self.0.each_ref().map(Option::as_deref);
        ErrorFields {
            item_error_code,
            item_content,
            error_code,
            error_error_code,
            error_message,
            error_text,
        }
    }
}

/// The frame reader's callback: one [`Read`] of kind `frame`, `notJson`,
/// `tooLarge` or `binary`.
pub type RouteFn = dyn FnMut(Read);
