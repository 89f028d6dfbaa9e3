//! The session's requests on the way back: frames settle and de-duplicate
//! (`frame`), duplicate correlationIds, `cancel`, `cancel_all`, `forget`,
//! and how long a request is tracked.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::outbox::FrameOutcome;
use optave_core::connection::outbox::{DEFAULT_QUEUE_LIMIT as MAX_TRACKED, QUEUE_MAX_BYTES};
use optave_core::connection::SessionConfig;
use optave_core::connection::{Input, SendKind};
use optave_core::error::{ErrorCategory, ErrorCode};
use session::*;

fn outcome(deliver: bool, waiter: Option<u32>) -> FrameOutcome<u32> {
    FrameOutcome { deliver, waiter }
}

/// The first frame settles the promise; a repeated `(actionType, state)` is
/// not delivered; the request completes once every superpower that reported
/// `started` reported again, and its later frames are delivered untracked.
#[test]
fn frames_settle_and_are_deduplicated() {
    let mut rig = Rig::connected(config());
    rig.send_now("a", Some(1), T0);
    let s = &mut rig.s;
    assert_eq!(s.frame("a", "sp1", "started", 0.0), outcome(true, Some(1)));
    assert_eq!(s.outbox().waiting(), 0);
    assert_eq!(s.frame("a", "sp1", "started", 0.0), outcome(false, None));
    assert_eq!(s.frame("a", "sp2", "started", 0.0), outcome(true, None));
    assert_eq!(s.frame("a", "sp1", "completed", 0.0), outcome(true, None));
    assert!(s.outbox().contains("a"), "sp2 has not reported again");
    assert_eq!(s.frame("a", "sp1", "completed", 0.0), outcome(false, None));
    assert_eq!(s.frame("a", "sp2", "failed", 0.0), outcome(true, None));
    assert!(!s.outbox().contains("a"));
    assert_eq!(s.frame("a", "sp2", "failed", 0.0), outcome(true, None));
    assert_eq!(s.frame("a", "sp1", "started", 0.0), outcome(true, None));
    assert!(s.outbox().is_empty());
}

#[test]
fn how_a_request_completes() {
    let mut rig = Rig::connected(config());
    for (id, w) in [("e", 1), ("first-error", 2), ("done", 3), ("plain", 0)] {
        rig.send_now(id, (w > 0).then_some(w), T0);
    }
    let s = &mut rig.s;
    // `actionType: "error"` completes at once, superpowers still started.
    assert_eq!(s.frame("e", "sp1", "started", 0.0), outcome(true, Some(1)));
    assert_eq!(s.frame("e", "error", "error", 0.0), outcome(true, None));
    assert!(!s.outbox().contains("e"));
    assert_eq!(
        s.frame("first-error", "error", "x", 0.0),
        outcome(true, Some(2))
    );
    assert!(!s.outbox().contains("first-error"));
    // A first frame that is not `started` completes it.
    assert_eq!(
        s.frame("done", "sp", "completed", 0.0),
        outcome(true, Some(3))
    );
    assert!(!s.outbox().contains("done"));
    // Fire-and-forget requests are de-duplicated too.
    assert_eq!(s.frame("plain", "sp", "started", 0.0), outcome(true, None));
    assert_eq!(s.frame("plain", "sp", "started", 0.0), outcome(false, None));
    assert!(s.outbox().contains("plain"));
    // Frames naming nothing tracked are delivered as they are.
    assert_eq!(s.frame("nobody", "sp", "started", 0.0), outcome(true, None));
    assert_eq!(s.frame("nobody", "sp", "started", 0.0), outcome(true, None));
}

/// A correlationId already tracked (on the wire or queued) is refused; once
/// its request completes it can be used again.
#[test]
fn duplicate_correlation_ids_are_refused() {
    let mut rig = Rig::connected(config());
    let text = rig.send_now("a", Some(1), T0);
    let (back, e) = rig
        .s
        .submit("a".into(), "other", Some(2), None, 1.0, T0)
        .unwrap_err();
    assert_eq!(back, Some(2));
    is(
        &e,
        ErrorCategory::Validation,
        ErrorCode::DuplicateCorrelationId,
    );
    assert_eq!(e.correlation_id.as_deref(), Some("a"));
    assert!(e.message.contains("\"a\""), "{}", e.message);
    rig.s.frame("a", "sp", "completed", 0.0);
    assert_eq!(
        rig.s
            .submit("a".into(), text.clone(), None, None, 1.0, T0)
            .unwrap()
            .as_deref(),
        Some(&*text)
    );

    rig.on(closed(1, 1006, false, T0 + 1.0));
    rig.queue("q", None, 1.0, T0);
    for id in ["q", "a"] {
        let (back, e) = rig
            .s
            .submit(id.into(), "x", None, None, 1.0, T0)
            .unwrap_err();
        assert_eq!(back, None);
        is(
            &e,
            ErrorCategory::Validation,
            ErrorCode::DuplicateCorrelationId,
        );
    }
    assert_eq!(rig.s.outbox().queued(), 1);
}

/// `cancel` hands back an unsettled `...Async` promise and stops tracking
/// the request (queued or sent); anything else is left alone.
#[test]
fn cancel_and_cancel_all() {
    let mut rig = Rig::connected(config());
    rig.send_now("a", Some(1), T0);
    rig.send_now("b", None, T0);
    rig.send_now("c", Some(2), T0);
    rig.send_now("d", Some(3), T0);
    assert_eq!(rig.s.cancel("b"), None);
    assert!(rig.s.outbox().contains("b"));
    assert_eq!(rig.s.cancel("a"), Some(1));
    assert!(!rig.s.outbox().contains("a"));
    assert_eq!(rig.s.cancel("a"), None);
    assert_eq!(rig.s.cancel("nobody"), None);
    rig.s.frame("c", "sp", "started", 0.0);
    assert_eq!(rig.s.cancel("c"), None, "settled by its first frame");
    assert!(rig.s.outbox().contains("c"));

    rig.on(closed(1, 1006, false, T0 + 1.0));
    rig.queue("q", Some(4), 1e5, T0);
    rig.queue("r", None, 1e5, T0);
    rig.queue("s", Some(5), 1e5, T0);
    assert_eq!(rig.s.cancel("q"), Some(4));
    assert_eq!(rig.s.outbox().queued(), 2);
    rig.queue("t", Some(6), 1e5, T0);
    assert_eq!(
        rig.s.cancel_all(),
        [
            ("d".to_owned(), 3),
            ("s".to_owned(), 5),
            ("t".to_owned(), 6)
        ]
    );
    assert_eq!(rig.s.cancel_all(), []);
    assert_eq!(rig.s.outbox().queued(), 1);
    let t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    let ids: Vec<_> = sent(&rig.open(2, t))
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    assert_eq!(ids, ["b", "c", "r"]);
}

/// `forget` stops tracking any request and hands back its unsettled promise.
#[test]
fn forget() {
    let mut rig = Rig::connected(config());
    rig.send_now("a", Some(1), T0);
    rig.send_now("b", None, T0);
    rig.send_now("c", Some(2), T0);
    rig.s.frame("c", "sp", "started", 0.0);
    assert_eq!(rig.s.forget("a"), Some(1));
    assert_eq!(rig.s.forget("b"), None);
    assert_eq!(rig.s.forget("c"), None);
    assert_eq!(rig.s.forget("a"), None);
    assert!(rig.s.outbox().is_empty());
    // A forgotten request is not resent, and its frames are untracked.
    rig.on(closed(1, 1006, false, T0 + 1.0));
    rig.queue("q", Some(3), 1e5, T0);
    assert_eq!(rig.s.forget("q"), Some(3));
    assert_eq!(rig.s.outbox().queued(), 0);
    let t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    assert!(sent(&rig.open(2, t)).is_empty());
    assert_eq!(rig.s.frame("a", "sp", "started", 0.0).waiter, None);
}

/// A fire-and-forget request is tracked `requestTimeoutMs` after it was
/// sent; a settled `...Async` one until its deadline, then dropped without
/// a REQUEST_TIMEOUT; an unsettled one is rejected then.
#[test]
fn how_long_requests_are_tracked() {
    let mut rig = Rig::connected(config());
    rig.send_now("settled", Some(1), T0); // deadline T0 + 5,000
    rig.send_now("plain", None, T0 + 1.0); // T0 + 1 + 30,000
    rig.send_now("open", Some(2), T0 + 2.0); // T0 + 5,002
    rig.s.frame("settled", "sp", "started", 0.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 5_000.0));
    assert!(rig
        .on(Input::Tick {
            now_ms: T0 + 5_000.0
        })
        .is_empty());
    assert!(!rig.s.outbox().contains("settled"));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 5_002.0,
    });
    assert_eq!(
        lines(&fx),
        ["reject 2 REQUEST_TIMEOUT open", "error REQUEST_TIMEOUT"]
    );
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 1.0 + REQUEST_MS));
    assert!(rig
        .on(Input::Tick {
            now_ms: T0 + 1.0 + REQUEST_MS
        })
        .is_empty());
    assert!(rig.s.outbox().is_empty());
    assert_eq!(rig.s.next_wakeup(), None);
}

/// Past `queueLimit` (default 100) fire-and-forget requests on the wire a
/// send goes out untracked (and is not resent); `...Async` requests are
/// always tracked.
#[test]
fn fire_and_forget_tracking_is_bounded() {
    assert_eq!(MAX_TRACKED, 100);
    let mut rig = Rig::connected(config());
    for n in 0..MAX_TRACKED {
        rig.send_now(&format!("p{n}"), None, T0);
    }
    assert_eq!(rig.send_now("over", None, T0), envelope("over"));
    assert!(!rig.s.outbox().contains("over"));
    rig.send_now("async", Some(1), T0);
    assert!(rig.s.outbox().contains("async"));
    assert_eq!(rig.s.outbox().len(), MAX_TRACKED + 1);
    rig.on(closed(1, 1006, false, T0 + 1.0));
    let t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    let out = sent(&rig.open(2, t));
    assert_eq!(out.len(), MAX_TRACKED + 1);
    assert!(out
        .iter()
        .all(|(id, _, kind)| id != "over" && *kind == SendKind::Resent));
    assert_eq!(out.last().unwrap().0, "async");
}

/// The tracking bounds are the queue's: `queueLimit` envelopes and 1 MiB of
/// text (`QUEUE_MAX_BYTES`), whichever is reached first.
#[test]
fn fire_and_forget_tracking_follows_queue_limit_and_bytes() {
    let mut rig = Rig::connected(SessionConfig {
        queue_limit: 3,
        ..config()
    });
    for id in ["a", "b", "c"] {
        rig.send_now(id, None, T0);
    }
    rig.send_now("d", None, T0);
    assert!(rig.s.outbox().contains("c"));
    assert!(!rig.s.outbox().contains("d"));

    let mut rig = Rig::connected(config());
    let big = "x".repeat(QUEUE_MAX_BYTES / 2);
    for id in ["big1", "big2", "small"] {
        let text = if id == "small" {
            String::from(id)
        } else {
            format!("{id}{big}")
        };
        let out = rig
            .s
            .submit(id.into(), text.as_str(), None, None, 1.0, T0)
            .unwrap();
        assert_eq!(out.as_deref(), Some(text.as_str()));
    }
    assert!(rig.s.outbox().contains("big1"));
    assert!(!rig.s.outbox().contains("big2"));
    assert!(rig.s.outbox().contains("small"));
}
