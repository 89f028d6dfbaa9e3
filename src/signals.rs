//! The browser's signals about the network and the page, as session inputs
//! (docs/api.md, "Connection states, reconnection and the offline queue"): `online` and `offline`
//! on the global object, `visibilitychange`, `freeze` and `resume` on the
//! document, `pageshow` and `pagehide` on the window. Every listener is owned ([`Listener`]) and
//! removed when [`Signals`] is dropped: on `close()` and on `free()`.

use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;

use optave_core::connection::Input;
use wasm_bindgen::prelude::*;
use web_sys::EventTarget;

use crate::browser::Listener;
use crate::runtime::{feed, now_ms, Shared, Waiter};

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    /// `globalThis` (the window, or a worker's global scope).
    #[wasm_bindgen(js_name = globalTarget)]
    fn global_target() -> EventTarget;
    /// `globalThis.document`, when there is one (not in a worker).
    #[wasm_bindgen(js_name = pageDocument)]
    fn page_document() -> Option<EventTarget>;
    /// `document.visibilityState !== 'hidden'` (true without a document).
    #[wasm_bindgen(js_name = pageVisible)]
    fn page_visible() -> bool;
}

/// The listeners, owned.
#[derive(Debug)]
pub struct Signals {
    _listeners: Vec<Listener>,
}

impl Signals {
    /// Listens for the signals of the global object (and document) for
    /// `shared`'s session.
    pub fn install(shared: &Rc<Shared>) -> Self {
        let global = global_target();
        let on =
            |target: &EventTarget, name: &'static str, input: fn(f64) -> Option<Input<Waiter>>| {
                let weak: Weak<Shared> = Rc::downgrade(shared);
                Listener::new(target, name, move |_| {
                    if let (Some(shared), Some(input)) = (weak.upgrade(), input(now_ms())) {
                        crate::crosstab::page_signal(&shared, &input);
                        feed(&shared, input);
                    }
                })
            };
        let mut listeners = Vec::with_capacity(7);
        listeners.push(on(&global, "offline", |now_ms| {
            Some(Input::Offline { now_ms })
        }));
        listeners.push(on(&global, "online", |now_ms| {
            Some(Input::Online { now_ms })
        }));
        listeners.push(on(&global, "pageshow", |now_ms| {
            Some(Input::Resume { now_ms })
        }));
        listeners.push(on(&global, "pagehide", |now_ms| {
            Some(Input::PageHide { now_ms })
        }));
        if let Some(document) = page_document() {
            listeners.push(on(&document, "visibilitychange", |now_ms| {
                Some(if page_visible() {
                    Input::Resume { now_ms }
                } else {
                    Input::Hidden {
                        now_ms,
                        frozen: false,
                    }
                })
            }));
            // Page Lifecycle: a frozen page runs no task, reads no socket.
            listeners.push(on(&document, "freeze", |now_ms| {
                Some(Input::Hidden {
                    now_ms,
                    frozen: true,
                })
            }));
            listeners.push(on(&document, "resume", |now_ms| {
                Some(Input::Resume { now_ms })
            }));
        }
        Self {
            _listeners: listeners,
        }
    }
}
