//! The inbound router's fuzz property (`check_inbound`): any frame text, as
//! the page's `JSON.parse` and the facade's reader would hand it over.
//!
//! - Parsable frames are routed as the facade routes them
//!   (`common::deliver`) and must agree with the reference model
//!   (`tests/oracle/inbound.rs`) in both strictness modes; on top of that,
//!   checked on the parsed value itself: a delivered frame has what protocol.md
//!   section 5 requires (`action`, `actionType`, `state` strings and a
//!   `message` object in its body) and a correlationId that the frame carries
//!   as a string; an error frame is one by the protocol's definition; a
//!   refusal is WEBSOCKET / `INBOUND_ENVELOPE_SCHEMA_MISMATCH`.
//! - Any text, parsable or not, through the unreadable-frame errors
//!   (`invalid_json`, `frame_too_large`): a salvaged correlationId is a
//!   quoted string of the text, the preview at most 200 characters.

use optave_core::error::{ErrorCategory, ErrorCode};
use optave_core::inbound::{self, Inbound, ERROR_SCHEMA_REF};
use serde_json::Value;

use crate::common::{deliver, Delivered, NOW_MS};
use crate::oracle::inbound as model;

/// Frames nested deeper than this are left to the unreadable-frame path
/// only (serde_json recurses; the page's `JSON.parse` does not).
const MAX_DEPTH: usize = 2_000;

fn member<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|m| !m.is_null())
}

fn depth(text: &str) -> usize {
    let (mut d, mut max) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'{' | b'[' => {
                d += 1;
                max = max.max(d);
            }
            b'}' | b']' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The property; panics on a violation.
pub fn check_inbound(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_unreadable(&text);
    if depth(&text) > MAX_DEPTH {
        return;
    }
    let Ok(frame) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    for strict in [false, true] {
        check_frame(&frame, strict);
    }
}

fn check_unreadable(text: &str) {
    let salvaged = inbound::salvage_correlation_id(text);
    if let Some(id) = salvaged {
        assert!(!id.is_empty() && id.len() <= 256, "{text:?}");
        assert!(
            text.contains(&format!("\"{id}\"")),
            "salvaged {id:?} is not a quoted string of {text:?}"
        );
    }
    let size = text.len() as f64;
    for err in [
        inbound::invalid_json(text, NOW_MS),
        inbound::frame_too_large(size, 1_024, text, NOW_MS),
    ] {
        assert_eq!(err.category, ErrorCategory::Websocket);
        assert!(err.is(ErrorCode::InvalidJson) || err.is(ErrorCode::InboundFrameTooLarge));
        assert_eq!(err.correlation_id.as_deref(), salvaged, "{text:?}");
        let mut json = String::new();
        err.details.write_json(&mut json);
        let details: Value = serde_json::from_str(&json).expect("the details are JSON");
        let preview = details["frame"].as_str().expect("a preview");
        assert!(preview.chars().count() <= 200 && text.starts_with(preview));
    }
}

/// The core quotes a value in a message with control characters shown as `?`
/// and cut to its first 80 characters and `…` (`Text::q`); the model quotes
/// it as it is.
fn same_message(core: &str, model: &str) -> bool {
    let shown = |text: &str| -> String {
        text.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    };
    let (core, model) = (shown(core), shown(model));
    core == model
        || core
            .strip_suffix("…\"")
            .is_some_and(|prefix| model.starts_with(prefix))
}

fn check_frame(frame: &Value, strict: bool) {
    let label = || {
        let text = frame.to_string();
        let cut: String = text.chars().take(300).collect();
        format!("{cut} strict={strict}")
    };
    let got = deliver(frame, strict);
    let want = model::classify(frame, strict);
    match (&got, &want) {
        (Ok(Delivered::Response(i)), Ok(w)) => {
            assert!(w.error.is_none(), "{}: model says error", label());
            same_inbound(i, w, frame);
            check_complete(frame, i, &label());
        }
        (Ok(Delivered::Error(i, err)), Ok(w)) => {
            let remote = w
                .error
                .as_ref()
                .unwrap_or_else(|| panic!("{}: model delivers", label()));
            same_inbound(i, w, frame);
            assert!(is_error_frame(frame, i.enveloped), "{}", label());
            assert_eq!(err.category, ErrorCategory::Orchestrator);
            assert_eq!(err.code, remote.code, "{}", label());
            assert!(
                same_message(&err.message, &remote.message),
                "{}: {} / {}",
                label(),
                err.message,
                remote.message
            );
            assert_eq!(err.correlation_id, i.correlation_id);
        }
        (Err(err), Err(refused)) => {
            assert_eq!(err.category, ErrorCategory::Websocket);
            assert!(
                err.is(ErrorCode::InboundEnvelopeSchemaMismatch),
                "{}",
                label()
            );
            assert!(
                same_message(&err.message, &refused.message),
                "{}: {} / {}",
                label(),
                err.message,
                refused.message
            );
        }
        _ => panic!("{}: routed {got:?}, model {want:?}", label()),
    }
}

/// A bare frame that carries a payload object is named by its own
/// correlationId only, where the model also looks in the payload: the one
/// known difference (tests/core_inbound.rs).
fn same_inbound(i: &Inbound, w: &model::Classified, frame: &Value) {
    let payload_named = !i.enveloped
        && i.correlation_id.is_none()
        && w.correlation_id.is_some()
        && member(frame, "correlationId").is_none();
    if !payload_named {
        assert_eq!(i.correlation_id, w.correlation_id, "{frame}");
    }
    assert_eq!(i.enveloped, w.enveloped, "{frame}");
    assert_eq!(i.action_type, w.action_type, "{frame}");
    assert_eq!(i.state, w.state, "{frame}");
    assert_eq!(i.request_action, w.request_action, "{frame}");
}

/// What protocol.md section 5 requires of a frame that settles a request.
fn check_complete(frame: &Value, i: &Inbound, label: &str) {
    let body = if i.enveloped {
        member(frame, "payload").expect("an envelope has a payload")
    } else {
        frame
    };
    for key in ["action", "actionType", "state"] {
        assert!(
            member(body, key).is_some_and(Value::is_string),
            "{label}: {key}"
        );
    }
    assert!(
        member(body, "message").is_some_and(Value::is_object),
        "{label}: message"
    );
    if let Some(id) = &i.correlation_id {
        let carried = [
            member(frame, "headers").and_then(|h| member(h, "correlationId")),
            member(frame, "correlationId"),
            member(body, "correlationId"),
        ];
        assert!(
            carried.iter().flatten().any(|v| v.as_str() == Some(id)),
            "{label}: {id} is not the frame's"
        );
    }
}

/// protocol.md section 5: state or actionType `error`, an `error` member, or
/// `schemaRef` `optave.error.v3` (checked on the body, and on the headers of
/// an envelope).
fn is_error_frame(frame: &Value, enveloped: bool) -> bool {
    let body = if enveloped {
        member(frame, "payload").unwrap_or(frame)
    } else {
        frame
    };
    let text = |key: &str| member(body, key).and_then(Value::as_str);
    text("state") == Some("error")
        || text("actionType") == Some("error")
        || member(body, "error").is_some()
        || (enveloped
            && member(frame, "headers")
                .and_then(|h| member(h, "schemaRef"))
                .and_then(Value::as_str)
                == Some(ERROR_SCHEMA_REF))
}
