//! The cross-tab machine's effects carried out in the browser: messages
//! posted on the channel, the lock asked for or released, the session fed,
//! the follower's link opened or handed a frame, and the machine's timer.

use alloc::rc::Rc;

use js_sys::JsString;
use optave_core::connection::Input;
use optave_core::crosstab::{header, read, Message, TabEffect, TabInput, MAX_HEADER_UNITS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::*;
use crate::browser::Timeout;
use crate::logger::Level;
use crate::runtime::{feed, now_ms, Shared};

/// Feeds one input to the cross-tab machine and carries out its effects;
/// re-arms its timer. Returns whether a frame fed is delivered here
/// ([`TabEffect::DeliverHere`]).
pub fn feed_tabs(shared: &Rc<Shared>, input: TabInput<JsValue>) -> bool {
    let effects = match shared.state.borrow_mut().tabs.as_mut() {
        Some(tabs) => tabs.machine.handle(input),
        None => return true,
    };
    let mut here = false;
    for effect in effects {
        match effect {
            TabEffect::DeliverHere => here = true,
            TabEffect::Role { previous, current } => {
                shared.emit(
                    Event::RoleChange,
                    &role_event(previous.as_str(), current.as_str()),
                );
                let waiting = shared
                    .state
                    .borrow_mut()
                    .tabs
                    .as_mut()
                    .and_then(|t| t.waiting_attempt.take());
                if let Some(attempt) = waiting {
                    crate::connect::start_attempt(shared, attempt);
                }
            }
            TabEffect::LinkFrame(text) => {
                let link = shared
                    .state
                    .borrow()
                    .tabs
                    .as_ref()
                    .and_then(|t| t.link.clone());
                if let (Some(link), Some(text)) = (link, text.dyn_ref::<JsString>()) {
                    link.frame(text);
                }
            }
            TabEffect::WarnOnce(message) => {
                let first = shared
                    .state
                    .borrow_mut()
                    .tabs
                    .as_mut()
                    .is_some_and(|t| !core::mem::replace(&mut t.warned, true));
                if first {
                    shared.logger.log(Level::Warn, message, None);
                }
            }
            // The channel, the lock, the socket and the link's opening call
            // nothing back at once: carried out with the state held.
            effect => {
                let mut state = shared.state.borrow_mut();
                let st = &mut *state;
                let tabs = st.tabs.as_mut();
                // What the session hears, once the state is let go.
                let input = match effect {
                    TabEffect::Post(message) => {
                        if let Some(tabs) = tabs {
                            post(&tabs.channel, &message);
                        }
                        None
                    }
                    TabEffect::RequestLock { wait, steal } => {
                        if let Some(tabs) = tabs {
                            if let Some(old) = tabs.lock.take() {
                                old.release();
                            }
                            tabs.lock = Some(request_lock(&tabs.channel, wait, steal));
                        }
                        None
                    }
                    TabEffect::ReleaseLock => {
                        if let Some(lock) = tabs.and_then(|t| t.lock.take()) {
                            lock.release();
                        }
                        None
                    }
                    TabEffect::Carrier { ready } => match tabs.and_then(|t| t.link.as_ref()) {
                        Some(link) if ready && link.ready_state() == 0 => {
                            link.open();
                            None
                        }
                        _ => Some(Input::Carrier {
                            ready,
                            now_ms: now_ms(),
                        }),
                    },
                    TabEffect::Peers(unfinished) => Some(Input::Peers {
                        unfinished,
                        now_ms: now_ms(),
                    }),
                    TabEffect::Transmit(text) => {
                        if let (Some(socket), Some(text)) =
                            (st.socket.as_ref(), text.dyn_ref::<JsString>())
                        {
                            let _ = socket.send_text(text);
                        }
                        None
                    }
                    _ => None,
                };
                drop(state);
                if let Some(input) = input {
                    feed(shared, input);
                }
            }
        }
    }
    rearm_tabs(shared);
    here
}

/// Arms the cross-tab timer at the machine's next wake-up (or clears it).
fn rearm_tabs(shared: &Rc<Shared>) {
    let (next, armed) = match shared.state.borrow().tabs.as_ref() {
        Some(t) => (t.machine.next_wakeup(), t.timer.as_ref().map(|(at, _)| *at)),
        None => return,
    };
    if next == armed {
        return;
    }
    let timer = next.map(|at| {
        let weak = Rc::downgrade(shared);
        let timeout = Timeout::new(at - now_ms(), move || {
            if let Some(shared) = weak.upgrade() {
                let (fired, unfinished) = {
                    let mut st = shared.state.borrow_mut();
                    let unfinished = st.session.outbox().unfinished();
                    (st.tabs.as_mut().and_then(|t| t.timer.take()), unfinished)
                };
                feed_tabs(
                    &shared,
                    TabInput::Tick {
                        unfinished,
                        now_ms: now_ms(),
                    },
                );
                drop(fired);
            }
        });
        (at, timeout)
    });
    let old = shared
        .state
        .borrow_mut()
        .tabs
        .as_mut()
        .map(|t| core::mem::replace(&mut t.timer, timer));
    drop(old);
}

/// Posts `message`: its header (the core's JSON) and, for an envelope or a
/// frame, the text beside it (a frame still parsed becomes text here, as it
/// leaves this tab).
fn post(channel: &JsValue, message: &Message<JsValue>) {
    let text = match message {
        Message::Send { text, .. } => text.clone(),
        Message::Frame { text, .. } => frame_text(text).into(),
        _ => JsValue::UNDEFINED,
    };
    post_to(channel, &header(message), &text);
}

/// A message from the channel, or `None` for anything else ([`read`]).
pub(super) fn decode(data: &JsValue) -> Option<Message<JsValue>> {
    let head = header_of(data);
    if head.is_undefined() {
        return None;
    }
    let head: JsString = head.unchecked_into();
    if head.length() as usize > MAX_HEADER_UNITS {
        return None;
    }
    let text = text_of(data);
    read(&String::from(head), (!text.is_undefined()).then_some(text))
}
