//! Fault injection for tests: reads `fault:*` strings from
//! `request.reference.tags` and says how the answer to that request must
//! misbehave. Unknown or malformed fault tags are ignored.

use std::time::Duration;

use serde_json::Value;

/// Longest accepted `fault:delay`.
pub const MAX_DELAY: Duration = Duration::from_millis(60_000);

/// The raw, deliberately broken text frame sent by `fault:malformed`.
pub const MALFORMED_FRAME: &str = "{\"action\":\"superpower\", this is not json";

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
    /// `fault:malformed`: send [`MALFORMED_FRAME`] first, then answer normally.
    pub malformed: bool,
    /// `fault:drop`: drop the TCP connection without answering.
    pub drop: bool,
    /// `fault:close=<code>`: close the socket with this code (1000..=4999).
    pub close: Option<u16>,
    /// `fault:error`: answer every superpower with an error frame.
    pub error: bool,
    /// `fault:error-first`: answer with error frames only, no `started` frames.
    pub error_first: bool,
    /// `fault:bare`: send bare payloads instead of envelopes.
    pub bare: bool,
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
            ("silent", None) => self.silent = true,
            ("malformed", None) => self.malformed = true,
            ("drop", None) => self.drop = true,
            ("error", None) => self.error = true,
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
        assert!(f.bare && f.error && !f.silent && !f.drop);
        assert_eq!(f.close, None);
        let capped =
            Faults::from_request(&json!({"reference": {"tags": ["fault:delay=999999999"]}}));
        assert_eq!(capped.delay, Some(MAX_DELAY));
        assert_eq!(
            Faults::from_request(&json!({"reference": 3})),
            Faults::default()
        );
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
