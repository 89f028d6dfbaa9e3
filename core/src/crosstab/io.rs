//! The cross-tab machine's inputs ([`TabInput`]) and effects ([`TabEffect`]).

#[allow(unused_imports)] // named by the docs
use super::CrossTab;
use super::{Message, Role};
use alloc::string::String;

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
    /// This tab's session sends an envelope: a follower posts it to the
    /// leader; the leader remembers that its frames are its own (so that a
    /// late one, after its session let go of the request, stays here).
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
