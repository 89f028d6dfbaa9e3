//! The browser WebSocket, wrapped so that it owns its listeners.
//!
//! Each browser event becomes a [`SocketEvent`] handed to the sink; the sink
//! (the runtime) feeds it to the core. Dropping a [`Socket`] removes its four
//! listeners and closes the socket if it is still connecting or open.
//!
//! The `message` listener is the frame reader ([`crate::reader`]): the
//! frame is parsed once in JavaScript and reaches Rust as one object read by
//! name, so its text never crosses into wasm.

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Array, Function, JsString};
use optave_core::connection::Envelope;
use optave_core::inbound::UNREADABLE_PREFIX_UNITS;
use optave_core::options::ConnectTarget;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, WebSocket};

use crate::browser::Listener;
use crate::reader::{Frame, Read, RouteFn};

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
        max_bytes: u32,
        prefix_units: u32,
    ) -> Function;
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
    /// [`Frame::TooLarge`] without being parsed.
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
        let route: Closure<RouteFn> =
            Closure::new(move |read: Read| frame_sink(SocketEvent::Frame(Frame::read(&read))));
        let frame_listener = listen_frames(
            &ws,
            route.as_ref().unchecked_ref(),
            max_frame_bytes,
            UNREADABLE_PREFIX_UNITS,
        );
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
