//! Fault injection for tests: reads `fault:*` strings from
//! `request.reference.tags` and says how the answer to that request must
//! misbehave. Unknown or malformed fault tags are ignored.

use std::time::Duration;

use serde_json::Value;

/// Longest accepted `fault:delay`.
pub const MAX_DELAY: Duration = Duration::from_millis(60_000);

/// The raw, deliberately broken text frame sent by `fault:malformed`.
pub const MALFORMED_FRAME: &str = "{\"action\":\"superpower\", this is not json";

/// Largest accepted `fault:big` size: 64 MiB.
pub const MAX_BIG: usize = 64 << 20;

/// Nesting depth of the `fault:junk=deep-error` frame.
pub const DEEP_ERROR_DEPTH: usize = 50_000;

/// A hostile frame sent for a request before its normal answer
/// (`fault:junk=<kind>`), each naming the request's correlation id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Junk {
    /// `cid-only`: `{"correlationId": "<id>"}` and nothing else.
    CidOnly,
    /// `cid-number`: a complete response envelope whose
    /// `headers.correlationId` is the number 7.
    CidNumber,
    /// `deep-error`: an error envelope whose `details` nest
    /// [`DEEP_ERROR_DEPTH`] objects deep.
    DeepError,
    /// `unparsable-error`: an error envelope cut off after its headers.
    UnparsableError,
    /// `bare-error`: an error envelope whose payload is only
    /// `{"error": {"code", "message"}}`, no actionType, state or message.
    BareError,
}

impl Junk {
    /// The frame's text for the request `correlation_id`.
    pub fn frame(self, correlation_id: &str) -> String {
        let id = serde_json::to_string(correlation_id).unwrap_or_default();
        let error_headers = format!(
            r#"{{"action":"message","headers":{{"correlationId":{id},"action":"interaction","schemaRef":"optave.error.v3"}},"payload":"#
        );
        let error_body = r#"{"action":"superpower","actionType":"error","state":"error","message":{"results":[{"response":[{"content":"deeply nested failure","error_code":"DEEP_FAILURE"}]}]}"#;
        match self {
            Junk::CidOnly => format!(r#"{{"correlationId":{id}}}"#),
            Junk::CidNumber => r#"{"action":"message","headers":{"correlationId":7,"action":"interaction","schemaRef":"optave.response.v3"},"payload":{"action":"superpower","actionType":"sentiment_analysis","state":"completed","message":{"results":[]}}}"#.to_owned(),
            Junk::DeepError => format!(
                r#"{error_headers}{error_body},"details":{}0{}}}}}"#,
                r#"{"a":"#.repeat(DEEP_ERROR_DEPTH),
                "}".repeat(DEEP_ERROR_DEPTH)
            ),
            Junk::UnparsableError => format!(r#"{error_headers}{error_body}"#),
            Junk::BareError => format!(
                r#"{error_headers}{{"error":{{"code":"BARE_FAILURE","message":"the request failed"}}}}}}"#
            ),
        }
    }
}

/// The `fault:big=<bytes>` frame: an error envelope for the request, padded
/// with ASCII to `bytes` (its headers come first).
pub fn big_error_frame(correlation_id: &str, bytes: usize) -> String {
    let id = serde_json::to_string(correlation_id).unwrap_or_default();
    let head = format!(
        r#"{{"action":"message","headers":{{"correlationId":{id},"schemaRef":"optave.error.v3"}},"payload":{{"action":"superpower","actionType":"error","state":"error","message":{{"results":[{{"response":[{{"content":""#
    );
    let tail = r#""}]}]}}}"#;
    let pad = bytes.saturating_sub(head.len() + tail.len());
    let mut text = String::with_capacity(bytes);
    text.push_str(&head);
    text.extend(core::iter::repeat_n('x', pad));
    text.push_str(tail);
    text
}

/// Largest accepted `fault:burst` count.
pub const MAX_BURST: u32 = 1_000_000;

/// Close reason used by `fault:close=<code>`.
pub const CLOSE_REASON: &str = "fault injected";

/// The faults requested for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// `fault:delay=<ms>`: wait before sending any frame (capped at 60 s).
    pub delay: Option<Duration>,
    /// `fault:silent`: send nothing for this request.
    pub silent: bool,
    /// `fault:silent-connection` (or `=<ms>`, default and cap
    /// [`crate::control::MAX_SILENCE`]): the first time the request's
    /// `headers.idempotencyKey` is seen, its connection goes silent in both
    /// directions (nothing read, nothing written, the TCP connection kept
    /// open) for that long, then is dropped; a repeat is answered normally.
    /// No effect on a request without a key.
    pub silent_connection: Option<Duration>,
    /// `fault:malformed`: send [`MALFORMED_FRAME`] first, then answer normally.
    pub malformed: bool,
    /// `fault:drop`: drop the TCP connection without answering.
    pub drop: bool,
    /// `fault:drop-before-answer`: the first time the request's
    /// `headers.idempotencyKey` is seen, drop the TCP connection at once
    /// (nothing sent, nothing recorded); a repeat is answered normally. No
    /// effect on a request without a key.
    pub drop_before_answer: bool,
    /// `fault:drop-after-started`: the first time the request's
    /// `headers.idempotencyKey` is seen, send its `started` frames, then drop
    /// the TCP connection (the whole answer is recorded, so a repeat gets
    /// every frame again). No effect on a request without a key.
    pub drop_after_started: bool,
    /// `fault:close=<code>`: close the socket with this code (1000..=4999).
    pub close: Option<u16>,
    /// `fault:error`: answer every superpower with an error frame.
    pub error: bool,
    /// `fault:error-first`: answer with error frames only, no `started` frames.
    pub error_first: bool,
    /// `fault:error=<actionType>`: that superpower answers with an error
    /// frame after its `started` frame; the others complete.
    pub error_one: Option<String>,
    /// `fault:bare`: send bare payloads instead of envelopes.
    pub bare: bool,
    /// `fault:junk=<kind>`: send that hostile frame ([`Junk`]) first, then
    /// answer normally.
    pub junk: Option<Junk>,
    /// `fault:big=<bytes>` (up to [`MAX_BIG`]): send [`big_error_frame`]
    /// first, then answer normally.
    pub big: Option<usize>,
    /// `fault:burst=<n>` (1..=[`MAX_BURST`]): instead of the normal answer,
    /// send one precomputed completed `sentiment_analysis` frame n times, as
    /// fast as the socket allows (a benchmark load for inbound dispatch).
    pub burst: Option<u32>,
}

impl Faults {
    /// Reads the fault tags of a request (`request.reference.tags`).
    pub fn from_request(request: &Value) -> Faults {
        let mut faults = Faults::default();
        let tags = request
            .get("reference")
            .and_then(|r| r.get("tags"))
            .and_then(Value::as_array);
        for tag in tags.into_iter().flatten().filter_map(Value::as_str) {
            faults.apply(tag.trim());
        }
        faults
    }

    fn apply(&mut self, tag: &str) {
        let Some(rest) = tag.strip_prefix("fault:") else {
            return;
        };
        let (name, arg) = match rest.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (rest, None),
        };
        match (name, arg) {
            ("delay", Some(ms)) => {
                if let Ok(ms) = ms.trim().parse::<u64>() {
                    self.delay = Some(Duration::from_millis(ms).min(MAX_DELAY));
                }
            }
            ("close", Some(code)) => {
                if let Ok(code) = code.trim().parse::<u16>() {
                    if (1000..=4999).contains(&code) {
                        self.close = Some(code);
                    }
                }
            }
            ("burst", Some(n)) => {
                if let Ok(n) = n.trim().parse::<u32>() {
                    if (1..=MAX_BURST).contains(&n) {
                        self.burst = Some(n);
                    }
                }
            }
            ("junk", Some(kind)) => {
                self.junk = match kind.trim() {
                    "cid-only" => Some(Junk::CidOnly),
                    "cid-number" => Some(Junk::CidNumber),
                    "deep-error" => Some(Junk::DeepError),
                    "unparsable-error" => Some(Junk::UnparsableError),
                    "bare-error" => Some(Junk::BareError),
                    _ => None,
                }
            }
            ("big", Some(n)) => {
                if let Ok(n) = n.trim().parse::<usize>() {
                    self.big = Some(n.min(MAX_BIG));
                }
            }
            ("silent", None) => self.silent = true,
            ("silent-connection", None) => {
                self.silent_connection = Some(crate::control::MAX_SILENCE);
            }
            ("silent-connection", Some(ms)) => {
                if let Ok(ms) = ms.trim().parse::<u64>() {
                    let span = Duration::from_millis(ms).min(crate::control::MAX_SILENCE);
                    self.silent_connection = Some(span);
                }
            }
            ("malformed", None) => self.malformed = true,
            ("drop", None) => self.drop = true,
            ("drop-before-answer", None) => self.drop_before_answer = true,
            ("drop-after-started", None) => self.drop_after_started = true,
            ("error", None) => self.error = true,
            ("error", Some(kind)) if !kind.trim().is_empty() && kind.len() <= 64 => {
                self.error_one = Some(kind.trim().to_owned());
            }
            ("error-first", None) => self.error_first = true,
            ("bare", None) => self.bare = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_tags_and_ignores_junk() {
        let req = json!({ "reference": { "tags": [
            "fault:delay=120", "fault:bare", 7, null, "fault:close=99999",
            "fault:unknown", "vip", "fault:error"
        ] } });
        let f = Faults::from_request(&req);
        assert_eq!(f.delay, Some(Duration::from_millis(120)));
        assert!(f.bare && f.error && !f.silent && !f.drop && !f.drop_before_answer);
        let once =
            Faults::from_request(&json!({"reference": {"tags": ["fault:drop-before-answer"]}}));
        assert!(once.drop_before_answer && !once.drop);
        let mid =
            Faults::from_request(&json!({"reference": {"tags": ["fault:drop-after-started"]}}));
        assert!(mid.drop_after_started && !mid.drop_before_answer);
        assert_eq!(f.close, None);
        let one =
            Faults::from_request(&json!({"reference": {"tags": ["fault:error=risk_assessment"]}}));
        assert_eq!(one.error_one.as_deref(), Some("risk_assessment"));
        assert!(!one.error);
        let hush = |tag: &str| {
            Faults::from_request(&json!({"reference": {"tags": [tag]}})).silent_connection
        };
        assert_eq!(
            hush("fault:silent-connection"),
            Some(crate::control::MAX_SILENCE)
        );
        assert_eq!(
            hush("fault:silent-connection=2500"),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            hush("fault:silent-connection=999999999"),
            Some(crate::control::MAX_SILENCE)
        );
        assert_eq!(hush("fault:silent-connection=x"), None);
        assert_eq!(hush("fault:silent"), None);
        let capped =
            Faults::from_request(&json!({"reference": {"tags": ["fault:delay=999999999"]}}));
        assert_eq!(capped.delay, Some(MAX_DELAY));
        assert_eq!(
            Faults::from_request(&json!({"reference": 3})),
            Faults::default()
        );
    }

    #[test]
    fn junk_frames() {
        let f = |tag: &str| Faults::from_request(&json!({"reference": {"tags": [tag]}}));
        assert_eq!(f("fault:junk=cid-only").junk, Some(Junk::CidOnly));
        assert_eq!(f("fault:junk=nope").junk, None);
        assert_eq!(f("fault:big=999999999999").big, Some(MAX_BIG));
        let only: Value = serde_json::from_str(&Junk::CidOnly.frame("c\"1")).unwrap();
        assert_eq!(only, json!({ "correlationId": "c\"1" }));
        let number: Value = serde_json::from_str(&Junk::CidNumber.frame("c")).unwrap();
        assert_eq!(number["headers"]["correlationId"], 7);
        let deep = Junk::DeepError.frame("c");
        assert!(deep.starts_with(r#"{"action":"message","headers":{"correlationId":"c""#));
        assert_eq!(deep.matches('{').count(), deep.matches('}').count());
        let cut = Junk::UnparsableError.frame("c");
        assert!(serde_json::from_str::<Value>(&cut).is_err());
        assert_eq!(f("fault:junk=bare-error").junk, Some(Junk::BareError));
        let bare: Value = serde_json::from_str(&Junk::BareError.frame("c")).unwrap();
        assert_eq!(bare["headers"]["schemaRef"], "optave.error.v3");
        assert_eq!(
            bare["payload"],
            json!({ "error": { "code": "BARE_FAILURE", "message": "the request failed" } })
        );
        let big = big_error_frame("c", 5000);
        assert_eq!(big.len(), 5000);
        let big: Value = serde_json::from_str(&big).unwrap();
        assert_eq!(big["headers"]["correlationId"], "c");
    }

    #[test]
    fn burst_count_is_bounded() {
        let burst = |tag: &str| Faults::from_request(&json!({"reference": {"tags": [tag]}})).burst;
        assert_eq!(burst("fault:burst=20000"), Some(20_000));
        assert_eq!(burst("fault:burst=1000000"), Some(MAX_BURST));
        assert_eq!(burst("fault:burst=1000001"), None);
        assert_eq!(burst("fault:burst=0"), None);
        assert_eq!(burst("fault:burst=-3"), None);
        assert_eq!(burst("fault:burst"), None);
    }
}
