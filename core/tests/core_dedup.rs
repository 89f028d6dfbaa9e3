//! Frame de-duplication across a resend (`optave_core::dedup`).
#![cfg(not(target_arch = "wasm32"))]

use optave_core::dedup::Delivered;

#[test]
fn a_tracked_request_sees_each_frame_once() {
    let mut d = Delivered::default();
    d.track("c1");
    let started = (Some("sentiment_analysis"), Some("started"));
    let completed = (Some("sentiment_analysis"), Some("completed"));
    assert!(d.first("c1", started.0, started.1));
    assert!(d.first("c1", completed.0, completed.1));
    assert!(d.first("c1", Some("risk_assessment"), Some("started")));
    // The same frames again, after the resend.
    assert!(!d.first("c1", started.0, started.1));
    assert!(!d.first("c1", completed.0, completed.1));
    // Another request's frames are its own.
    d.track("c2");
    assert!(d.first("c2", completed.0, completed.1));
}

#[test]
fn untracked_and_unnamed_frames_are_always_delivered() {
    let mut d = Delivered::default();
    assert!(d.first("x", Some("sentiment_analysis"), Some("started")));
    assert!(d.first("x", Some("sentiment_analysis"), Some("started")));
    d.track("c1");
    assert!(d.first("c1", None, Some("error")));
    assert!(d.first("c1", None, Some("error")));
    assert!(d.first("c1", Some("error"), None));
}

#[test]
fn forgetting_frees_the_request() {
    let mut d = Delivered::default();
    for i in 0..1_000 {
        let id = format!("c{i}");
        d.track(&id);
        assert!(d.first(&id, Some("summary"), Some("completed")));
    }
    assert_eq!(d.len(), 1_000);
    for i in 0..1_000 {
        d.forget(&format!("c{i}"));
    }
    assert!(d.is_empty());
    assert_eq!(d, Delivered::default());
}
