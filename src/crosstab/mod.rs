//! Cross-tab sharing in the browser (docs/api.md, "One connection across
//! tabs"): carries out the effects of the core's cross-tab machine
//! ([`optave_core::crosstab`]) with a `BroadcastChannel`, a Web Lock and,
//! in a follower, a link to the leader tab that the session uses as its
//! socket. Everything here is owned by the client's state and released on
//! `close()` (the lock) and `free()` (the channel, its listener, the
//! timer).

use alloc::rc::{Rc, Weak};
use alloc::string::String;

use js_sys::JsString;
use optave_core::connection::{ConnectionState, Input};
use optave_core::crosstab::{
    channel_name, CrossTab, Role, TabInput, MAX_TAB_ID, TAKEOVER_JITTER_MS,
};
use optave_core::ids::RandomSource;
use optave_core::options::ClientConfig;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::Timeout;
use crate::events::Event;
use crate::random::CryptoRandom;
use crate::runtime::{feed, now_ms, Shared};

mod effects;
use effects::decode;
pub use effects::feed_tabs;

#[wasm_bindgen(module = "/js/crosstab.js")]
extern "C" {
    #[wasm_bindgen(js_name = crossTabSupported)]
    fn supported() -> bool;
    #[wasm_bindgen(js_name = openChannel)]
    fn open_channel(name: &str, on: &js_sys::Function) -> JsValue;
    #[wasm_bindgen(js_name = postTo)]
    fn post_to(channel: &JsValue, header: &str, text: &JsValue);
    /// A string, or `undefined`.
    #[wasm_bindgen(js_name = headerOf)]
    fn header_of(data: &JsValue) -> JsValue;
    /// A string, or `undefined`.
    #[wasm_bindgen(js_name = textOf)]
    fn text_of(data: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = closeChannel)]
    fn close_channel(channel: &JsValue);
    #[wasm_bindgen(js_name = requestLock)]
    fn request_lock(channel: &JsValue, wait: bool, steal: bool) -> LockHandle;
    /// A lock request's handle.
    #[derive(Debug)]
    pub type LockHandle;
    #[wasm_bindgen(method)]
    fn release(this: &LockHandle);
    /// A follower's link to the leader tab (a WebSocket look-alike).
    #[derive(Debug, Clone)]
    pub type TabLink;
    #[wasm_bindgen(js_name = newLink)]
    fn new_link() -> TabLink;
    #[wasm_bindgen(method)]
    fn open(this: &TabLink);
    #[wasm_bindgen(method)]
    fn frame(this: &TabLink, text: &JsString);
    #[wasm_bindgen(method, getter = readyState)]
    fn ready_state(this: &TabLink) -> u16;
    #[wasm_bindgen(js_name = frameText)]
    fn frame_text(frame: &JsValue) -> JsString;
    #[wasm_bindgen(js_name = roleEvent)]
    fn role_event(previous: &str, current: &str) -> JsValue;
}

/// One client's part in sharing: the machine, the channel, the lock.
#[derive(Debug)]
pub struct Tabs {
    machine: CrossTab,
    /// `{ channel, listener, name, on }` (js/crosstab.js).
    channel: JsValue,
    /// The channel's messages and the lock's events ([`on_event`]).
    _on: Closure<dyn FnMut(bool, JsValue)>,
    lock: Option<LockHandle>,
    timer: Option<(f64, Timeout)>,
    /// The page wants the connection (`connect()` without a token, until
    /// `close()`).
    wanted: bool,
    /// The attempt the session started before the role was known.
    waiting_attempt: Option<u32>,
    /// The follower's link while it is the session's socket.
    link: Option<TabLink>,
    /// A malformed message was already logged.
    warned: bool,
}

impl Drop for Tabs {
    fn drop(&mut self) {
        if let Some(lock) = self.lock.take() {
            lock.release();
        }
        close_channel(&self.channel);
    }
}

/// The cross-tab part of a client with `crossTab`, when the browser has Web
/// Locks and BroadcastChannel and the page gave a `tokenProvider` (else the
/// client is `solo`).
pub fn install(shared: &Rc<Shared>, config: &ClientConfig, has_provider: bool) -> Option<Tabs> {
    let key = config.cross_tab_key.as_deref()?;
    if !has_provider || config.transport == optave_core::connection::Transport::Rest || !supported()
    {
        return None;
    }
    let name = channel_name(
        &config.websocket_url,
        config.tenant_id.as_deref(),
        config.organization_id.as_deref(),
        key,
    );
    let mut bytes = [0u8; 8];
    CryptoRandom.fill(&mut bytes);
    let random = u64::from_le_bytes(bytes);
    let tab = random & MAX_TAB_ID;
    let jitter = (random >> 53) as f64 / 2047.0 * TAKEOVER_JITTER_MS;
    let weak = Rc::downgrade(shared);
    // The signature of another closure's (src/connect.rs): one shim for both.
    let on: Closure<dyn FnMut(bool, JsValue)> =
        Closure::new(move |message: bool, data: JsValue| on_event(&weak, message, &data));
    let channel = open_channel(&name, on.as_ref().unchecked_ref());
    Some(Tabs {
        machine: CrossTab::new(tab, jitter),
        channel,
        _on: on,
        lock: None,
        timer: None,
        wanted: false,
        waiting_attempt: None,
        link: None,
        warned: false,
    })
}

/// What js/crosstab.js tells: a message on the channel (`message`, the
/// message in `data`), or the lock's event (`data` 1, it was granted; 2, it
/// is busy; 3, it was lost).
fn on_event(weak: &Weak<Shared>, message: bool, data: &JsValue) {
    let Some(shared) = weak.upgrade() else {
        return;
    };
    let now_ms = now_ms();
    let input = if message {
        match decode(data) {
            Some(message) => TabInput::Received { message, now_ms },
            None => TabInput::Malformed,
        }
    } else {
        match data.as_f64() {
            Some(1.0) => TabInput::LockGranted { now_ms },
            Some(2.0) => TabInput::LockBusy { now_ms },
            _ => TabInput::LockLost { now_ms },
        }
    };
    feed_tabs(&shared, input);
}

/// `client.crossTabRole`.
pub fn role(shared: &Shared) -> Role {
    let st = shared.state.borrow();
    st.tabs.as_ref().map_or(Role::Solo, |t| t.machine.role())
}

/// `connect(token?)`: without a token the tab joins (asks for the lock);
/// with one it cannot lead and stays `solo`: a tab that was sharing leaves
/// first (a leader resigns, a follower lets go of its link; `roleChange`),
/// then the sharing is gone for good.
pub fn connect(shared: &Rc<Shared>, explicit_token: bool) {
    let join = {
        let mut st = shared.state.borrow_mut();
        match st.tabs.as_mut() {
            Some(tabs) if !explicit_token => {
                tabs.wanted = true;
                Some(true)
            }
            Some(_) => Some(false),
            None => None,
        }
    };
    match join {
        Some(true) => {
            feed_tabs(shared, TabInput::Join { now_ms: now_ms() });
        }
        Some(false) => {
            let followed = role(shared) == Role::Follower;
            feed_tabs(shared, TabInput::Leave { rejoin: false });
            // A tab with its own token keeps its own socket.
            let tabs = shared.state.borrow_mut().tabs.take();
            drop(tabs);
            if followed {
                // Its carrier, the leader's socket, is gone for this tab.
                let gone = Input::Carrier {
                    ready: false,
                    now_ms: now_ms(),
                };
                feed(shared, gone);
            }
        }
        None => {}
    }
}

/// `close()`: the tab leaves (a leader resigns and releases the lock).
pub fn close(shared: &Rc<Shared>) {
    if let Some(tabs) = shared.state.borrow_mut().tabs.as_mut() {
        tabs.wanted = false;
    }
    feed_tabs(shared, TabInput::Leave { rejoin: false });
}

/// The page's lifecycle: `pagehide` and `freeze` leave (a leader hands the
/// connection over); coming back joins again.
pub fn page_signal(shared: &Rc<Shared>, input: &Input<crate::runtime::Waiter>) {
    let wanted = shared
        .state
        .borrow()
        .tabs
        .as_ref()
        .is_some_and(|t| t.wanted);
    if !wanted {
        return;
    }
    match input {
        Input::PageHide { .. } | Input::Hidden { frozen: true, .. } => {
            feed_tabs(shared, TabInput::Leave { rejoin: true });
        }
        Input::Resume { now_ms } => {
            feed_tabs(shared, TabInput::Join { now_ms: *now_ms });
        }
        _ => {}
    }
}

/// The session's connection state changed: a leader tells the followers.
pub fn state_changed(shared: &Rc<Shared>, current: ConnectionState) {
    let leader = shared
        .state
        .borrow()
        .tabs
        .as_ref()
        .is_some_and(|t| t.machine.role() == Role::Leader);
    if leader {
        let connected = current == ConnectionState::Connected;
        feed_tabs(
            shared,
            TabInput::Connected {
                connected,
                now_ms: now_ms(),
            },
        );
    }
}

/// What a connection attempt opens.
pub enum Attempt {
    /// Open a WebSocket.
    Socket,
    /// Use this link.
    Link(TabLink),
    /// Wait for the role.
    Later,
}

/// What the attempt `attempt` opens: a WebSocket when the tab leads or is
/// `solo`; a link to the leader (opened at once when the leader's
/// connection is open) when it follows; nothing yet while the role is being
/// decided (the attempt starts when it is).
pub fn attempt(shared: &Shared, attempt: u32) -> Attempt {
    let mut st = shared.state.borrow_mut();
    let Some(tabs) = st.tabs.as_mut().filter(|t| t.wanted) else {
        return Attempt::Socket;
    };
    match tabs.machine.role() {
        Role::Leader => Attempt::Socket,
        Role::Solo => {
            tabs.waiting_attempt = Some(attempt);
            Attempt::Later
        }
        Role::Follower => {
            let link = new_link();
            if tabs.machine.leader_connected() {
                link.open();
            }
            tabs.link = Some(link.clone());
            Attempt::Link(link)
        }
    }
}

/// An envelope this tab sends: in a follower, for the leader; in the
/// leader, remembered as its own. `false` when this tab is not following
/// (the caller sends on its own socket).
pub fn send(shared: &Rc<Shared>, correlation_id: &str, text: &JsString) -> bool {
    let (follows, leads) = shared
        .state
        .borrow()
        .tabs
        .as_ref()
        .map_or((false, false), |t| {
            let role = t.machine.role();
            (
                t.link.is_some() && role == Role::Follower,
                role == Role::Leader,
            )
        });
    if follows || leads {
        feed_tabs(
            shared,
            TabInput::Send {
                correlation_id: String::from(correlation_id),
                text: text.into(),
            },
        );
    }
    follows
}

/// The session let go of its socket: a follower's link is forgotten.
pub fn released(shared: &Shared) {
    if let Some(tabs) = shared.state.borrow_mut().tabs.as_mut() {
        tabs.link = None;
    }
}

/// In the leader: whether a frame read from the socket is delivered in this
/// tab; a frame of another tab's request goes to that tab (and one whose
/// owner is unknown to every tab, this one included).
pub fn deliver_here(shared: &Rc<Shared>, correlation_id: Option<&str>, frame: &JsValue) -> bool {
    let own = {
        let st = shared.state.borrow();
        let leads = st
            .tabs
            .as_ref()
            .is_some_and(|t| t.machine.role() == Role::Leader);
        if !leads {
            return true;
        }
        correlation_id.is_some_and(|id| st.session.outbox().contains(id))
    };
    feed_tabs(
        shared,
        TabInput::Frame {
            correlation_id: correlation_id.map(String::from),
            own,
            text: frame.clone(),
        },
    )
}
