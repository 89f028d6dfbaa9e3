//! The browser WebSocket, wrapped so that it owns its listeners.
//!
//! Each browser event becomes a [`SocketEvent`] handed to the sink; the sink
//! (the runtime) feeds it to the core. Dropping a [`Socket`] removes its four
//! listeners and closes the socket if it is still connecting or open.
//!
//! The `message` listener is a small JavaScript reader: it parses the frame
//! once with `JSON.parse` (the page gets that object) and reads the core's
//! [`Routing`] fields from fixed places, packing the booleans with the core's
//! own bit layout ([`Routing::BITS`], handed to it at creation) and the header
//! names from the core's header table, so the frame's text never crosses into
//! wasm. [`Frame::reread_top_body`] and [`read_error_fields`] read more of a frame when
//! the core asks for it ([`optave_core::inbound::Routed`]).

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Array, Function, JsString};
use optave_core::connection::Envelope;
use optave_core::headers;
use optave_core::inbound::{ErrorFields, Routing, UNREADABLE_PREFIX_UNITS};
use optave_core::options::ConnectTarget;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, WebSocket};

use crate::browser::Listener;

#[wasm_bindgen]
extern "C" {
    /// A `WebSocket` seen through the one method web-sys types only for a
    /// Rust `&str`.
    type SendTarget;
    /// `WebSocket.prototype.send` with a JavaScript string (no copy out of
    /// wasm memory).
    #[wasm_bindgen(method, catch, js_name = send)]
    fn send(this: &SendTarget, data: &JsString) -> Result<(), JsValue>;
}

/// An envelope as the session keeps it to send again after a reconnect:
/// the JavaScript string handed to `WebSocket.send`, so the text lives in
/// the JavaScript heap (collected once the request is answered) instead of
/// growing wasm memory, which never shrinks. `bytes` is its UTF-8 length,
/// which the queue and tracking limits count.
#[derive(Debug, Clone)]
pub struct JsEnvelope {
    text: JsString,
    bytes: usize,
}

impl JsEnvelope {
    /// Copies a built envelope's text out of wasm memory (once).
    pub fn new(text: &str) -> Self {
        Self {
            text: JsString::from(text),
            bytes: text.len(),
        }
    }

    /// The text, as a JavaScript string.
    pub fn text(&self) -> &JsString {
        &self.text
    }
}

impl From<String> for JsEnvelope {
    /// The built envelope's text leaves wasm memory here; the `String` is
    /// freed.
    fn from(text: String) -> Self {
        Self::new(&text)
    }
}

impl Envelope for JsEnvelope {
    fn byte_len(&self) -> usize {
        self.bytes
    }
}

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = listenFrames)]
    fn listen_frames(
        ws: &WebSocket,
        route: &Function,
        bits: &Array,
        names: &Array,
        limits: &Array,
    ) -> Function;
    #[wasm_bindgen(js_name = topBody)]
    fn top_body(frame: &JsValue) -> Array;
    #[wasm_bindgen(js_name = errorFields)]
    fn error_fields(frame: &JsValue, top: bool) -> Array;
}

/// What the browser reported.
#[derive(Debug)]
pub enum SocketEvent {
    /// `open`.
    Open,
    /// `message`: the frame as the reader read it.
    Frame(Frame),
    /// `error`.
    Error,
    /// `close`.
    Close {
        /// Close code.
        code: u16,
        /// Close reason.
        reason: String,
        /// Whether the close handshake completed.
        was_clean: bool,
    },
}

/// One inbound frame as the reader read it.
#[derive(Debug)]
pub struct Frame {
    /// The `JSON.parse` result; the raw `event.data` when `flags` is
    /// [`Frame::NOT_TEXT`]; the frame's size (bytes of UTF-8, or its UTF-16
    /// length when that alone is over the limit) when `flags` is
    /// [`Frame::NOT_JSON`] or [`Frame::TOO_LARGE`], with the frame's first
    /// [`UNREADABLE_PREFIX_UNITS`] in `fields[0]`.
    pub value: JsValue,
    /// The [`Routing`] flags, or one of the two markers below.
    pub flags: i32,
    /// The [`Routing`] strings, in field order: `headers.correlationId`,
    /// `headers.schemaRef`, `headers.action`, `body.actionType`, `body.state`,
    /// the other correlationId.
    pub fields: [Option<String>; 6],
}

impl Frame {
    /// `flags` of a binary frame (`value` is `event.data`).
    pub const NOT_TEXT: i32 = -1;
    /// `flags` of a text frame that `JSON.parse` refused.
    pub const NOT_JSON: i32 = -2;
    /// `flags` of a text frame over `maxInboundFrameBytes`, not parsed.
    pub const TOO_LARGE: i32 = -3;

    /// The start of an unreadable frame ([`Frame::NOT_JSON`], [`Frame::TOO_LARGE`]).
    pub fn prefix(&self) -> &str {
        self.fields[0].as_deref().unwrap_or_default()
    }

    /// The routing fields, borrowing the strings.
    pub fn routing(&self) -> Routing<'_> {
        let [header_correlation_id, header_schema_ref, header_action, body_action_type, body_state, other_correlation_id] =
            self.fields.each_ref().map(Option::as_deref);
        Routing {
            header_correlation_id,
            header_schema_ref,
            header_action,
            body_action_type,
            body_state,
            other_correlation_id,
            ..Routing::default()
        }
        .with_flags(self.flags as u32)
    }

    /// Reads the body fields (and the correlationId) from the frame itself: a
    /// bare frame that carries a `payload` object.
    pub fn reread_top_body(&mut self) {
        let read = top_body(&self.value);
        let [_, _, _, action_type, state, other] = &mut self.fields;
        *action_type = read.get(0).as_string();
        *state = read.get(1).as_string();
        // A bare frame's own correlationId only, never its payload's.
        *other = read.get(3).as_string();
        // body_has_error, body_has_action, body_message_is_object,
        // correlation_id_not_string: read again from the frame itself.
        let [_, _, _, _, _, error, action, message, bad_id] = Routing::BITS;
        for (at, bit) in [(2, error), (4, action), (5, message), (6, bad_id)] {
            let on = read.get(at).as_bool().unwrap_or(false);
            self.flags = if on {
                self.flags | bit as i32
            } else {
                self.flags & !(bit as i32)
            };
        }
    }
}

/// The [`ErrorFields`] of an error frame, owned; `top` when its body is the
/// frame itself.
pub fn read_error_fields(frame: &JsValue, top: bool) -> [Option<String>; 6] {
    let read = error_fields(frame, top);
    core::array::from_fn(|i| read.get(i as u32).as_string())
}

/// Borrows owned error fields as the core's [`ErrorFields`].
pub fn error_fields_ref(f: &[Option<String>; 6]) -> ErrorFields<'_> {
    let [item_error_code, item_content, error_code, error_error_code, error_message, error_text] =
        f.each_ref().map(Option::as_deref);
    ErrorFields {
        item_error_code,
        item_content,
        error_code,
        error_error_code,
        error_message,
        error_text,
    }
}

/// What the frame reader needs of the core: the [`Routing`] bits, the
/// header names it reads, and `[max_frame_bytes, UNREADABLE_PREFIX_UNITS]`.
pub fn reader_constants(max_frame_bytes: u32) -> [Array; 3] {
    let bits: Array = Routing::BITS.iter().map(|b| JsValue::from(*b)).collect();
    let names: Array = [
        headers::CORRELATION_ID,
        headers::SCHEMA_REF,
        headers::ACTION,
    ]
    .iter()
    .map(|n| JsValue::from_str(n))
    .collect();
    let limits: Array = [max_frame_bytes, UNREADABLE_PREFIX_UNITS]
        .iter()
        .map(|n| JsValue::from(*n))
        .collect();
    [bits, names, limits]
}

/// The frame reader's callback: the parsed frame (or what stands for it),
/// its flags and its six routing strings.
pub type RouteFn = dyn FnMut(
    JsValue,
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// An open or opening WebSocket and its listeners.
#[derive(Debug)]
pub struct Socket {
    ws: WebSocket,
    _listeners: [Listener; 3],
    frame_listener: Function,
    _route: Closure<RouteFn>,
}

impl Socket {
    /// Creates the WebSocket for `target` and attaches the listeners; text
    /// frames over `max_frame_bytes` (bytes of UTF-8) are reported as
    /// [`Frame::TOO_LARGE`] without being parsed.
    ///
    /// Errors: whatever `new WebSocket(url, protocols)` throws (a `SyntaxError`
    /// for a bad URL or subprotocol).
    pub fn open(
        target: &ConnectTarget,
        max_frame_bytes: u32,
        sink: Rc<dyn Fn(SocketEvent)>,
    ) -> Result<Self, JsValue> {
        let ws = if target.protocols.is_empty() {
            WebSocket::new(&target.url)?
        } else {
            let protocols: Array = target
                .protocols
                .iter()
                .map(|p| JsValue::from_str(p))
                .collect();
            WebSocket::new_with_str_sequence(&target.url, &protocols)?
        };
        Ok(Self::attach(ws, max_frame_bytes, sink))
    }

    /// Listens to `ws`: a WebSocket, or a follower's link to the leader tab
    /// (js/crosstab.js), which has the same events, `readyState` and
    /// `close()`.
    pub fn attach(ws: WebSocket, max_frame_bytes: u32, sink: Rc<dyn Fn(SocketEvent)>) -> Self {
        let on = |name: &'static str, map: fn(&web_sys::Event) -> SocketEvent| {
            let sink = Rc::clone(&sink);
            Listener::new(&ws, name, move |event| sink(map(&event)))
        };
        let listeners = [
            on("open", |_| SocketEvent::Open),
            on("error", |_| SocketEvent::Error),
            on("close", |event| match event.dyn_ref::<CloseEvent>() {
                Some(close) => SocketEvent::Close {
                    code: close.code(),
                    reason: close.reason(),
                    was_clean: close.was_clean(),
                },
                None => SocketEvent::Close {
                    code: 1006,
                    reason: String::new(),
                    was_clean: false,
                },
            }),
        ];
        let frame_sink = Rc::clone(&sink);
        let route: Closure<RouteFn> = Closure::new(move |value, flags, hc, hs, ha, at, st, oc| {
            frame_sink(SocketEvent::Frame(Frame {
                value,
                flags,
                fields: [hc, hs, ha, at, st, oc],
            }))
        });
        let [bits, names, limits] = reader_constants(max_frame_bytes);
        let frame_listener =
            listen_frames(&ws, route.as_ref().unchecked_ref(), &bits, &names, &limits);
        Self {
            ws,
            _listeners: listeners,
            frame_listener,
            _route: route,
        }
    }

    /// `socket.send(text)`. Errors: what `send` throws.
    pub fn send(&self, envelope: &JsEnvelope) -> Result<(), JsValue> {
        self.send_text(&envelope.text)
    }

    /// `socket.send(text)` for a text already in JavaScript (another tab's
    /// envelope). Errors: what `send` throws.
    pub fn send_text(&self, text: &JsString) -> Result<(), JsValue> {
        self.ws.unchecked_ref::<SendTarget>().send(text)
    }

    /// `socket.close(code, reason)`.
    pub fn close(&self, code: u16, reason: &str) {
        // close() throws only for an invalid code or an over-long reason,
        // neither of which the core produces.
        let _ = self.ws.close_with_code_and_reason(code, reason);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let state = self.ws.ready_state();
        if state == WebSocket::CONNECTING || state == WebSocket::OPEN {
            let _ = self.ws.close_with_code_and_reason(1000, "client released");
        }
        let _ = self
            .ws
            .remove_event_listener_with_callback("message", &self.frame_listener);
        // The listeners in `_listeners` are dropped next: each removes itself;
        // then the reader's closure is dropped.
    }
}
