//! The messages between tabs ([`Message`]), their JSON header on the
//! channel ([`header`], [`read`]) and the channel's name
//! ([`channel_name`]); docs/protocol.md section 9.

use alloc::string::String;

use super::{Leadership, TabId, MAX_TAB_ID};
use crate::json;

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
