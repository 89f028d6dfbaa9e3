//! A `request.requestId` already in flight never stops a request
//! (protocol.md section 8): the first request keeps correlationId =
//! requestId, a later one goes out under a fresh UUID v7 correlationId with
//! its payload unchanged, and each is routed, de-duplicated, resent and
//! cancelled on its own. A caller's own `headers.correlationId` that
//! collides is still refused.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "fixtures/docs_params.rs"]
mod docs_params;
mod session;

use std::collections::HashSet;

use common::*;
use docs_params::DOCS_REQUEST_ID;
use optave_core::action::Action;
use optave_core::connection::outbox::FrameOutcome;
use optave_core::connection::{Input, SendKind};
use optave_core::error::{ErrorCategory, ErrorCode};
use optave_core::outbound::{Builder, EnvelopeConfig, Outbound};
use serde_json::{json, Value};
use session::*;

/// The nine documentation sends as actions.
fn docs_sends() -> Vec<(Action, Value)> {
    docs_params::docs_sends()
        .into_iter()
        .map(|(name, params)| {
            let action = Action::from_name(name).unwrap_or_else(|| panic!("{name}"));
            (action, params)
        })
        .collect()
}

/// Builds `params` for `action` against the session's tracked requests, as
/// the facade does, and submits it while connected (waiter `waiter`).
fn send(
    rig: &mut Rig,
    builder: &mut Builder,
    action: Action,
    params: &Value,
    waiter: u32,
) -> Outbound {
    let mut gen = ids(waiter as u64 + 1);
    let outbox = rig.s.outbox();
    let out = builder
        .build_for(
            action,
            &text(params),
            &EnvelopeConfig::default(),
            &mut gen,
            NOW_MS,
            |id| outbox.contains(id),
        )
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    let sent = rig
        .s
        .submit(
            out.correlation_id.clone(),
            out.text.clone(),
            Some(waiter),
            None,
            5_000.0,
            T0,
        )
        .unwrap_or_else(|(_, e)| panic!("{action:?}: {e}"));
    assert_eq!(sent.as_deref(), Some(out.text.as_str()), "sent at once");
    out
}

/// The nine documentation sends in a row, waiters 1 to 9.
fn send_all(rig: &mut Rig) -> Vec<Outbound> {
    let mut builder = Builder::default();
    docs_sends()
        .iter()
        .zip(1..)
        .map(|((action, params), w)| send(rig, &mut builder, *action, params, w))
        .collect()
}

fn parsed(out: &Outbound) -> Value {
    serde_json::from_str(&out.text).expect("the envelope is JSON")
}

/// Nine sends with the documentation's requestId: nine envelopes, nine
/// distinct correlationIds (the first is the requestId, the others UUID
/// v7), every payload's requestId exactly as given.
#[test]
fn the_documentation_params_for_nine_actions_all_go_out() {
    let mut rig = Rig::connected(config());
    let outs = send_all(&mut rig);
    assert_eq!(outs.len(), 9);
    assert_eq!(outs[0].correlation_id, DOCS_REQUEST_ID);
    assert_eq!(outs[0].request_id_in_flight, None);
    assert_eq!(outs[0].in_flight_warning(), None);
    let distinct: HashSet<&str> = outs.iter().map(|o| o.correlation_id.as_str()).collect();
    assert_eq!(distinct.len(), 9, "{distinct:?}");
    for out in &outs {
        let env = parsed(out);
        assert_eq!(env["headers"]["correlationId"], json!(out.correlation_id));
        assert_eq!(
            env["payload"]["request"]["requestId"],
            json!(DOCS_REQUEST_ID)
        );
        assert!(rig.s.outbox().contains(&out.correlation_id));
    }
    for out in &outs[1..] {
        assert_uuid_v7(&out.correlation_id, NOW_MS as u64);
        assert_eq!(out.request_id_in_flight.as_deref(), Some(DOCS_REQUEST_ID));
        let warning = out.in_flight_warning().expect("a warning");
        assert!(warning.contains(DOCS_REQUEST_ID), "{warning}");
        assert!(warning.contains(&out.correlation_id), "{warning}");
        assert!(warning.contains("its own requestId"), "{warning}");
    }
    // The idempotency keys are distinct too.
    let keys: HashSet<&str> = outs
        .iter()
        .map(|o| o.rest.idempotency_key.as_str())
        .collect();
    assert_eq!(keys.len(), 9);
}

/// Each request's frames reach only that request's waiter, and are
/// de-duplicated per request.
#[test]
fn frames_reach_only_their_own_request() {
    let mut rig = Rig::connected(config());
    let mut builder = Builder::default();
    let sends = docs_sends();
    let outs: Vec<Outbound> = sends
        .iter()
        .take(3)
        .zip(1..)
        .map(|((action, params), w)| send(&mut rig, &mut builder, *action, params, w))
        .collect();
    // Answered in reverse order: each settles its own waiter.
    for (out, w) in outs.iter().zip(1u32..4).rev() {
        let first = rig.s.frame(&out.correlation_id, "sp", "started", 0.0);
        assert_eq!(
            first,
            FrameOutcome {
                deliver: true,
                waiter: Some(w),
            }
        );
        let again = rig.s.frame(&out.correlation_id, "sp", "started", 0.0);
        assert!(!again.deliver, "a repeat is not delivered");
    }
    for out in &outs {
        rig.s.frame(&out.correlation_id, "sp", "completed", 0.0);
        assert!(!rig.s.outbox().contains(&out.correlation_id));
    }
    // With nothing in flight, the requestId is the correlationId again.
    let again = send(&mut rig, &mut builder, Action::Interaction, &sends[0].1, 9);
    assert_eq!(again.correlation_id, DOCS_REQUEST_ID);
    assert_eq!(again.request_id_in_flight, None);
}

/// A drop resends every request with its own envelope text: the same
/// correlationId and idempotencyKey as the first time.
#[test]
fn a_resend_after_a_drop_keeps_each_requests_ids() {
    let mut rig = Rig::connected(config());
    let outs = send_all(&mut rig);
    rig.on(closed(1, 1006, false, T0 + 1.0));
    let t = rig.s.next_wakeup().expect("a retry is due");
    rig.on(Input::Tick { now_ms: t });
    let resent = sent(&rig.open(2, t));
    assert_eq!(resent.len(), 9, "{resent:?}");
    for (out, (id, text, kind)) in outs.iter().zip(&resent) {
        assert_eq!(id, &out.correlation_id);
        assert_eq!(text, &out.text, "the same envelope text");
        assert_eq!(*kind, SendKind::Resent);
        let env: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            env["headers"]["idempotencyKey"],
            json!(out.rest.idempotency_key)
        );
    }
}

/// Cancelling one of the requests that share a requestId cancels that one
/// alone.
#[test]
fn cancel_takes_one_request_of_those_sharing_a_request_id() {
    let mut rig = Rig::connected(config());
    let mut builder = Builder::default();
    let sends = docs_sends();
    let a = send(&mut rig, &mut builder, sends[0].0, &sends[0].1, 1);
    let b = send(&mut rig, &mut builder, sends[1].0, &sends[1].1, 2);
    assert_eq!(rig.s.cancel(&b.correlation_id), Some(2));
    assert!(rig.s.outbox().contains(&a.correlation_id));
    assert!(!rig.s.outbox().contains(&b.correlation_id));
    assert_eq!(rig.s.cancel(&a.correlation_id), Some(1));
}

/// A caller's own `headers.correlationId` is never replaced: one that is in
/// flight is refused, naming the header and suggesting to leave it out.
#[test]
fn an_explicit_correlation_id_in_flight_is_refused() {
    let mut rig = Rig::connected(config());
    let mut builder = Builder::default();
    let mut params = fixture("seed002_interaction_params.json");
    params["headers"] = json!({ "correlationId": "mine-1" });
    let first = send(&mut rig, &mut builder, Action::Interaction, &params, 1);
    assert_eq!(first.correlation_id, "mine-1");

    let outbox = rig.s.outbox();
    let second = builder
        .build_for(
            Action::Interaction,
            &text(&params),
            &EnvelopeConfig::default(),
            &mut ids(7),
            NOW_MS,
            |id| outbox.contains(id),
        )
        .unwrap();
    assert_eq!(second.correlation_id, "mine-1", "the caller's id is kept");
    assert_eq!(second.request_id_in_flight, None);
    let (back, err) = rig
        .s
        .submit(
            second.correlation_id,
            second.text,
            Some(2),
            None,
            5_000.0,
            T0,
        )
        .unwrap_err();
    assert_eq!(back, Some(2));
    is(
        &err,
        ErrorCategory::Validation,
        ErrorCode::DuplicateCorrelationId,
    );
    assert!(
        err.message.contains("headers.correlationId"),
        "{}",
        err.message
    );
    assert!(err.message.contains("\"mine-1\""), "{}", err.message);
    assert!(
        err.suggestions
            .iter()
            .any(|s| s.contains("Leave headers.correlationId out")),
        "{:?}",
        err.suggestions
    );
}

/// A request with no requestId, or a blank one, is unaffected.
#[test]
fn requests_without_a_request_id_get_a_generated_correlation_id() {
    let mut rig = Rig::connected(config());
    let mut builder = Builder::default();
    let mut params = fixture("seed002_interaction_params.json");
    params["request"]["requestId"] = json!("  ");
    let a = send(&mut rig, &mut builder, Action::Interaction, &params, 1);
    let b = send(&mut rig, &mut builder, Action::Interaction, &params, 2);
    assert_ne!(a.correlation_id, b.correlation_id);
    assert_eq!(a.request_id_in_flight, None);
    assert_eq!(b.request_id_in_flight, None);
}

/// On a socket shared with other tabs (`crossTab`), a requestId is never
/// the correlationId: another tab may have the same one in flight. Every
/// request without its own `headers.correlationId` goes out under a fresh
/// UUID v7, its requestId unchanged, with no in-flight warning; a caller's
/// own correlationId is kept.
#[test]
fn on_a_shared_socket_a_request_id_is_never_the_correlation_id() {
    let shared = EnvelopeConfig {
        shared_socket: true,
        ..EnvelopeConfig::default()
    };
    let mut builder = Builder::default();
    let mut gen = ids(7);
    for (action, params) in docs_sends() {
        let out = builder
            .build_for(action, &text(&params), &shared, &mut gen, NOW_MS, |_| false)
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        assert_uuid_v7(&out.correlation_id, NOW_MS as u64);
        assert_eq!(out.request_id_in_flight, None, "no warning");
        let env = parsed(&out);
        assert_eq!(
            env["payload"]["request"]["requestId"],
            json!(DOCS_REQUEST_ID)
        );
    }
    let mut params = docs_sends().remove(0).1;
    params["headers"] = json!({ "correlationId": "mine-1" });
    let out = builder
        .build_for(
            Action::Interaction,
            &text(&params),
            &shared,
            &mut gen,
            NOW_MS,
            |_| false,
        )
        .expect("builds");
    assert_eq!(out.correlation_id, "mine-1");
}
