//! One connection shared by the tabs of one origin (docs/api.md, "One
//! connection across tabs"; docs/protocol.md section 9): which tab leads
//! (holds the socket), what the tabs tell each other, and where each frame
//! goes.
//!
//! The facade elects the leader with the Web Locks API (one lock named by
//! [`channel_name`]) and carries [`Message`]s over a `BroadcastChannel` of
//! the same name; this machine decides. Inputs in ([`TabInput`], through
//! [`CrossTab::handle`]), effects out ([`TabEffect`]); time comes in as
//! `now_ms`, so it is tested natively.
//!
//! - Every leadership has an epoch that only grows, and a leadership is
//!   `(epoch, tab)`; a tab follows the newest one it heard and ignores the
//!   messages of older ones.
//! - The leader beats every [`HEARTBEAT_MS`] with its connection state; a
//!   follower that hears nothing for [`TAKEOVER_AFTER_MS`] (plus its own
//!   jitter, so that followers do not all steal at once) steals the lock.
//! - Followers post their envelopes to the leader, which sends them and
//!   sends each frame back to the tab that owns its correlationId (every
//!   tab when the owner is unknown).
//! - Tokens never travel: the leader connects with its own provider.

use alloc::string::String;
use alloc::vec::Vec;

use crate::json;

/// How often the leader beats, ms.
pub const HEARTBEAT_MS: f64 = 1000.0;
/// How long a follower waits for a beat before it takes over, ms (plus its
/// jitter, up to [`TAKEOVER_JITTER_MS`]).
pub const TAKEOVER_AFTER_MS: f64 = 3000.0;
/// The largest jitter added to [`TAKEOVER_AFTER_MS`], ms.
pub const TAKEOVER_JITTER_MS: f64 = 1000.0;
/// How many correlationIds of other tabs the leader remembers (the oldest
/// is forgotten first; a frame whose owner is forgotten goes to every tab).
pub const MAX_OWNERS: usize = 2048;

/// The name of the lock and of the channel shared by the clients that may
/// share a connection: same `websocketUrl`, `tenantId`, `organizationId`
/// and `crossTab.key` (the origin is implied: both are per origin).
pub fn channel_name(
    websocket_url: &str,
    tenant_id: Option<&str>,
    organization_id: Option<&str>,
    key: &str,
) -> String {
    let mut name = String::from("optave-client:");
    let parts = [
        websocket_url,
        tenant_id.unwrap_or_default(),
        organization_id.unwrap_or_default(),
        key,
    ];
    name.push('[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            name.push(',');
        }
        json::push_string(&mut name, part);
    }
    name.push(']');
    name
}

/// A tab's part in sharing (`client.crossTabRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not sharing: its own socket (no `crossTab`, no Web Locks or
    /// BroadcastChannel, no `tokenProvider`, or REST only).
    Solo,
    /// Holds the shared socket.
    Leader,
    /// Sends through the leader.
    Follower,
}

impl Role {
    /// `'solo'`, `'leader'` or `'follower'`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Solo => "solo",
            Self::Leader => "leader",
            Self::Follower => "follower",
        }
    }
}

/// A tab's id: a random whole number below 2^53 (exact in JavaScript),
/// drawn when its client is made.
pub type TabId = u64;

/// The largest [`TabId`] (2^53 − 1).
pub const MAX_TAB_ID: TabId = (1 << 53) - 1;

/// One leadership: its epoch and the leading tab's id. Newer is greater
/// (epoch first, then the tab id, for two leaders of one epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Leadership {
    /// Grows with every leadership.
    pub epoch: u64,
    /// The leading tab's id.
    pub tab: TabId,
}

/// What tabs tell each other. `S` is an envelope's or a frame's text (in
/// the facade, a JavaScript value: a frame stays parsed until it is posted).
#[derive(Debug, Clone, PartialEq)]
pub enum Message<S> {
    /// The leader's heartbeat: its connection is open (`connected`) or not.
    Beat {
        /// Who leads.
        leader: Leadership,
        /// The shared connection is `connected`.
        connected: bool,
    },
    /// The leader steps down (the tab is leaving or lost the lock).
    Resign {
        /// The leadership that ends.
        leader: Leadership,
    },
    /// A follower's answer to a beat (and its hello, `epoch` 0): whether it
    /// has requests unfinished.
    Ack {
        /// The follower.
        from: TabId,
        /// The epoch it follows (0: none yet).
        epoch: u64,
        /// It has requests unfinished.
        unfinished: bool,
    },
    /// A follower's envelope for the leader of `epoch` to send.
    Send {
        /// The follower.
        from: TabId,
        /// The epoch it was sent to.
        epoch: u64,
        /// The envelope's correlationId.
        correlation_id: String,
        /// The envelope.
        text: S,
    },
    /// A frame from the leader's socket, for tab `to` (every tab when
    /// `None`).
    Frame {
        /// Who leads.
        leader: Leadership,
        /// The tab that owns its correlationId.
        to: Option<TabId>,
        /// The frame's text.
        text: S,
    },
}

/// What happened, for [`CrossTab::handle`].
#[derive(Debug, Clone, PartialEq)]
pub enum TabInput<S> {
    /// The page called `connect()` (or came back after leaving): ask for the
    /// lock if it is free.
    Join {
        /// Now, ms.
        now_ms: f64,
    },
    /// The lock was granted.
    LockGranted {
        /// Now, ms.
        now_ms: f64,
    },
    /// The lock was asked for if free, and is held by another tab.
    LockBusy {
        /// Now, ms.
        now_ms: f64,
    },
    /// The lock held was taken by another tab (`steal`).
    LockLost {
        /// Now, ms.
        now_ms: f64,
    },
    /// A message from another tab.
    Received {
        /// The message.
        message: Message<S>,
        /// Now, ms.
        now_ms: f64,
    },
    /// Something on the channel that is not a [`Message`].
    Malformed,
    /// In the leader: the shared connection became `connected`, or stopped
    /// being so.
    Connected {
        /// It is `connected`.
        connected: bool,
        /// Now, ms.
        now_ms: f64,
    },
    /// The timer armed at [`CrossTab::next_wakeup`] fired; `unfinished`:
    /// this tab has requests unfinished.
    Tick {
        /// This tab has requests unfinished.
        unfinished: bool,
        /// Now, ms.
        now_ms: f64,
    },
    /// The tab leaves: `pagehide` or `freeze` (`rejoin`: it joins again
    /// when it comes back; a leader hands the connection over and follows),
    /// `close()` or `free()` (it is `solo` until `connect()`).
    Leave {
        /// The tab will come back ([`TabInput::Join`]).
        rejoin: bool,
    },
    /// In a follower: its session sends an envelope.
    Send {
        /// The envelope's correlationId.
        correlation_id: String,
        /// The envelope.
        text: S,
    },
    /// In the leader: a frame read from the socket; `own` says whether this
    /// tab's session tracks its correlationId.
    Frame {
        /// The correlationId it names, if any.
        correlation_id: Option<String>,
        /// This tab tracks it.
        own: bool,
        /// The frame (the facade posts it as text only if it leaves the tab).
        text: S,
    },
}

/// What to carry out, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum TabEffect<S> {
    /// Post this message on the channel.
    Post(Message<S>),
    /// Ask for the lock: only if it is free ([`TabInput::LockGranted`] or
    /// [`TabInput::LockBusy`]), by waiting for it (`wait`, granted later), or
    /// by taking it (`steal`). A request still waiting is withdrawn first.
    RequestLock {
        /// Wait until it is free.
        wait: bool,
        /// Take it from its holder.
        steal: bool,
    },
    /// Release the lock held, or withdraw the request waiting for it.
    ReleaseLock,
    /// The role changed: report `roleChange`.
    Role {
        /// The role before.
        previous: Role,
        /// The role now.
        current: Role,
    },
    /// Tell the session its carrier is ready or gone ([`crate::connection::Input::Carrier`]);
    /// in a follower whose link is being opened, `ready` opens it.
    Carrier {
        /// Ready.
        ready: bool,
    },
    /// In the leader: send a follower's envelope on the socket.
    Transmit(S),
    /// In the leader: deliver the frame of [`TabInput::Frame`] in this tab.
    DeliverHere,
    /// In a follower: a frame for this tab arrived from the leader.
    LinkFrame(S),
    /// In the leader: whether followers have requests unfinished
    /// ([`crate::connection::Input::Peers`]).
    Peers(bool),
    /// Log this once per client (a malformed message on the channel).
    WarnOnce(&'static str),
}

/// The warning for something on the channel that is not a message.
pub const MALFORMED: &str =
    "crossTab: ignored a message on the shared channel that is not one of this SDK's";

/// The cross-tab machine of one client.
#[derive(Debug)]
pub struct CrossTab {
    tab: TabId,
    role: Role,
    /// Joined: `connect()` was called and the tab has not left.
    joined: bool,
    /// The leadership this tab holds or follows.
    leader: Option<Leadership>,
    /// The highest epoch heard or held.
    epoch: u64,
    /// The leader's connection is `connected` (as last heard, or, in the
    /// leader, as it is).
    connected: bool,
    /// When the leader was last heard (a follower), or last beat (the
    /// leader), ms.
    heard_ms: f64,
    /// A steal is under way.
    stealing: bool,
    /// When this follower last told the leader whether it has requests
    /// unfinished, ms.
    acked_ms: f64,
    jitter_ms: f64,
    /// correlationId → the follower that sent it, oldest first.
    owners: Vec<(String, TabId)>,
    /// Followers and whether they have requests unfinished, with when each
    /// was last heard (ms).
    peers: Vec<(TabId, bool, f64)>,
    /// What [`TabEffect::Peers`] last said.
    peers_unfinished: bool,
}

type Fx<S> = Vec<TabEffect<S>>;

impl CrossTab {
    /// The machine of tab `tab` (a unique id); `jitter_ms` (0 to
    /// [`TAKEOVER_JITTER_MS`]) is added to its takeover delay.
    pub fn new(tab: TabId, jitter_ms: f64) -> Self {
        Self {
            tab,
            role: Role::Solo,
            joined: false,
            leader: None,
            epoch: 0,
            connected: false,
            heard_ms: 0.0,
            stealing: false,
            acked_ms: 0.0,
            jitter_ms: jitter_ms.clamp(0.0, TAKEOVER_JITTER_MS),
            owners: Vec::new(),
            peers: Vec::new(),
            peers_unfinished: false,
        }
    }

    /// This tab's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// This tab's id.
    pub fn tab(&self) -> TabId {
        self.tab
    }

    /// In a follower: the leader's connection is `connected` (as last heard).
    pub fn leader_connected(&self) -> bool {
        self.role == Role::Follower && self.connected && self.leader.is_some()
    }

    /// When the facade's cross-tab timer must deliver [`TabInput::Tick`]:
    /// the leader's next beat, or a follower's takeover.
    pub fn next_wakeup(&self) -> Option<f64> {
        match self.role {
            _ if !self.joined => None,
            Role::Leader => Some(self.heard_ms + HEARTBEAT_MS),
            Role::Follower => {
                let ack = self.acked_ms + HEARTBEAT_MS;
                Some(match self.stealing {
                    true => ack,
                    false => ack.min(self.heard_ms + TAKEOVER_AFTER_MS + self.jitter_ms),
                })
            }
            _ => None,
        }
    }

    /// Feeds one input; returns the effects to carry out, in order.
    pub fn handle<S: Clone>(&mut self, input: TabInput<S>) -> Fx<S> {
        let mut fx = Vec::new();
        match input {
            TabInput::Join { now_ms } if !self.joined => {
                self.joined = true;
                self.heard_ms = now_ms;
                fx.push(TabEffect::RequestLock {
                    wait: false,
                    steal: false,
                });
            }
            TabInput::LockGranted { now_ms } if self.joined => self.lead(now_ms, &mut fx),
            TabInput::LockBusy { now_ms } if self.joined => {
                self.follow(now_ms, &mut fx);
                fx.push(TabEffect::RequestLock {
                    wait: true,
                    steal: false,
                });
            }
            TabInput::LockLost { now_ms } if self.role == Role::Leader => {
                self.resign(&mut fx);
                self.follow(now_ms, &mut fx);
                fx.push(TabEffect::RequestLock {
                    wait: true,
                    steal: false,
                });
            }
            TabInput::Received { message, now_ms } if self.role != Role::Solo => {
                self.received(message, now_ms, &mut fx)
            }
            TabInput::Malformed => fx.push(TabEffect::WarnOnce(MALFORMED)),
            TabInput::Connected { connected, now_ms }
                if self.role == Role::Leader && connected != self.connected =>
            {
                self.connected = connected;
                self.beat(now_ms, &mut fx);
            }
            TabInput::Tick { unfinished, now_ms } => self.tick(unfinished, now_ms, &mut fx),
            TabInput::Leave { rejoin } if self.joined => {
                self.joined = false;
                self.stealing = false;
                if self.role == Role::Leader {
                    self.resign(&mut fx);
                    self.connected = false;
                    self.set_peers(false, &mut fx);
                    if rejoin {
                        self.set_role(Role::Follower, &mut fx);
                        fx.push(TabEffect::Carrier { ready: false });
                    }
                }
                if !rejoin {
                    self.set_role(Role::Solo, &mut fx);
                    self.leader = None;
                    self.connected = false;
                }
                fx.push(TabEffect::ReleaseLock);
            }
            TabInput::Send {
                correlation_id,
                text,
            } => {
                if let (Role::Follower, Some(leader)) = (self.role, &self.leader) {
                    fx.push(TabEffect::Post(Message::Send {
                        from: self.tab,
                        epoch: leader.epoch,
                        correlation_id,
                        text,
                    }));
                }
            }
            TabInput::Frame {
                correlation_id,
                own,
                text,
            } => self.frame(correlation_id, own, text, &mut fx),
            _ => {}
        }
        fx
    }

    fn set_role(&mut self, role: Role, fx: &mut Fx<impl Clone>) {
        if role != self.role {
            fx.push(TabEffect::Role {
                previous: self.role,
                current: role,
            });
            self.role = role;
        }
    }

    /// The lock is this tab's: a new leadership, announced at once; the
    /// session moves onto this tab's own socket.
    fn lead<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        self.stealing = false;
        self.epoch = self.epoch.saturating_add(1).min(MAX_TAB_ID);
        self.leader = Some(Leadership {
            epoch: self.epoch,
            tab: self.tab,
        });
        self.connected = false;
        self.owners.clear();
        self.peers.clear();
        self.set_peers(false, fx);
        let was = self.role;
        self.set_role(Role::Leader, fx);
        if was == Role::Follower {
            fx.push(TabEffect::Carrier { ready: false });
        }
        fx.push(TabEffect::Carrier { ready: true });
        self.beat(now_ms, fx);
    }

    /// Another tab leads (or will): the session waits for it; a hello asks
    /// the leader to beat now.
    fn follow<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        let was = self.role;
        self.set_role(Role::Follower, fx);
        self.heard_ms = now_ms;
        if was == Role::Leader {
            self.connected = false;
            self.set_peers(false, fx);
            fx.push(TabEffect::Carrier { ready: false });
        }
        self.ack(false, now_ms, fx);
    }

    /// Tells the leader (or, with no leader yet, whoever leads: a hello)
    /// whether this tab has requests unfinished.
    fn ack<S: Clone>(&mut self, unfinished: bool, now_ms: f64, fx: &mut Fx<S>) {
        self.acked_ms = now_ms;
        fx.push(TabEffect::Post(Message::Ack {
            from: self.tab,
            epoch: self.leader.as_ref().map_or(0, |l| l.epoch),
            unfinished,
        }));
    }

    fn resign<S: Clone>(&mut self, fx: &mut Fx<S>) {
        if let Some(leader) = self.leader.take() {
            fx.push(TabEffect::Post(Message::Resign { leader }));
        }
    }

    fn beat<S: Clone>(&mut self, now_ms: f64, fx: &mut Fx<S>) {
        self.heard_ms = now_ms;
        if let Some(leader) = &self.leader {
            fx.push(TabEffect::Post(Message::Beat {
                leader: *leader,
                connected: self.connected,
            }));
        }
    }

    fn set_peers<S: Clone>(&mut self, unfinished: bool, fx: &mut Fx<S>) {
        if unfinished != self.peers_unfinished {
            self.peers_unfinished = unfinished;
            fx.push(TabEffect::Peers(unfinished));
        }
    }

    fn tick<S: Clone>(&mut self, unfinished: bool, now_ms: f64, fx: &mut Fx<S>) {
        let Some(due) = self.next_wakeup() else {
            return;
        };
        if now_ms < due {
            return;
        }
        match self.role {
            Role::Leader => {
                // Followers not heard from for a takeover delay are gone.
                self.peers
                    .retain(|(_, _, heard)| now_ms - heard < TAKEOVER_AFTER_MS);
                let any = self.peers.iter().any(|(_, u, _)| *u);
                self.set_peers(any, fx);
                self.beat(now_ms, fx);
            }
            Role::Follower => {
                if now_ms >= self.acked_ms + HEARTBEAT_MS {
                    self.ack(unfinished, now_ms, fx);
                }
                if !self.stealing && now_ms >= self.heard_ms + TAKEOVER_AFTER_MS + self.jitter_ms {
                    // The leader is silent: take over.
                    self.stealing = true;
                    fx.push(TabEffect::RequestLock {
                        wait: false,
                        steal: true,
                    });
                }
            }
            Role::Solo => {}
        }
    }

    fn received<S: Clone>(&mut self, message: Message<S>, now_ms: f64, fx: &mut Fx<S>) {
        match message {
            Message::Beat { leader, connected } => {
                if self.leader.as_ref().is_some_and(|l| *l == leader) {
                    if self.role == Role::Follower {
                        self.heard_ms = now_ms;
                        self.stealing = false;
                        if connected != self.connected {
                            self.connected = connected;
                            fx.push(TabEffect::Carrier { ready: connected });
                        }
                    }
                    return;
                }
                let newer =
                    leader.epoch >= self.epoch && self.leader.as_ref().is_none_or(|l| leader > *l);
                if !newer {
                    return; // an older leadership's
                }
                self.epoch = leader.epoch;
                if self.role == Role::Leader {
                    // Another tab took over: this one follows it.
                    self.leader = None;
                    self.follow(now_ms, fx);
                    fx.push(TabEffect::ReleaseLock);
                    fx.push(TabEffect::RequestLock {
                        wait: true,
                        steal: false,
                    });
                }
                let moved = self.leader.is_some() && self.connected;
                self.leader = Some(leader);
                self.heard_ms = now_ms;
                self.stealing = false;
                if moved {
                    // The old leader's connection is gone with it.
                    fx.push(TabEffect::Carrier { ready: false });
                }
                self.connected = connected;
                if connected {
                    fx.push(TabEffect::Carrier { ready: true });
                }
            }
            Message::Resign { leader } => {
                if self.role == Role::Follower && self.leader.as_ref() == Some(&leader) {
                    self.leader = None;
                    self.heard_ms = now_ms;
                    if core::mem::take(&mut self.connected) {
                        fx.push(TabEffect::Carrier { ready: false });
                    }
                }
            }
            Message::Ack {
                from,
                epoch,
                unfinished,
            } => {
                if self.role != Role::Leader {
                    return;
                }
                self.heard(from, unfinished, now_ms);
                if epoch > self.epoch {
                    // A tab that followed a newer leadership than this
                    // one's (it was away when this tab took the free
                    // lock): this leadership moves past it.
                    self.epoch = epoch.saturating_add(1).min(MAX_TAB_ID);
                    if let Some(leader) = &mut self.leader {
                        leader.epoch = self.epoch;
                    }
                }
                if epoch != self.epoch {
                    // A hello, or a tab behind: it hears the leader now.
                    self.beat(now_ms, fx);
                }
                let any = self.peers.iter().any(|(_, u, _)| *u);
                self.set_peers(any, fx);
            }
            Message::Send {
                from,
                epoch,
                correlation_id,
                text,
            } => {
                if self.role != Role::Leader || epoch != self.epoch {
                    return; // sent to another leadership: resent after the change
                }
                self.heard(from, true, now_ms);
                self.set_peers(true, fx);
                // An id is listed once: sent again, it moves to the end;
                // when the list is full, the oldest is forgotten.
                let again = self.owners.iter().position(|(id, _)| *id == correlation_id);
                let full = self.owners.len() >= MAX_OWNERS;
                if let Some(i) = again.or(full.then_some(0)) {
                    self.owners.remove(i);
                }
                self.owners.push((correlation_id, from));
                fx.push(TabEffect::Transmit(text));
            }
            Message::Frame { leader, to, text } => {
                let current = self.leader.as_ref() == Some(&leader);
                let mine = to.is_none_or(|to| to == self.tab);
                if self.role == Role::Follower && current && mine {
                    self.heard_ms = now_ms;
                    fx.push(TabEffect::LinkFrame(text));
                }
            }
        }
    }

    /// In the leader: follower `from` was heard, with requests unfinished
    /// or not.
    fn heard(&mut self, from: TabId, unfinished: bool, now_ms: f64) {
        match self.peers.iter_mut().find(|(tab, _, _)| *tab == from) {
            Some(peer) => *peer = (from, unfinished, now_ms),
            None => self.peers.push((from, unfinished, now_ms)),
        }
    }

    fn frame<S: Clone>(
        &mut self,
        correlation_id: Option<String>,
        own: bool,
        text: S,
        fx: &mut Fx<S>,
    ) {
        if self.role != Role::Leader {
            return fx.push(TabEffect::DeliverHere);
        }
        let owner = correlation_id.as_deref().and_then(|id| {
            self.owners
                .iter()
                .find(|(cid, _)| cid == id)
                .map(|(_, tab)| *tab)
        });
        if own || owner.is_none() {
            fx.push(TabEffect::DeliverHere);
        }
        if owner.is_some() || !own {
            if let Some(leader) = &self.leader {
                fx.push(TabEffect::Post(Message::Frame {
                    leader: *leader,
                    to: owner,
                    text,
                }));
            }
        }
    }
}

/// The longest header a tab reads, in UTF-16 units (a header is well under
/// 400; anything longer is not one of this SDK's).
pub const MAX_HEADER_UNITS: usize = 2048;

/// The name every header carries, so that another library's messages on a
/// channel of the same name are told apart.
const SDK: &str = "optave-client";

/// The header of `message` on the channel: JSON text with `sdk`, the kind
/// `t` and every field but the text (docs/protocol.md section 9). The text
/// (an envelope or a frame) travels beside it, as it is.
pub fn header<S>(message: &Message<S>) -> String {
    let mut out = String::with_capacity(160);
    let (kind, leader) = match message {
        Message::Beat { leader, .. } => ("beat", Some(leader)),
        Message::Resign { leader } => ("resign", Some(leader)),
        Message::Ack { .. } => ("ack", None),
        Message::Send { .. } => ("send", None),
        Message::Frame { leader, .. } => ("frame", Some(leader)),
    };
    // `SDK` and the kinds need no escaping.
    out.push_str("{\"sdk\":\"");
    out.push_str(SDK);
    out.push_str("\",\"t\":\"");
    out.push_str(kind);
    out.push('"');
    if let Some(l) = leader {
        number(&mut out, ",\"epoch\":", l.epoch);
        number(&mut out, ",\"tab\":", l.tab);
    }
    match message {
        Message::Beat { connected, .. } => flag(&mut out, ",\"connected\":", *connected),
        Message::Ack {
            from,
            epoch,
            unfinished,
        } => {
            number(&mut out, ",\"from\":", *from);
            number(&mut out, ",\"epoch\":", *epoch);
            flag(&mut out, ",\"unfinished\":", *unfinished);
        }
        Message::Send {
            from,
            epoch,
            correlation_id,
            ..
        } => {
            number(&mut out, ",\"from\":", *from);
            number(&mut out, ",\"epoch\":", *epoch);
            out.push_str(",\"correlationId\":");
            json::push_string(&mut out, correlation_id);
        }
        Message::Frame { to: Some(to), .. } => number(&mut out, ",\"to\":", *to),
        _ => {}
    }
    out.push('}');
    out
}

/// A header's `key` (its comma, name and colon) and whole number.
fn number(out: &mut String, key: &str, n: u64) {
    out.push_str(key);
    crate::text::push_u64(out, n);
}

/// A header's `key` (its comma, name and colon) and boolean.
fn flag(out: &mut String, key: &str, b: bool) {
    out.push_str(key);
    out.push_str(if b { "true" } else { "false" });
}

/// A message read from the channel: its `header` and the text beside it.
/// `None` for anything that is not a message of this SDK: a header that is
/// not JSON or names another `sdk`, an unknown kind, a field missing or of
/// the wrong type (an epoch that is not a whole number), a `send` or
/// `frame` without its text.
pub fn read<S>(header: &str, text: Option<S>) -> Option<Message<S>> {
    let mut doc = json::Doc::default();
    doc.parse(header).ok()?;
    if doc.node(0)?.kind != json::Kind::Obj {
        return None;
    }
    let get = |key: &str| {
        doc.member(header, 0, key)
            .and_then(|i| doc.node(i))
            .copied()
    };
    let string = |key: &str| {
        get(key)
            .filter(|n| n.kind == json::Kind::Str)
            .map(|n| String::from(json::string(header, &n)))
    };
    let flag = |key: &str| {
        get(key)
            .filter(|n| n.kind == json::Kind::Bool)
            .map(|n| json::raw(header, &n) == "true")
    };
    // A whole number below 2^53 (what JavaScript holds exactly).
    let whole = |key: &str| {
        get(key)
            .filter(|n| n.kind == json::Kind::Num)
            .and_then(|n| json::raw(header, &n).parse::<u64>().ok())
            .filter(|n| *n <= MAX_TAB_ID)
    };
    let epoch = || whole("epoch");
    let leader = || {
        Some(Leadership {
            epoch: epoch()?,
            tab: whole("tab")?,
        })
    };
    if string("sdk").as_deref() != Some(SDK) {
        return None;
    }
    Some(match string("t")?.as_str() {
        "beat" => Message::Beat {
            leader: leader()?,
            connected: flag("connected")?,
        },
        "resign" => Message::Resign { leader: leader()? },
        "ack" => Message::Ack {
            from: whole("from")?,
            epoch: epoch()?,
            unfinished: flag("unfinished")?,
        },
        "send" => Message::Send {
            from: whole("from")?,
            epoch: epoch()?,
            correlation_id: string("correlationId")?,
            text: text?,
        },
        "frame" => Message::Frame {
            leader: leader()?,
            to: match get("to") {
                None => None,
                Some(_) => Some(whole("to")?),
            },
            text: text?,
        },
        _ => return None,
    })
}
