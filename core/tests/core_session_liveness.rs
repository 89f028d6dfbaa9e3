//! Liveness: a connection that stops carrying frames while requests are
//! unfinished is found stale after `staleAfterMs`, closed with code 4000 and
//! re-established at once, its unfinished requests resent with the same
//! text; the page waking up (frozen, long hidden, back online) does not
//! trust an open socket with requests on it. Time is injected.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::{
    ConnectionState as S, Input, SendKind, SessionConfig, DEFAULT_STALE_AFTER_MS, STALE_CLOSE,
};
use optave_core::error::{ErrorCategory, ErrorCode};
use session::*;

/// A request timeout far beyond `staleAfterMs`.
const LONG_MS: f64 = 120_000.0;

/// The effects of a stale close of connection `attempt`'s socket, the next
/// attempt started at once.
fn stale_close(next_attempt: u32) -> Vec<String> {
    vec![
        "close-socket 4000 connection stale".into(),
        "release".into(),
        "state connected>disconnected CONNECTION_STALE".into(),
        "state disconnected>connecting".into(),
        format!("start {next_attempt}"),
        "close 4000 connection stale false".into(),
    ]
}

/// Submits a request while connected (due in [`LONG_MS`]); returns whether
/// it went out at once.
fn submit(rig: &mut Rig, id: &str, waiter: Option<u32>, settle_ms: Option<f64>, now: f64) -> bool {
    rig.s
        .submit(id.into(), envelope(id), waiter, settle_ms, LONG_MS, now)
        .unwrap_or_else(|(_, e)| panic!("{id}: {e}"))
        .is_some()
}

fn tick(rig: &mut Rig, now_ms: f64) -> Vec<String> {
    lines(&rig.on(Input::Tick { now_ms }))
}

#[test]
fn the_close_code_and_the_default() {
    assert_eq!(STALE_CLOSE, 4000);
    assert!((4000..=4999).contains(&STALE_CLOSE));
    assert!(!optave_core::connection::is_auth_close(STALE_CLOSE));
    assert_eq!(DEFAULT_STALE_AFTER_MS, 15_000.0);
    assert_eq!(
        SessionConfig::default().stale_after_ms,
        Some(DEFAULT_STALE_AFTER_MS)
    );
}

/// An `...Async` request, a fire-and-forget one and a handle go out; no
/// frame arrives: at `staleAfterMs` after the first went out the connection
/// is closed (4000), `disconnected` with WEBSOCKET `CONNECTION_STALE`, the
/// next attempt starts at once (no backoff), and on open the three are
/// resent, the same text, in order.
#[test]
fn silent_with_an_unfinished_request_is_stale_after_stale_after_ms() {
    let mut rig = Rig::connected(live_config());
    let sent_at = T0 + 1_000.0;
    assert_eq!(
        rig.s.next_wakeup(),
        None,
        "nothing unfinished: no stale clock"
    );
    assert!(submit(&mut rig, "a", Some(1), None, sent_at));
    assert!(submit(&mut rig, "b", None, None, sent_at + 2_000.0));
    assert!(submit(
        &mut rig,
        "c",
        Some(3),
        Some(400.0),
        sent_at + 4_000.0
    ));
    // The clock started with the first request, not with the later ones.
    assert_eq!(rig.s.stale_at(), Some(sent_at + STALE_MS));
    assert_eq!(rig.s.next_wakeup(), Some(sent_at + STALE_MS));
    assert!(tick(&mut rig, sent_at + STALE_MS - 1.0).is_empty());
    assert_eq!(rig.s.state(), S::Connected);

    let fx = rig.on(Input::Tick {
        now_ms: sent_at + STALE_MS,
    });
    assert_eq!(lines(&fx), stale_close(2));
    let first = changes_of(&fx)[0];
    let reason = first.reason.as_ref().expect("a reason");
    is(reason, ErrorCategory::Websocket, ErrorCode::ConnectionStale);
    assert!(reason.message.contains("no frame"), "{}", reason.message);
    assert_eq!(first.retry_in_ms, Some(0.0), "no backoff");
    assert!(rejected(&fx).is_empty(), "nothing is rejected");
    assert_eq!(rig.s.outbox().len(), 3);

    let fx = rig.open(2, sent_at + STALE_MS + 50.0);
    let resent = sent(&fx);
    let expect: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|id| (id.to_string(), envelope(id), SendKind::Resent))
        .collect();
    assert_eq!(resent, expect, "the same envelopes, in order");
    assert_eq!(rig.s.state(), S::Connected);
}

/// Frames keep arriving (every 10 s, for a minute) while the request is
/// unfinished: never stale.
#[test]
fn never_stale_while_frames_keep_arriving() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    for i in 1..=6 {
        let now = T0 + 10_000.0 * f64::from(i);
        assert!(rig.s.heard(1, now));
        // Another superpower starts: the request stays unfinished.
        assert!(rig.s.frame("a", &format!("sp{i}"), "started", now).deliver);
        assert_eq!(rig.s.stale_at(), Some(now + STALE_MS));
        assert!(tick(&mut rig, now + STALE_MS - 1.0).is_empty(), "{i}");
    }
    assert_eq!(rig.s.state(), S::Connected);
}

/// Nothing unfinished (idle, answered, a handle waiting out its quiet
/// period): no stale clock, however long the silence.
#[test]
fn never_stale_with_nothing_unfinished() {
    let mut rig = Rig::connected(live_config());
    assert!(tick(&mut rig, T0 + 600_000.0).is_empty());
    assert_eq!(rig.s.next_wakeup(), None);
    let now = T0 + 600_000.0;
    assert!(submit(&mut rig, "a", Some(1), None, now));
    assert!(submit(&mut rig, "h", Some(2), Some(400.0), now));
    rig.s.heard(1, now + 10.0);
    assert!(
        rig.s
            .frame("a", "summarize", "completed", now + 10.0)
            .deliver
    );
    assert!(
        rig.s
            .frame("h", "summarize", "completed", now + 10.0)
            .deliver
    );
    assert_eq!(rig.s.stale_at(), None, "both complete");
    // The handle settles after its quiet period; no stale close ever.
    assert_eq!(tick(&mut rig, now + 500.0), ["settled 2 h"]);
    assert!(tick(&mut rig, now + 600_000.0).is_empty());
    assert_eq!(rig.s.state(), S::Connected);
}

/// After a stale close the old connection's frames are refused (the facade
/// drops them), and a frame seen on it before is not delivered again when
/// the resent request's answer repeats it.
#[test]
fn a_late_frame_of_the_old_connection_is_not_delivered_twice() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    assert!(rig.s.heard(1, T0 + 100.0));
    let started = rig.s.frame("a", "summarize", "started", T0 + 100.0);
    assert!(started.deliver);
    assert_eq!(started.waiter, Some(1));
    let at = T0 + 100.0 + STALE_MS;
    assert_eq!(tick(&mut rig, at), stale_close(2));
    // A frame of connection 1, late: not this connection's.
    assert!(!rig.s.heard(1, at + 1.0));
    rig.open(2, at + 10.0);
    assert!(!rig.s.heard(1, at + 20.0));
    assert!(rig.s.heard(2, at + 20.0));
    // The server answers the resent request again, from the start.
    assert!(!rig.s.frame("a", "summarize", "started", at + 20.0).deliver);
    let done = rig.s.frame("a", "summarize", "completed", at + 30.0);
    assert!(done.deliver);
    assert_eq!(done.waiter, None, "the promise was settled once, before");
    assert_eq!(rig.s.outbox().len(), 0);
}

/// `staleAfterMs: false`: no stale clock, no wake rule.
#[test]
fn stale_after_ms_false_turns_it_off() {
    let mut rig = Rig::connected(config());
    assert_eq!(rig.s.config().stale_after_ms, None);
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    assert_eq!(rig.s.stale_at(), None);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + LONG_MS));
    assert!(tick(&mut rig, T0 + 60_000.0).is_empty());
    rig.on(Input::Hidden {
        now_ms: T0 + 60_000.0,
        frozen: true,
    });
    assert!(lines(&rig.on(Input::Resume {
        now_ms: T0 + 100_000.0
    }))
    .is_empty());
    assert!(lines(&rig.on(Input::Online {
        now_ms: T0 + 100_001.0
    }))
    .is_empty());
    assert_eq!(rig.s.state(), S::Connected);
}

/// Frozen (`freeze`, then `resume`), however briefly, with a request on the
/// wire: stale at once, even though the clock is not due.
#[test]
fn waking_from_frozen_with_a_request_on_the_wire_reconnects_at_once() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0 + 1_000.0,
        frozen: false,
    });
    assert!(rig
        .on(Input::Hidden {
            now_ms: T0 + 2_000.0,
            frozen: true,
        })
        .is_empty());
    let fx = rig.on(Input::Resume {
        now_ms: T0 + 3_000.0,
    });
    assert_eq!(lines(&fx), stale_close(2));
    let reason = changes_of(&fx)[0].reason.as_ref().expect("reason");
    assert!(reason.message.contains("woke up"), "{}", reason.message);
    // A second wake signal (pageshow after resume) does nothing more.
    assert!(rig
        .on(Input::Resume {
            now_ms: T0 + 3_001.0
        })
        .is_empty());
    let fx = rig.open(2, T0 + 3_100.0);
    assert_eq!(sent(&fx), [("a".into(), envelope("a"), SendKind::Resent)]);
}

/// Hidden for longer than `staleAfterMs` with a request on the wire: stale
/// on `visibilitychange` to visible, even when frames kept arriving.
/// Hidden for less, with frames arriving: kept.
#[test]
fn hidden_longer_than_stale_after_ms_with_a_request_on_the_wire_reconnects() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: false,
    });
    rig.s.heard(1, T0 + 5_000.0);
    // Visible after 10 s (< staleAfterMs), a frame 5 s ago: kept.
    assert!(rig
        .on(Input::Resume {
            now_ms: T0 + 10_000.0
        })
        .is_empty());
    rig.on(Input::Hidden {
        now_ms: T0 + 11_000.0,
        frozen: false,
    });
    rig.s.heard(1, T0 + 20_000.0);
    rig.s.heard(1, T0 + 26_000.0);
    // Visible after 16 s (> staleAfterMs): not trusted.
    let fx = rig.on(Input::Resume {
        now_ms: T0 + 27_000.0,
    });
    assert_eq!(lines(&fx), stale_close(2));
}

/// A socket that opened while the page was hidden is judged by the time
/// since it opened, not since the page went away: hidden at `T0`, the
/// connection lost and re-established while hidden, visible again less
/// than `staleAfterMs` after the new socket opened: kept. Hidden long
/// enough after it opened: not trusted.
#[test]
fn a_socket_opened_while_hidden_is_judged_from_its_open() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: false,
    });
    let lost = T0 + 10_000.0;
    let fx = rig.on(closed(1, 1006, false, lost));
    let retry_at = lost + retry_in(&fx);
    assert_eq!(
        lines(&rig.on(Input::Tick { now_ms: retry_at })),
        ["state disconnected>connecting", "start 2"]
    );
    let opened = retry_at + 100.0;
    let fx = rig.open(2, opened);
    assert_eq!(sent(&fx), [("a".into(), envelope("a"), SendKind::Resent)]);
    // Visible 20 s after the page went away, under 15 s after the open.
    let visible = opened + STALE_MS - 1_000.0;
    assert!(visible - T0 > STALE_MS);
    rig.s.heard(2, visible - 500.0);
    assert!(rig.on(Input::Resume { now_ms: visible }).is_empty());
    assert_eq!(rig.s.state(), S::Connected);
    // Hidden again, for longer than `staleAfterMs` with frames arriving.
    rig.on(Input::Hidden {
        now_ms: visible + 1_000.0,
        frozen: false,
    });
    let opened_again = visible + 1_000.0 + STALE_MS + 1.0;
    rig.s.heard(2, opened_again - 10.0);
    let fx = rig.on(Input::Resume {
        now_ms: opened_again,
    });
    assert_eq!(lines(&fx), stale_close(3));
}

/// `online` while connected: with a request on the wire the path may have
/// changed, so stale at once; with nothing on the wire, nothing happens.
#[test]
fn online_while_connected_reconnects_only_with_a_request_on_the_wire() {
    let mut rig = Rig::connected(live_config());
    assert!(rig.on(Input::Online { now_ms: T0 + 1.0 }).is_empty());
    assert!(submit(&mut rig, "a", None, None, T0 + 2.0));
    let fx = rig.on(Input::Online { now_ms: T0 + 3.0 });
    assert_eq!(lines(&fx), stale_close(2));
}

/// Waking with nothing on the wire keeps the socket; the next send starts
/// the stale clock, so it is answered or the connection recovered within
/// `staleAfterMs`.
#[test]
fn waking_with_nothing_on_the_wire_leaves_the_next_send_to_the_stale_rule() {
    let mut rig = Rig::connected(live_config());
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: true,
    });
    let woke = T0 + 600_000.0;
    assert!(rig.on(Input::Resume { now_ms: woke }).is_empty());
    assert_eq!(rig.s.state(), S::Connected);
    assert!(submit(&mut rig, "a", Some(1), None, woke + 10.0));
    assert_eq!(rig.s.next_wakeup(), Some(woke + 10.0 + STALE_MS));
    assert_eq!(tick(&mut rig, woke + 10.0 + STALE_MS), stale_close(2));
}

/// A hidden tab's timer was throttled and never fired: the page comes back
/// (hidden briefly) and the clock, read at once, finds the connection stale.
#[test]
fn a_throttled_timer_is_caught_up_on_visible() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0 + 14_000.0,
        frozen: false,
    });
    let fx = rig.on(Input::Resume {
        now_ms: T0 + 16_000.0,
    });
    assert_eq!(lines(&fx), stale_close(2));
    let reason = changes_of(&fx)[0].reason.as_ref().expect("reason");
    assert!(reason.message.contains("no frame"), "{}", reason.message);
}

/// A send made on a socket the clock finds stale (its timer throttled) is
/// queued, the wake-up is overdue so the facade's timer fires at once, and
/// after the reconnect both requests go out, the stale one resent.
#[test]
fn a_send_on_a_stale_socket_waits_for_the_recovery() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    let now = T0 + STALE_MS + 5_000.0;
    assert!(!submit(&mut rig, "b", Some(2), None, now), "queued");
    assert!(rig.s.next_wakeup().is_some_and(|at| at <= now), "overdue");
    assert_eq!(tick(&mut rig, now), stale_close(2));
    let fx = rig.open(2, now + 20.0);
    assert_eq!(
        sent(&fx),
        [
            ("a".into(), envelope("a"), SendKind::Resent),
            ("b".into(), envelope("b"), SendKind::Queued),
        ]
    );
}

/// Only the first attempt after a stale close skips the backoff: when it
/// fails, the next one waits as after any failure.
#[test]
fn only_the_first_attempt_after_a_stale_close_skips_the_backoff() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    assert_eq!(tick(&mut rig, T0 + STALE_MS), stale_close(2));
    rig.on(Input::SocketCreated { attempt: 2 });
    let fx = rig.on(closed(2, 1006, false, T0 + STALE_MS + 10.0));
    assert_eq!(rig.s.state(), S::Disconnected);
    assert!(retry_in(&fx) >= 0.0);
    assert!(
        lines(&fx).iter().all(|l| !l.starts_with("start")),
        "{:?}",
        lines(&fx)
    );
}

/// With `reconnect: false` a stale connection is `failed`, its requests
/// rejected.
#[test]
fn stale_without_reconnect_is_failed() {
    let mut rig = Rig::connected(SessionConfig {
        reconnect: None,
        ..live_config()
    });
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + STALE_MS,
    });
    assert_eq!(rig.s.state(), S::Failed);
    let rejected = rejected(&fx);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, 1);
    assert!(lines(&fx).contains(&"state connected>failed CONNECTION_STALE".to_string()));
}

/// A send that finds the socket stale is held, and the recovery follows at
/// the next wake-up even when the only unfinished request timed out at that
/// same tick (a hidden tab's throttled timer: both were overdue). The held
/// request goes out on the new socket, before a later send.
#[test]
fn a_send_held_for_a_stale_socket_goes_out_when_the_stale_request_timed_out() {
    let mut rig = Rig::connected(live_config());
    rig.send_now("a", Some(1), T0); // due at T0 + 5 s
    let now = T0 + STALE_MS + 5_000.0;
    assert!(
        !submit(&mut rig, "b", None, None, now),
        "held for the recovery"
    );
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 5_000.0), "overdue");
    let fx = rig.on(Input::Tick { now_ms: now });
    assert_eq!(rejected(&fx).len(), 1, "a timed out: {:?}", lines(&fx));
    assert_eq!(rig.s.state(), S::Connecting, "recovered: {:?}", lines(&fx));
    assert!(
        !submit(&mut rig, "c", None, None, now + 5.0),
        "queued behind b"
    );
    let fx = rig.open(2, now + 10.0);
    let ids: Vec<String> = sent(&fx).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, ["b", "c"]);
    assert_eq!(rig.s.outbox().queued(), 0);
}

/// Same when the late answer arrives before the overdue wake-up (a slow
/// server, the false alarm): the recovery still follows, once, and the held
/// request goes out on the new socket.
#[test]
fn a_send_held_for_a_stale_socket_goes_out_when_a_late_frame_arrived_first() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    let now = T0 + STALE_MS + 5_000.0;
    assert!(
        !submit(&mut rig, "b", None, None, now),
        "held for the recovery"
    );
    assert!(rig.s.heard(1, now + 1.0));
    assert!(
        rig.s
            .frame("a", "summarize", "completed", now + 1.0)
            .deliver
    );
    assert_eq!(rig.s.next_wakeup(), Some(now), "the recovery is still due");
    assert_eq!(tick(&mut rig, now + 2.0), stale_close(2));
    let fx = rig.open(2, now + 10.0);
    assert_eq!(sent(&fx), [("b".into(), envelope("b"), SendKind::Queued)]);
    assert_eq!(
        rig.s.next_wakeup(),
        Some(now + 10.0 + STALE_MS),
        "nothing held: b's stale clock runs from the open"
    );
}

/// `online` while the page is still hidden must not end the away
/// spell: reconnected by `online` while hidden, the new socket opens while
/// hidden, and the page comes back more than `staleAfterMs` after that open
/// with the resent request unfinished (frames arriving): not trusted.
#[test]
fn online_while_hidden_does_not_end_the_away_spell() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: false,
    });
    rig.on(Input::Offline {
        now_ms: T0 + 1_000.0,
    });
    assert_eq!(rig.s.state(), S::Disconnected);
    let fx = rig.on(Input::Online {
        now_ms: T0 + 2_000.0,
    });
    assert!(
        lines(&fx).contains(&"start 2".to_string()),
        "{:?}",
        lines(&fx)
    );
    let opened = T0 + 2_100.0;
    let fx = rig.open(2, opened);
    assert_eq!(sent(&fx), [("a".into(), envelope("a"), SendKind::Resent)]);
    let visible = opened + STALE_MS + 1_000.0;
    assert!(rig.s.heard(2, visible - 2_000.0));
    assert!(
        rig.s
            .frame("a", "summarize", "started", visible - 2_000.0)
            .deliver
    );
    let fx = rig.on(Input::Resume { now_ms: visible });
    assert_eq!(lines(&fx), stale_close(3));
}

/// Same while connected: `online` while hidden (nothing on the wire)
/// must not erase the hidden-since time; a request sent later while still
/// hidden is judged by the whole hidden spell on `visibilitychange`.
#[test]
fn online_while_hidden_and_connected_keeps_the_away_clock() {
    let mut rig = Rig::connected(live_config());
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: false,
    });
    assert!(rig
        .on(Input::Online {
            now_ms: T0 + 1_000.0
        })
        .is_empty());
    assert!(submit(&mut rig, "a", Some(1), None, T0 + 2_000.0));
    assert!(rig.s.heard(1, T0 + 10_000.0));
    assert!(
        rig.s
            .frame("a", "summarize", "started", T0 + 10_000.0)
            .deliver
    );
    // Hidden for 17 s > staleAfterMs, with a request on the wire.
    let fx = rig.on(Input::Resume {
        now_ms: T0 + 17_000.0,
    });
    assert_eq!(lines(&fx), stale_close(2));
}

/// A hidden tab whose carrier becomes ready (e.g. it takes over the
/// shared connection) opens its socket while hidden: judged from that open.
#[test]
fn a_carrier_ready_while_hidden_does_not_end_the_away_spell() {
    let mut rig = Rig::connected(live_config());
    assert!(submit(&mut rig, "a", Some(1), None, T0));
    rig.on(Input::Hidden {
        now_ms: T0,
        frozen: false,
    });
    rig.on(Input::Carrier {
        ready: false,
        now_ms: T0 + 1_000.0,
    });
    let fx = rig.on(Input::Carrier {
        ready: true,
        now_ms: T0 + 2_000.0,
    });
    assert!(
        lines(&fx).contains(&"start 2".to_string()),
        "{:?}",
        lines(&fx)
    );
    let opened = T0 + 2_100.0;
    rig.open(2, opened);
    let visible = opened + STALE_MS + 1_000.0;
    assert!(rig.s.heard(2, visible - 2_000.0));
    assert!(
        rig.s
            .frame("a", "summarize", "started", visible - 2_000.0)
            .deliver
    );
    assert_eq!(
        lines(&rig.on(Input::Resume { now_ms: visible })),
        stale_close(3)
    );
}

/// In the tab holding the shared socket, its own request going out
/// while another tab's request is unfinished must not restart the stale
/// clock ("restarts ... when a request goes out while nothing was
/// unfinished"; `peers()` already applies the rule the other way round).
#[test]
fn an_own_send_does_not_restart_the_clock_while_other_tabs_requests_are_unfinished() {
    let mut rig = Rig::connected(live_config());
    rig.on(Input::Peers {
        unfinished: true,
        now_ms: T0 + 100.0,
    });
    let due = T0 + 100.0 + STALE_MS;
    assert_eq!(rig.s.stale_at(), Some(due));
    assert!(submit(&mut rig, "a", Some(1), None, T0 + 10_000.0));
    assert_eq!(rig.s.stale_at(), Some(due), "the clock runs on");
    assert_eq!(tick(&mut rig, due), stale_close(2));
}

/// `suspended`, then the carrier goes away: the public state changes
/// (suspended -> disconnected) without a `stateChange`.
#[test]
fn a_carrier_lost_while_suspended_leaves_the_state_as_reported() {
    let policy = optave_core::connection::retry::RetryPolicy {
        state_ttl_ms: 1_000.0,
        ..Default::default()
    };
    let mut rig = Rig::connected(SessionConfig {
        reconnect: Some(policy),
        ..live_config()
    });
    let fx = rig.on(closed(1, 1006, false, T0 + 10.0));
    let retry_at = T0 + 10.0 + retry_in(&fx);
    rig.on(Input::Tick { now_ms: retry_at });
    rig.on(Input::SocketCreated { attempt: 2 });
    rig.on(closed(2, 1006, false, retry_at + 2_000.0));
    assert_eq!(rig.s.state(), S::Suspended);
    let fx = rig.on(Input::Carrier {
        ready: false,
        now_ms: retry_at + 2_100.0,
    });
    assert!(
        rig.s.state() == S::Suspended
            || lines(&fx).iter().any(|l| l.starts_with("state suspended>")),
        "state is now {:?} but effects were {:?}",
        rig.s.state(),
        lines(&fx)
    );
}

fn changes_of(
    fx: &[optave_core::connection::Effect<u32>],
) -> Vec<&optave_core::connection::StateChange> {
    fx.iter()
        .filter_map(|e| match e {
            optave_core::connection::Effect::State(c) => Some(c),
            _ => None,
        })
        .collect()
}
