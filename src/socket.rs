//! The browser WebSocket, wrapped so that it owns its listeners.
//!
//! Each browser event becomes a [`SocketEvent`] handed to the sink; the sink
//! (the client) feeds it to the core. Dropping a [`Socket`] removes its four
//! listeners (gloo's `EventListener` guards for `open`, `error` and `close`,
//! and the `message` listener below) and closes the socket if it is still
//! connecting or open. Nothing is `forget()`-ed.
//!
//! The `message` listener is a small JavaScript function: it parses the frame
//! once with `JSON.parse` (the page gets that object) and reads the routing
//! fields the core needs ([`Routing`], read exactly as `Routing::read` does),
//! so the frame's text never crosses into wasm (see BENCHMARKS.md).

use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, WebSocket};

use crate::core::inbound::Routing;
use crate::core::options::ConnectTarget;

#[wasm_bindgen(inline_js = "
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : undefined);
export function listenFrames(ws, route) {
  const listener = (event) => {
    const data = event.data;
    if (typeof data !== 'string') { route(data, 64); return; }
    let f;
    try { f = JSON.parse(data); } catch (_) { route(data, 128); return; }
    if (!isObject(f)) { route(f, 0); return; }
    const h = isObject(f.headers) ? f.headers : undefined;
    const p = isObject(f.payload) ? f.payload : undefined;
    const b = p === undefined ? f : p;
    const flags = 1 | (f.action === 'message' ? 2 : 0) | (f.headers != null ? 4 : 0)
      | (h !== undefined ? 8 : 0) | (p !== undefined ? 16 : 0) | (b.error != null ? 32 : 0);
    let other = str(f.correlationId);
    if (other === undefined && p !== undefined) other = str(p.correlationId);
    route(f, flags,
      h === undefined ? undefined : str(h.correlationId),
      h === undefined ? undefined : str(h.schemaRef),
      h === undefined ? undefined : str(h.action),
      str(b.actionType), str(b.state), other);
  };
  ws.addEventListener('message', listener);
  return listener;
}")]
extern "C" {
    fn listenFrames(ws: &WebSocket, route: &Function) -> Function;
}

/// What the browser reported.
#[derive(Debug)]
pub enum SocketEvent {
    /// `open`.
    Open,
    /// `message`: the frame as the listener read it.
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

/// One inbound frame as the `message` listener read it.
#[derive(Debug)]
pub struct Frame {
    /// The `JSON.parse` result; the raw `event.data` when `flags` has
    /// [`Frame::NOT_TEXT`] or [`Frame::NOT_JSON`].
    pub value: JsValue,
    /// The [`Routing`] flags (`Routing::flags`), or one of the two bits below.
    pub flags: u32,
    /// The [`Routing`] strings, in field order: `headers.correlationId`,
    /// `headers.schemaRef`, `headers.action`, `body.actionType`, `body.state`,
    /// the other correlationId.
    pub fields: [Option<String>; 6],
}

impl Frame {
    /// Bit of `flags`: a binary frame (`value` is `event.data`).
    pub const NOT_TEXT: u32 = 64;
    /// Bit of `flags`: a text frame that is not JSON (`value` is the text).
    pub const NOT_JSON: u32 = 128;

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
        .with_flags(self.flags)
    }
}

type RouteFn = dyn FnMut(
    JsValue,
    u32,
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
    _listeners: [EventListener; 3],
    frame_listener: Function,
    _route: Closure<RouteFn>,
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
        let frame_listener = listenFrames(&ws, route.as_ref().unchecked_ref());
        Ok(Self {
            ws,
            _listeners: listeners,
            frame_listener,
            _route: route,
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
        let _ = self
            .ws
            .remove_event_listener_with_callback("message", &self.frame_listener);
        // The listener guards in `_listeners` are dropped next: each removes
        // itself; then the `message` closure is dropped.
    }
}
