//! The settle rule of request handles, with
//! injected time: a handle gets every frame of its request and settles once
//! every superpower that started has reported again and no new frame has
//! arrived for its `settleMs`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::outbox::FrameOutcome;
use optave_core::connection::{Input, SendKind, SessionConfig};
use optave_core::error::{ErrorCategory, ErrorCode};
use session::*;

const SETTLE: f64 = 400.0;

fn streamed(waiter: u32) -> FrameOutcome<u32> {
    FrameOutcome {
        deliver: true,
        waiter: Some(waiter),
    }
}

fn repeat() -> FrameOutcome<u32> {
    FrameOutcome {
        deliver: false,
        waiter: None,
    }
}

fn tick(rig: &mut Rig, now_ms: f64) -> Vec<String> {
    lines(&rig.on(Input::Tick { now_ms }))
}

#[test]
fn every_frame_goes_to_the_handle_and_it_settles_after_the_quiet_period() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 7, SETTLE, 10_000.0, T0);
    let s = &mut rig.s;
    assert_eq!(s.frame("h", "sentiment", "started", T0 + 10.0), streamed(7));
    assert_eq!(s.frame("h", "risk", "started", T0 + 11.0), streamed(7));
    assert_eq!(
        s.frame("h", "sentiment", "completed", T0 + 50.0),
        streamed(7)
    );
    assert_eq!(
        s.next_wakeup(),
        Some(T0 + 10_000.0),
        "risk has not completed"
    );
    assert_eq!(s.frame("h", "risk", "completed", T0 + 60.0), streamed(7));
    assert_eq!(s.next_wakeup(), Some(T0 + 60.0 + SETTLE));
    assert!(tick(&mut rig, T0 + 60.0 + SETTLE - 1.0).is_empty());
    assert_eq!(tick(&mut rig, T0 + 60.0 + SETTLE), ["settled 7 h"]);
    assert!(!rig.s.outbox().contains("h"), "nothing left in the core");
    assert_eq!(rig.s.next_wakeup(), None);
}

#[test]
fn a_new_frame_restarts_the_quiet_period_and_a_new_start_reopens_it() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 1, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "started", T0);
    rig.s.frame("h", "a", "completed", T0 + 100.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 100.0 + SETTLE));
    rig.s.frame("h", "b", "started", T0 + 300.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 10_000.0), "b is open again");
    assert!(tick(&mut rig, T0 + 100.0 + SETTLE).is_empty());
    rig.s.frame("h", "b", "completed", T0 + 700.0);
    assert_eq!(tick(&mut rig, T0 + 700.0 + SETTLE), ["settled 1 h"]);
}

#[test]
fn a_completed_frame_without_started_counts_as_started_and_finished() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 2, SETTLE, 10_000.0, T0);
    assert_eq!(
        rig.s.frame("h", "summary", "completed", T0 + 5.0),
        streamed(2)
    );
    assert_eq!(tick(&mut rig, T0 + 5.0 + SETTLE), ["settled 2 h"]);
}

#[test]
fn an_error_for_one_superpower_does_not_end_the_others() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 3, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "started", T0);
    rig.s.frame("h", "b", "started", T0);
    assert_eq!(rig.s.frame("h", "a", "error", T0 + 10.0), streamed(3));
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 10_000.0), "b still runs");
    rig.s.frame("h", "b", "completed", T0 + 20.0);
    assert_eq!(tick(&mut rig, T0 + 20.0 + SETTLE), ["settled 3 h"]);
}

#[test]
fn the_deadline_rejects_a_handle_that_never_settles() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 4, SETTLE, 1_000.0, T0);
    rig.s.frame("h", "a", "started", T0 + 10.0);
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 1_000.0,
    });
    let rejected = rejected(&fx);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, 4);
    is(
        rejected[0].1,
        ErrorCategory::Websocket,
        ErrorCode::RequestTimeout,
    );
    assert!(!rig.s.outbox().contains("h"));
}

#[test]
fn cancel_hands_the_handle_back_until_it_settles() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 5, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "started", T0);
    assert_eq!(rig.s.cancel("h"), Some(5));
    assert_eq!(rig.s.cancel("h"), None);
    rig.handle_now("g", 6, SETTLE, 10_000.0, T0);
    rig.s.frame("g", "a", "completed", T0);
    tick(&mut rig, T0 + SETTLE);
    assert_eq!(rig.s.cancel("g"), None, "settled: nothing to cancel");
}

#[test]
fn a_drop_resends_an_open_handle_and_repeats_are_not_delivered() {
    let mut rig = Rig::connected(config());
    let text = rig.handle_now("h", 8, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "started", T0 + 1.0);
    rig.on(Input::SocketClosed {
        attempt: 1,
        code: 1006,
        reason: String::new(),
        was_clean: false,
        now_ms: T0 + 2.0,
    });
    let at = rig.s.next_wakeup().expect("a retry");
    rig.on(Input::Tick { now_ms: at });
    let fx = rig.open(2, at + 1.0);
    assert_eq!(sent(&fx), [("h".into(), text, SendKind::Resent)]);
    assert_eq!(rig.s.frame("h", "a", "started", at + 2.0), repeat());
    assert_eq!(rig.s.frame("h", "a", "completed", at + 3.0), streamed(8));
    assert_eq!(tick(&mut rig, at + 3.0 + SETTLE), ["settled 8 h"]);
}

#[test]
fn a_handle_complete_before_the_drop_is_not_resent_and_still_settles() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 9, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "completed", T0 + 1.0);
    rig.on(Input::SocketClosed {
        attempt: 1,
        code: 1006,
        reason: String::new(),
        was_clean: false,
        now_ms: T0 + 2.0,
    });
    let retry = rig.s.next_wakeup().expect("a wake-up");
    let settle = T0 + 1.0 + SETTLE;
    if retry < settle {
        rig.on(Input::Tick { now_ms: retry });
        let fx = rig.open(2, retry + 1.0);
        assert!(sent(&fx).is_empty(), "a complete request is not sent again");
    }
    assert_eq!(tick(&mut rig, settle.max(retry + 1.0)), ["settled 9 h"]);
}

#[test]
fn close_rejects_an_open_handle() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 10, SETTLE, 10_000.0, T0);
    let fx = rig.on(Input::Close { now_ms: T0 + 1.0 });
    let rejected = rejected(&fx);
    assert_eq!(rejected.len(), 1);
    is(
        rejected[0].1,
        ErrorCategory::Websocket,
        ErrorCode::ConnectionClosed,
    );
}

/// A handle whose answer is complete is not on the wire any more: with
/// `resendOnReconnect: false` a lost connection leaves it to settle after
/// its quiet period, instead of rejecting it with `CONNECTION_LOST`.
#[test]
fn a_complete_handle_settles_after_a_loss_without_resend() {
    let mut rig = Rig::connected(SessionConfig {
        resend_on_reconnect: false,
        ..config()
    });
    rig.handle_now("h", 9, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "completed", T0 + 1.0);
    let fx = rig.on(closed(1, 1006, false, T0 + 2.0));
    assert!(rejected(&fx).is_empty(), "{:?}", lines(&fx));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 1.0 + SETTLE,
    });
    assert!(
        lines(&fx).iter().any(|l| l.starts_with("settled 9")),
        "{:?}",
        lines(&fx)
    );
}

/// An `actionType: "error"` frame completes a handle's request: after a
/// reconnect it is not sent again, and its stale clock stops.
#[test]
fn a_handle_ended_by_an_error_frame_is_not_resent() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 9, SETTLE, 10_000.0, T0);
    rig.s.frame("h", "a", "started", T0 + 1.0);
    rig.s.frame("h", "error", "error", T0 + 2.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 2.0 + SETTLE));
    rig.on(closed(1, 1006, false, T0 + 3.0));
    let at = rig.s.next_wakeup().expect("the retry");
    rig.on(Input::Tick { now_ms: at });
    let fx = rig.open(2, at + 1.0);
    assert!(sent(&fx).is_empty(), "{:?}", lines(&fx));
}

/// A handle whose answer completed before its deadline is not timed out
/// during its quiet period: it settles.
#[test]
fn a_handle_complete_before_its_deadline_settles_rather_than_timing_out() {
    let mut rig = Rig::connected(config());
    rig.handle_now("h", 4, SETTLE, 1_000.0, T0);
    rig.s.frame("h", "a", "completed", T0 + 900.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 900.0 + SETTLE));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 1_000.0,
    });
    assert!(rejected(&fx).is_empty(), "{:?}", lines(&fx));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 900.0 + SETTLE,
    });
    assert!(
        lines(&fx).iter().any(|l| l.starts_with("settled 4")),
        "{:?}",
        lines(&fx)
    );
    assert!(rejected(&fx).is_empty());
}
