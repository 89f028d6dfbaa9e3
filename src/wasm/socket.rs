//! The browser WebSocket, wrapped so that it owns its listeners.
//!
//! Each browser event becomes a [`SocketEvent`] handed to the sink; the sink
//! (the client) feeds it to the core. Dropping a [`Socket`] removes its four
//! listeners (gloo's `EventListener` guards) and closes the socket if it is
//! still connecting or open. Nothing is `forget()`-ed.

use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::core::options::ConnectTarget;

/// What the browser reported.
#[derive(Debug)]
pub enum SocketEvent {
    /// `open`.
    Open,
    /// `message`, with `event.data`.
    Message(JsValue),
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
    _listeners: [EventListener; 4],
}

impl Socket {
    /// Creates the WebSocket for `target` and attaches the listeners.
    ///
    /// Errors: whatever `new WebSocket(url, protocols)` throws (a `SyntaxError`
    /// for a bad URL or subprotocol).
    pub fn open(target: &ConnectTarget, sink: Rc<dyn Fn(SocketEvent)>) -> Result<Self, JsValue> {
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
        let on = |name: &'static str, map: fn(&web_sys::Event) -> SocketEvent| {
            let sink = Rc::clone(&sink);
            EventListener::new(&ws, name, move |event| sink(map(event)))
        };
        let listeners = [
            on("open", |_| SocketEvent::Open),
            on("message", |event| {
                SocketEvent::Message(
                    event
                        .dyn_ref::<MessageEvent>()
                        .map_or(JsValue::UNDEFINED, MessageEvent::data),
                )
            }),
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
        Ok(Self {
            ws,
            _listeners: listeners,
        })
    }

    /// `socket.send(text)`. Errors: what `send` throws.
    pub fn send(&self, text: &str) -> Result<(), JsValue> {
        self.ws.send_with_str(text)
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
        // The listener guards in `_listeners` are dropped next: each removes itself.
    }
}
