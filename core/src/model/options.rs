//! The constructor and request options, as TypeScript sees them (the
//! validation itself is [`crate::options`]).

use alloc::string::String;

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::AnyJson as Value;

/// How the token reaches the server (protocol.md section 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum AuthTransport {
    /// `new WebSocket(url, ["optave-v1", token])`: the token never appears in a URL (default).
    #[default]
    Subprotocol,
    /// `url?Authorization=<token>`: discouraged, warns once.
    Query,
}

/// The `transport` option (docs/api.md, "Transports"; protocol.md section 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// Every request over the WebSocket (the default without `restUrl`).
    #[default]
    Websocket,
    /// Every request as `POST {restUrl}/message/{action}`; `connect()`
    /// opens no socket.
    Rest,
    /// The WebSocket first; while it cannot be established (three failed
    /// attempts in a row, or a first attempt closed with 1006 before
    /// opening), requests go over REST (the default with `restUrl`).
    Auto,
}

/// The transport requests use now: `client.transport` and
/// `StateChangeEvent.transport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum TransportInUse {
    /// The WebSocket.
    Websocket,
    /// `POST {restUrl}/message/{action}`.
    Rest,
}

/// The plain-data constructor options (the facade adds `tokenProvider` and `logger`).
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionOptions {
    /// `wss://ws-{tenant}.oco.optave.{tld}`; `ws://` only to a loopback host.
    pub websocket_url: String,
    /// The REST endpoint, `https://{tenant}.oco.optave.{tld}` (`http://`
    /// only to a loopback host); requests go to `{restUrl}/message/{action}`.
    /// Absent by default. Refused like `websocketUrl` (VALIDATION
    /// `INVALID_WEBSOCKET_URL`, naming `restUrl`).
    #[serde(default)]
    #[tsify(optional)]
    pub rest_url: Option<String>,
    /// `websocket` (default without `restUrl`), `rest`, or `auto` (default
    /// with `restUrl`). `rest` and `auto` need `restUrl` (VALIDATION
    /// `INVALID_OPTION`).
    #[serde(default)]
    #[tsify(optional)]
    pub transport: Option<Transport>,
    /// `subprotocol` (default) or `query`.
    #[serde(default)]
    #[tsify(optional)]
    pub auth_transport: Option<AuthTransport>,
    /// Default true: `connect()` fails with MISSING_TOKEN when no token is available.
    #[serde(default)]
    #[tsify(optional)]
    pub auth_required: Option<bool>,
    /// Fills `request.context.organizationId` when a call leaves it empty.
    #[serde(default)]
    #[tsify(optional)]
    pub organization_id: Option<String>,
    /// Sent as `headers.tenantId` on every request.
    #[serde(default)]
    #[tsify(optional)]
    pub tenant_id: Option<String>,
    /// How long `connect()` may take, token included, in ms (default 30,000).
    #[serde(default)]
    #[tsify(optional)]
    pub connection_timeout_ms: Option<f64>,
    /// Default timeout of `...Async` requests in ms (default 30,000).
    #[serde(default)]
    #[tsify(optional)]
    pub request_timeout_ms: Option<f64>,
    /// Type-check every known outbound field and the inbound envelopes (default false).
    #[serde(default)]
    #[tsify(optional)]
    pub strict_validation: Option<bool>,
    /// Inbound text frames over this many bytes of UTF-8 are dropped unread,
    /// reported as WEBSOCKET / INBOUND_FRAME_TOO_LARGE and rejecting the
    /// request they name; a whole number from 1,024 to 268,435,456 (default
    /// 1,048,576).
    #[serde(default)]
    #[tsify(optional)]
    pub max_inbound_frame_bytes: Option<f64>,
    /// Automatic reconnection: on by default (`true`); `false` turns it off
    /// (a lost connection then goes to `failed`); an object tunes it.
    /// Delays use full jitter, `random(0, min(maxDelayMs, minDelayMs * 2^attempt))`.
    #[serde(default)]
    #[tsify(optional, type = "boolean | ReconnectOptions")]
    pub reconnect: Option<Value>,
    /// After this long without a connection, in ms, the state is
    /// `suspended` and one attempt is made every `reconnect.maxDelayMs`
    /// (default 120,000).
    #[serde(default)]
    #[tsify(optional)]
    pub connection_state_ttl_ms: Option<f64>,
    /// Sends made while `connecting`, `disconnected` or `suspended` are
    /// queued, at most this many envelopes (default 100; 0 to 100,000) and
    /// 1 MiB of text; over it a send is refused with WEBSOCKET QUEUE_FULL.
    /// The same bounds hold for fire-and-forget requests on the wire kept
    /// for resending after a loss (beyond them a send goes out untracked).
    #[serde(default)]
    #[tsify(optional)]
    pub queue_limit: Option<f64>,
    /// `false` refuses sends with WEBSOCKET_NOT_IN_OPEN_STATE whenever the
    /// client is not `connected`, instead of queueing them (default true).
    #[serde(default)]
    #[tsify(optional)]
    pub queue_while_disconnected: Option<bool>,
    /// Requests on the wire when the connection is lost are sent again
    /// after the reconnect, the same envelope text (default true); `false`
    /// rejects their promises with WEBSOCKET CONNECTION_LOST instead.
    #[serde(default)]
    #[tsify(optional)]
    pub resend_on_reconnect: Option<bool>,
    /// Liveness: with a request unfinished on the socket, a connection from
    /// which no frame arrived for this many ms is stale: the SDK closes it
    /// (code 4000), reports `disconnected` with WEBSOCKET CONNECTION_STALE,
    /// reconnects at once and resends the unfinished requests (same
    /// correlationId and idempotencyKey). Also after the page was frozen,
    /// hidden for longer than this, or came back online. A number of ms from
    /// 1 to 2,147,483,647 (default 15,000), or `false` to turn it off. A
    /// false alarm (a server silent for longer mid-request) costs one
    /// reconnect and one resend the server de-duplicates.
    #[serde(default)]
    #[tsify(optional, type = "number | false")]
    pub stale_after_ms: Option<Value>,
    /// Share one connection with the other tabs of this origin (docs/api.md,
    /// "One connection across tabs"): clients with the same `websocketUrl`,
    /// `tenantId`, `organizationId` and `crossTab.key` elect one leader tab
    /// (Web Locks) that holds the socket; the others send through it
    /// (BroadcastChannel). Needs a `tokenProvider`; without one, or without
    /// Web Locks or BroadcastChannel, the client keeps its own socket
    /// (`crossTabRole` `'solo'`). Errors: VALIDATION INVALID_OPTION naming
    /// `crossTab` or `crossTab.key`.
    #[serde(default)]
    #[tsify(optional)]
    pub cross_tab: Option<CrossTabOptions>,
    /// Never allowed in a browser: refused with UNSUPPORTED_IN_BROWSER.
    #[serde(default)]
    #[tsify(optional, type = "never")]
    pub client_secret: Option<Value>,
}

/// The `reconnect` option's tuning (docs/api.md, "Connection states").
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReconnectOptions {
    /// Base delay of the backoff, in ms (default 500).
    #[serde(default)]
    #[tsify(optional)]
    pub min_delay_ms: Option<f64>,
    /// Largest delay, and the pace while `suspended`, in ms (default 20,000).
    #[serde(default)]
    #[tsify(optional)]
    pub max_delay_ms: Option<f64>,
    /// Attempts since the last connection that stayed open 5 s, after which
    /// the client is `failed` (default `Infinity`).
    #[serde(default)]
    #[tsify(optional)]
    pub max_attempts: Option<f64>,
}

/// The connection state, `client.state` (docs/api.md, "Connection states").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionState {
    /// Created; `connect()` not called yet.
    Initialized,
    /// Getting a token or waiting for the socket to open.
    Connecting,
    /// Open: requests go out at once.
    Connected,
    /// The connection was lost; the next attempt waits out a backoff delay.
    Disconnected,
    /// Down for `connectionStateTtlMs`; one attempt every `reconnect.maxDelayMs`.
    Suspended,
    /// `close()` was called; waiting for the close handshake.
    Closing,
    /// Closed by `close()`.
    Closed,
    /// Will not retry on its own (credentials refused, `maxAttempts` spent,
    /// `reconnect: false`); `connect()` starts again.
    Failed,
}

/// Options of one `...Async` request.
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestOptions {
    /// How long to wait for the first correlated frame, in ms (default: the
    /// client's `requestTimeoutMs`).
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
}

/// The WebSocket `readyState`, as the page sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ReadyState {
    /// Getting a token or waiting for the socket to open.
    Connecting,
    /// Open: requests can be sent.
    Open,
    /// `close()` was called; waiting for the close handshake.
    Closing,
    /// Not connected.
    Closed,
}

/// The `crossTab` option (docs/api.md, "One connection across tabs").
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossTabOptions {
    /// The page's name for the identity behind the token, for example the
    /// agent's user id: two identities never share a connection. A
    /// non-empty string.
    pub key: String,
}

/// A client's part in sharing one connection across tabs
/// (`client.crossTabRole`; docs/api.md, "One connection across tabs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum CrossTabRole {
    /// Its own socket: no `crossTab`, no Web Locks or BroadcastChannel, no
    /// `tokenProvider`, REST only, or not connected.
    Solo,
    /// Holds the shared socket.
    Leader,
    /// Sends through the leader tab.
    Follower,
}

/// The `roleChange` event: the client's `crossTabRole` changed.
#[derive(Debug, Clone, Serialize, Tsify)]
pub struct RoleChangeEvent {
    /// The role before.
    pub previous: CrossTabRole,
    /// The role now.
    pub current: CrossTabRole,
}
