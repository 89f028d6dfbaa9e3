//! The error model shared by every layer (protocol.md section 6).
//!
//! Owns [`OptaveError`], its [`ErrorCategory`] and the [`ErrorCode`] catalogue.
//! It knows nothing of JavaScript: the wasm facade turns an `OptaveError` into a
//! real JS `Error` carrying the same fields.

use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;

/// The four error categories of protocol.md section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

            /// Every code, in declaration order (used to generate the TS union).
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
    /// An inbound frame is not valid JSON.
    InvalidJson => "INVALID_JSON",
    /// An inbound frame is JSON but not a frame or envelope of the protocol.
    InboundEnvelopeSchemaMismatch => "INBOUND_ENVELOPE_SCHEMA_MISMATCH",
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
}

/// The TypeScript union of every [`ErrorCode`] (kept equal to [`ErrorCode::ALL`]
/// by a test).
pub const ERROR_CODE_TS: &str = r#"/** Every error code the SDK raises (protocol.md section 6). */
export type ErrorCode = "INVALID_WEBSOCKET_URL" | "UNSUPPORTED_IN_BROWSER" | "INVALID_OPTION" | "TOKEN_PROVIDER_FAILED" | "MISSING_TOKEN" | "INVALID_TOKEN" | "AUTHENTICATION_FAILED" | "WEBSOCKET_ERROR" | "CONNECTION_TIMEOUT" | "CONNECTION_ERROR" | "CONNECTION_CLOSED" | "INVALID_JSON" | "INBOUND_ENVELOPE_SCHEMA_MISMATCH" | "REMOTE_ERROR" | "WEBSOCKET_NOT_IN_OPEN_STATE" | "INVALID_ACTION" | "PAYLOAD_SCHEMA_MISMATCH" | "REQUIRED_FIELDS_MISSING" | "PAYLOAD_TOO_LARGE" | "REQUEST_TIMEOUT" | "REQUEST_CANCELLED" | "SEND_FAILED" | "INVALID_ARGUMENT" | "DUPLICATE_CORRELATION_ID";"#;

/// One structured error: what every failure of the SDK looks like (protocol.md section 6).
///
/// `code` is usually one of [`ErrorCode`]; an orchestrator error frame may carry a
/// server-defined code (its `error_code`), which is kept verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{category_str}/{code}: {message}", category_str = category.as_str())]
pub struct OptaveError {
    /// The error category.
    pub category: ErrorCategory,
    /// The error code, e.g. `REQUIRED_FIELDS_MISSING`.
    #[tsify(type = "ErrorCode | (string & {})")]
    pub code: String,
    /// A sentence that names the offending field or condition.
    pub message: String,
    /// Structured detail (field paths, sizes, the server frame...); `null` when none.
    #[tsify(type = "unknown")]
    pub details: Value,
    /// What the caller can do about it.
    pub suggestions: Vec<String>,
    /// The request's correlation id when the error concerns one request.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
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
            code: code.as_str().to_owned(),
            message: message.into(),
            details: Value::Null,
            suggestions: Vec::new(),
            correlation_id: None,
            timestamp: crate::core::time::iso_millis(now_ms),
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

    /// An AUTHENTICATION error.
    pub fn authentication(code: ErrorCode, message: impl Into<String>, now_ms: f64) -> Self {
        Self::new(ErrorCategory::Authentication, code, message, now_ms)
    }

    /// Sets `details`.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Appends a suggestion.
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
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
}
