//! The error model shared by every layer (protocol.md section 6).
//!
//! Owns [`OptaveError`], its [`ErrorCategory`], the [`ErrorCode`] catalogue and
//! the structured [`Detail`] values. It knows nothing of JavaScript: the facade
//! turns an `OptaveError` into a real JS `Error` carrying the same fields.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::text::Text;

/// The four error categories of protocol.md section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCategory {
    /// Token missing, refused or its provider failed.
    Authentication,
    /// The OCO server answered with an error frame.
    Orchestrator,
    /// The page's input was refused before anything was sent.
    Validation,
    /// The socket or a frame on it misbehaved.
    Websocket,
}

impl ErrorCategory {
    /// The wire spelling (`AUTHENTICATION`, `ORCHESTRATOR`, `VALIDATION`, `WEBSOCKET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authentication => "AUTHENTICATION",
            Self::Orchestrator => "ORCHESTRATOR",
            Self::Validation => "VALIDATION",
            Self::Websocket => "WEBSOCKET",
        }
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal,)*) => {
        /// Every error code the SDK raises (protocol.md section 6 plus the SDK's own).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// The wire spelling, e.g. `REQUIRED_FIELDS_MISSING`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $wire,)* }
            }

            /// Every code, in declaration order (the facade's build script
            /// generates the TypeScript `ErrorCode` union from it).
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)*];
        }
    };
}

error_codes! {
    /// `websocketUrl` missing, unparsable, not ws/wss, or `ws://` to a non-loopback host.
    InvalidWebsocketUrl => "INVALID_WEBSOCKET_URL",
    /// An option that must never reach a browser (e.g. `clientSecret`).
    UnsupportedInBrowser => "UNSUPPORTED_IN_BROWSER",
    /// A constructor option has the wrong type or value.
    InvalidOption => "INVALID_OPTION",
    /// `tokenProvider` threw, rejected or returned something that is not a token.
    TokenProviderFailed => "TOKEN_PROVIDER_FAILED",
    /// No token and `authRequired` is true.
    MissingToken => "MISSING_TOKEN",
    /// The token cannot travel as a WebSocket subprotocol or query value.
    InvalidToken => "INVALID_TOKEN",
    /// The server refused the token (close code 4401/4403 or 1008).
    AuthenticationFailed => "AUTHENTICATION_FAILED",
    /// The browser reported a WebSocket `error` event.
    WebsocketError => "WEBSOCKET_ERROR",
    /// The socket did not open within `connectionTimeoutMs`.
    ConnectionTimeout => "CONNECTION_TIMEOUT",
    /// The socket could not be created or closed before opening.
    ConnectionError => "CONNECTION_ERROR",
    /// The connection closed while requests were pending.
    ConnectionClosed => "CONNECTION_CLOSED",
    /// The connection was lost with the request on the wire and
    /// `resendOnReconnect: false`.
    ConnectionLost => "CONNECTION_LOST",
    /// The offline queue is full (`queueLimit` envelopes, or 1 MiB of text).
    QueueFull => "QUEUE_FULL",
    /// No frame arrived for `staleAfterMs` with a request unfinished, or the
    /// page woke up (frozen, long hidden, back online) with requests on the
    /// wire: the SDK closed the connection (code 4000) and reconnects.
    ConnectionStale => "CONNECTION_STALE",
    /// An inbound frame is not valid JSON.
    InvalidJson => "INVALID_JSON",
    /// An inbound frame is JSON but not a frame or envelope of the protocol.
    InboundEnvelopeSchemaMismatch => "INBOUND_ENVELOPE_SCHEMA_MISMATCH",
    /// An inbound frame is over `maxInboundFrameBytes`; it was dropped unread.
    InboundFrameTooLarge => "INBOUND_FRAME_TOO_LARGE",
    /// A server error frame that carries no `error_code` of its own.
    RemoteError => "REMOTE_ERROR",
    /// A send was attempted while the socket is not open.
    WebsocketNotInOpenState => "WEBSOCKET_NOT_IN_OPEN_STATE",
    /// An unknown action name was given to `send`.
    InvalidAction => "INVALID_ACTION",
    /// The params (or a field of them) do not have the shape of the schema.
    PayloadSchemaMismatch => "PAYLOAD_SCHEMA_MISMATCH",
    /// Fields the action requires are missing or empty after the merge.
    RequiredFieldsMissing => "REQUIRED_FIELDS_MISSING",
    /// The serialized envelope is over 131,072 bytes of UTF-8.
    PayloadTooLarge => "PAYLOAD_TOO_LARGE",
    /// No correlated frame arrived within the request's timeout.
    RequestTimeout => "REQUEST_TIMEOUT",
    /// The request was cancelled by `cancelRequest`/`cancelPendingRequests`.
    RequestCancelled => "REQUEST_CANCELLED",
    /// `WebSocket.send` threw.
    SendFailed => "SEND_FAILED",
    /// A method argument has the wrong type or value (event name, listener, options).
    InvalidArgument => "INVALID_ARGUMENT",
    /// A second pending request uses a correlationId that is already pending.
    DuplicateCorrelationId => "DUPLICATE_CORRELATION_ID",
    /// A method was called on a client after `free()`.
    ClientFreed => "CLIENT_FREED",
    /// `new OptaveClient()` before the package's wasm was loaded (raised by
    /// the package's JavaScript entry, which runs before the wasm: call
    /// `await init()` first, or use `await OptaveClient.create(options)`).
    NotInitialized => "NOT_INITIALIZED",
    /// `OptaveClient.create()` could not fetch or compile the package's wasm
    /// (raised by the package's JavaScript entry; `details.cause` is what the
    /// browser said).
    WasmLoadFailed => "WASM_LOAD_FAILED",
}

/// A structured value in an error's `details` (a JSON value, built without
/// a JSON library).
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(Cow<'static, str>),
    /// An array.
    List(Vec<Detail>),
    /// An object, keys in order.
    Map(Vec<(&'static str, Detail)>),
    /// The inbound frame the error is about, as the page parsed it (the
    /// facade puts its own parsed object here; the core never holds it).
    Frame,
}

impl Detail {
    /// A string detail.
    pub fn str(value: impl Into<Cow<'static, str>>) -> Self {
        Self::Str(value.into())
    }

    /// A list of static strings.
    pub fn strs(values: &[&'static str]) -> Self {
        Self::List(
            values
                .iter()
                .map(|v| Self::Str(Cow::Borrowed(*v)))
                .collect(),
        )
    }

    /// The member `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Detail> {
        match self {
            Self::Map(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One structured error: what every failure of the SDK looks like (protocol.md section 6).
///
/// `code` is usually one of [`ErrorCode`]; an orchestrator error frame may carry a
/// server-defined code (its `error_code`), which is kept verbatim.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}/{}: {}", category.as_str(), code, message)]
pub struct OptaveError {
    /// The error category.
    pub category: ErrorCategory,
    /// The error code, e.g. `REQUIRED_FIELDS_MISSING`.
    pub code: Cow<'static, str>,
    /// A sentence that names the offending field or condition.
    pub message: String,
    /// Structured detail (field paths, sizes, the server frame...); `Null` when none.
    pub details: Detail,
    /// What the caller can do about it.
    pub suggestions: Vec<Cow<'static, str>>,
    /// The request's correlation id when the error concerns one request.
    pub correlation_id: Option<String>,
    /// When the error was raised, ISO 8601 UTC with milliseconds.
    pub timestamp: String,
}

impl OptaveError {
    /// A new error with empty details and suggestions; `now_ms` stamps it.
    pub fn new(
        category: ErrorCategory,
        code: ErrorCode,
        message: impl Into<String>,
        now_ms: f64,
    ) -> Self {
        Self {
            category,
            code: Cow::Borrowed(code.as_str()),
            message: message.into(),
            details: Detail::Null,
            suggestions: Vec::new(),
            correlation_id: None,
            timestamp: crate::time::iso_millis(now_ms),
        }
    }

    /// A VALIDATION error (the page's input was refused).
    pub fn validation(code: ErrorCode, message: impl Into<String>, now_ms: f64) -> Self {
        Self::new(ErrorCategory::Validation, code, message, now_ms)
    }

    /// A WEBSOCKET error.
    pub fn websocket(code: ErrorCode, message: impl Into<String>, now_ms: f64) -> Self {
        Self::new(ErrorCategory::Websocket, code, message, now_ms)
    }

    /// An ORCHESTRATOR error (the server refused or failed the request).
    pub fn orchestrator(code: ErrorCode, message: impl Into<String>, now_ms: f64) -> Self {
        Self::new(ErrorCategory::Orchestrator, code, message, now_ms)
    }

    /// An AUTHENTICATION error.
    pub fn authentication(code: ErrorCode, message: impl Into<String>, now_ms: f64) -> Self {
        Self::new(ErrorCategory::Authentication, code, message, now_ms)
    }

    /// Sets `details`.
    pub fn with_details(mut self, details: Detail) -> Self {
        self.details = details;
        self
    }

    /// Appends a suggestion.
    pub fn suggest(mut self, suggestion: impl Into<Cow<'static, str>>) -> Self {
        self.suggestions.push(suggestion.into());
        self
    }

    /// Sets the correlation id.
    pub fn for_request(mut self, correlation_id: impl Into<String>) -> Self {
        self.correlation_id = Some(correlation_id.into());
        self
    }

    /// True when `code` equals the given catalogue code.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.as_str()
    }

    /// `CATEGORY/CODE: message`, for log lines (built without `core::fmt`).
    pub fn summary(&self) -> String {
        Text::new(self.category.as_str())
            .s("/")
            .s(&self.code)
            .s(": ")
            .s(&self.message)
            .done()
    }
}

impl Detail {
    /// Appends this value as JSON text (a [`Detail::Frame`] is written as
    /// `null`: the facade puts the frame in its place). Numbers are written
    /// as integers when they are whole (every number the core reports is a
    /// size, an index or a close code).
    pub fn write_json(&self, out: &mut String) {
        match self {
            Self::Null | Self::Frame => out.push_str("null"),
            Self::Bool(true) => out.push_str("true"),
            Self::Bool(false) => out.push_str("false"),
            Self::Num(n) if n.is_finite() && *n >= 0.0 && *n < 9.0e15 => {
                crate::text::push_u64(out, *n as u64)
            }
            Self::Num(_) => out.push_str("null"),
            Self::Str(s) => crate::json::push_string(out, s),
            Self::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Self::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    crate::json::push_string(out, key);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}
