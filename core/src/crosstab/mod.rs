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
//!
//! Files: this one (the constants, roles, ids and the machine's state),
//! `io.rs` (its inputs and effects), `machine.rs` (election, beats,
//! takeover, leaving), `traffic.rs` (what a tab does with a message and
//! where a frame goes), `message.rs` (the messages, their JSON header and
//! the channel's name).

use alloc::string::String;
use alloc::vec::Vec;

mod io;
mod machine;
mod message;
mod traffic;
pub use io::{TabEffect, TabInput, MALFORMED};
pub use message::{channel_name, header, read, Message, MAX_HEADER_UNITS};

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
/// How many followers the leader keeps track of (the one heard from
/// longest ago is forgotten first; it counts again when next heard).
pub const MAX_PEERS: usize = 256;

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
    /// The `heard_ms` a follower set to give a silent leader one more beat
    /// period after its own wake-up ran late (once per silence: no message
    /// has come since while `heard_ms` still equals it); NaN before.
    graced_ms: f64,
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
