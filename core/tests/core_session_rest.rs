//! The REST transport in the session machine:
//! the status-to-error mapping, the full-jitter retry schedule with one
//! `Idempotency-Key`, `Retry-After`, one fresh-token retry after 401/403,
//! aborts on timeout, cancel and close, and the `auto` fallback (three
//! failed attempts, or a first attempt closed with 1006 before opening)
//! and the return to the WebSocket. Time and randomness are injected.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::rest::{classify, status_error, Class, Transport};
use optave_core::connection::retry::RetryPolicy;
use optave_core::connection::{
    ConnectionState as S, Effect, Fetch, Input, SessionConfig, FALLBACK_AFTER_FAILURES,
};
use optave_core::error::{ErrorCategory, ErrorCode};
use optave_core::outbound::RestParts;
use session::*;

const REST_URL: &str = "https://tenant.oco.optave.tech/";

fn rest_config(transport: Transport, has_provider: bool) -> SessionConfig {
    SessionConfig {
        transport,
        rest_url: Some(REST_URL.into()),
        has_token_provider: has_provider,
        ..config()
    }
}

fn parts(text: &str, key: &str) -> RestParts {
    let at = text.find("\"payload\":").expect("a payload") + "\"payload\":".len();
    RestParts {
        action: "summarize",
        idempotency_key: key.into(),
        payload_at: at,
    }
}

/// Submits `id` (waiter `w`, due in `timeout_ms`) through `submit_via`.
fn submit(rig: &mut Rig, id: &str, w: Option<u32>, timeout_ms: f64, now_ms: f64) -> Submitted {
    let text = envelope(id);
    let rest = parts(&text, &format!("key-{id}"));
    rig.s
        .submit_via(id.into(), text, rest, w, None, timeout_ms, now_ms)
        .unwrap_or_else(|(_, e)| panic!("{id}: {e}"))
}

fn fetch_of(submitted: Submitted) -> Fetch {
    match submitted {
        Submitted::Fetch(f) => f,
        other => panic!("expected a REST call, got {other:?}"),
    }
}

fn fetches(fx: &[Effect<u32>]) -> Vec<&Fetch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Fetch(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn header<'a>(f: &'a Fetch, name: &str) -> &'a str {
    f.headers
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{name} missing"))
}

fn answer(id: u32, status: u16, retry_after_ms: Option<f64>, now_ms: f64) -> Input<u32> {
    Input::FetchResponse {
        id,
        status,
        retry_after_ms,
        body: format!("{{\"status\":{status}}}"),
        now_ms,
    }
}

#[test]
fn statuses_map_to_classes_and_errors() {
    for (status, class) in [
        (200, Class::Answer),
        (204, Class::Answer),
        (401, Class::Auth),
        (403, Class::Auth),
        (400, Class::Invalid),
        (408, Class::Retry),
        (429, Class::Retry),
        (500, Class::Retry),
        (503, Class::Retry),
        (599, Class::Retry),
        (404, Class::Refused),
        (422, Class::Refused),
        (301, Class::Refused),
    ] {
        assert_eq!(classify(status), class, "{status}");
    }
    let e = status_error(401, "nope", "c1", T0);
    is(
        &e,
        ErrorCategory::Authentication,
        ErrorCode::AuthenticationFailed,
    );
    let e = status_error(400, "bad", "c1", T0);
    is(
        &e,
        ErrorCategory::Validation,
        ErrorCode::PayloadSchemaMismatch,
    );
    let e = status_error(422, "{\"why\":1}", "c1", T0);
    is(&e, ErrorCategory::Orchestrator, ErrorCode::RemoteError);
    assert_eq!(e.correlation_id.as_deref(), Some("c1"));
    let d = common::details(&e);
    assert_eq!(d["status"], 422);
    assert_eq!(d["body"], "{\"why\":1}");
}

#[test]
fn a_request_is_one_post_of_the_payload() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let text = envelope("c1");
    let f = fetch_of(submit(&mut rig, "c1", Some(7), 5_000.0, T0));
    assert_eq!(f.url, "https://tenant.oco.optave.tech/message/summarize");
    assert_eq!(&*f.body, parts(&text, "k").payload(&text));
    assert_eq!(&*f.body, r#"{"n":"é✓"}"#);
    assert_eq!(header(&f, "Idempotency-Key"), "key-c1");
    assert_eq!(header(&f, "X-Correlation-Id"), "c1");
    assert_eq!(header(&f, "Content-Type"), "application/json");
    assert!(!f.fresh_token);
    assert_eq!(rig.s.transport(), Transport::Rest);
    // 2xx: the frames are delivered; the request stays tracked until its
    // frames complete it.
    let fx = rig.on(answer(f.id, 200, None, T0 + 10.0));
    assert_eq!(lines(&fx), ["deliver c1"]);
    assert_eq!(rig.s.rest_calls(), 0);
    // A late result of the same call is ignored.
    assert!(rig.on(answer(f.id, 200, None, T0 + 20.0)).is_empty());
}

#[test]
fn server_errors_and_network_failures_retry_with_full_jitter_and_one_key() {
    let policy = RetryPolicy::default();
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let first = fetch_of(submit(&mut rig, "c1", Some(1), 60_000.0, T0));
    let mut now = T0 + 5.0;
    let mut ids = vec![first.id];
    for (n, status) in [503u16, 0, 429, 408].into_iter().enumerate() {
        let expect = rig.next_delay(bound(&policy, n as u32));
        let last = *ids.last().unwrap();
        let input = if status == 0 {
            Input::FetchFailed {
                id: last,
                error: None,
                now_ms: now,
            }
        } else {
            answer(last, status, None, now)
        };
        assert!(rig.on(input).is_empty(), "waiting out the backoff");
        let due = rig.s.next_wakeup().expect("a retry is scheduled");
        assert!(
            (due - (now + expect)).abs() < 1e-6,
            "attempt {n}: {due} vs {}",
            now + expect
        );
        assert!(due - now <= bound(&policy, n as u32));
        if due > now {
            assert!(rig.on(Input::Tick { now_ms: due - 0.5 }).is_empty() || due - now < 0.5);
        }
        let fx = rig.on(Input::Tick { now_ms: due });
        let again = fetches(&fx);
        assert_eq!(again.len(), 1, "{:?}", lines(&fx));
        assert_eq!(
            header(again[0], "Idempotency-Key"),
            "key-c1",
            "the same key"
        );
        assert!(!ids.contains(&again[0].id), "a new call number");
        ids.push(again[0].id);
        now = due + 5.0;
    }
    let fx = rig.on(answer(*ids.last().unwrap(), 200, None, now));
    assert_eq!(lines(&fx), ["deliver c1"]);
}

#[test]
fn retry_after_replaces_the_jitter() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let f = fetch_of(submit(&mut rig, "c1", Some(1), 60_000.0, T0));
    assert!(rig.on(answer(f.id, 429, Some(1_500.0), T0)).is_empty());
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 1_500.0));
    assert!(fetches(&rig.on(Input::Tick {
        now_ms: T0 + 1_499.0
    }))
    .is_empty());
    assert_eq!(
        fetches(&rig.on(Input::Tick {
            now_ms: T0 + 1_500.0
        }))
        .len(),
        1
    );
}

/// `Retry-After: 0` (or a date in the past) waits `reconnect.minDelayMs`
/// still: a server that keeps saying 0 gets no storm of calls.
#[test]
fn retry_after_zero_waits_the_smallest_backoff() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let min = RetryPolicy::default().min_delay_ms;
    let f = fetch_of(submit(&mut rig, "c0", Some(1), 60_000.0, T0));
    assert!(rig.on(answer(f.id, 503, Some(0.0), T0)).is_empty());
    assert_eq!(rig.s.next_wakeup(), Some(T0 + min));
    assert!(fetches(&rig.on(Input::Tick {
        now_ms: T0 + min - 1.0
    }))
    .is_empty());
    assert_eq!(fetches(&rig.on(Input::Tick { now_ms: T0 + min })).len(), 1);
}

/// A `Retry-After` that ends after the request's deadline ends the request
/// at once with the server's status (ORCHESTRATOR `REMOTE_ERROR`, its body
/// in the details), not with `REQUEST_TIMEOUT` after a silent wait.
#[test]
fn a_retry_after_beyond_the_deadline_ends_the_request_with_the_status() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let f = fetch_of(submit(&mut rig, "c9", Some(1), 10_000.0, T0));
    let fx = rig.on(answer(f.id, 429, Some(3_600_000.0), T0 + 100.0));
    let errors = rejected(&fx);
    assert_eq!(errors.len(), 1, "{:?}", lines(&fx));
    let (waiter, e) = errors[0];
    assert_eq!(waiter, 1);
    is(e, ErrorCategory::Orchestrator, ErrorCode::RemoteError);
    assert!(e.message.contains("429"), "{}", e.message);
    assert_eq!(e.correlation_id.as_deref(), Some("c9"));
    assert_eq!(rig.s.rest_calls(), 0);
    assert_eq!(rig.s.next_wakeup(), None);
}

#[test]
fn a_refused_token_gets_one_call_with_a_fresh_one_then_the_error() {
    let mut rig = Rig::new(rest_config(Transport::Rest, true));
    let f = fetch_of(submit(&mut rig, "c1", Some(4), 60_000.0, T0));
    let fx = rig.on(answer(f.id, 401, None, T0));
    let again = fetches(&fx);
    assert_eq!(again.len(), 1);
    assert!(again[0].fresh_token, "the provider is asked again");
    assert_eq!(header(again[0], "Idempotency-Key"), "key-c1");
    let fx = rig.on(answer(again[0].id, 403, None, T0 + 1.0));
    assert_eq!(
        lines(&fx),
        [
            "reject 4 AUTHENTICATION_FAILED c1",
            "error AUTHENTICATION_FAILED"
        ]
    );
    assert!(rig.s.outbox().is_empty());

    // An explicit token (or no provider) is not retried.
    let mut rig = Rig::new(rest_config(Transport::Rest, true));
    rig.on(Input::Connect {
        now_ms: T0,
        explicit_token: true,
    });
    let f = fetch_of(submit(&mut rig, "c2", Some(5), 60_000.0, T0));
    let fx = rig.on(answer(f.id, 401, None, T0));
    assert_eq!(lines(&fx)[0], "reject 5 AUTHENTICATION_FAILED c2");
}

#[test]
fn invalid_and_refused_requests_end_with_the_servers_body() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let f = fetch_of(submit(&mut rig, "c1", Some(1), 60_000.0, T0));
    let fx = rig.on(answer(f.id, 400, None, T0));
    let (w, e) = rejected(&fx)[0];
    assert_eq!(w, 1);
    is(
        e,
        ErrorCategory::Validation,
        ErrorCode::PayloadSchemaMismatch,
    );
    assert_eq!(common::details(e)["body"], "{\"status\":400}");
    let f = fetch_of(submit(&mut rig, "c2", Some(2), 60_000.0, T0));
    let fx = rig.on(answer(f.id, 422, None, T0));
    is(
        rejected(&fx)[0].1,
        ErrorCategory::Orchestrator,
        ErrorCode::RemoteError,
    );
    // A token that could not be had ends the request at once.
    let f = fetch_of(submit(&mut rig, "c3", Some(3), 60_000.0, T0));
    let error =
        optave_core::error::OptaveError::authentication(ErrorCode::TokenProviderFailed, "down", T0);
    let fx = rig.on(Input::FetchFailed {
        id: f.id,
        error: Some(error),
        now_ms: T0,
    });
    assert_eq!(lines(&fx)[0], "reject 3 TOKEN_PROVIDER_FAILED c3");
}

#[test]
fn timeout_cancel_and_close_abort_the_call() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let f = fetch_of(submit(&mut rig, "c1", Some(1), 2_000.0, T0));
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 2_000.0));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 2_000.0,
    });
    assert_eq!(
        lines(&fx),
        [
            format!("abort-fetch {}", f.id),
            "reject 1 REQUEST_TIMEOUT c1".into(),
            "error REQUEST_TIMEOUT".into(),
        ]
    );
    // The aborted call's late answer is ignored.
    assert!(rig.on(answer(f.id, 200, None, T0 + 2_001.0)).is_empty());

    let f = fetch_of(submit(&mut rig, "c2", Some(2), 60_000.0, T0));
    let cancel = |rig: &mut Rig| {
        rig.on(Input::Cancel {
            correlation_id: "c2".into(),
            now_ms: T0,
        })
    };
    assert_eq!(
        lines(&cancel(&mut rig)),
        [
            format!("abort-fetch {}", f.id),
            "reject 2 REQUEST_CANCELLED c2".into()
        ]
    );
    assert!(cancel(&mut rig).is_empty(), "nothing left to cancel");

    let f = fetch_of(submit(&mut rig, "c3", Some(3), 60_000.0, T0));
    rig.on(Input::Connect {
        now_ms: T0,
        explicit_token: false,
    });
    let fx = rig.on(Input::Close { now_ms: T0 + 1.0 });
    let l = lines(&fx);
    assert!(l.contains(&format!("abort-fetch {}", f.id)), "{l:?}");
    assert!(
        l.contains(&"reject 3 CONNECTION_CLOSED c3".to_string()),
        "{l:?}"
    );
    assert_eq!(rig.s.state(), S::Closed);
    // After close(), REST refuses like the socket.
    let text = envelope("c4");
    let rest = parts(&text, "k4");
    let refused = rig
        .s
        .submit_via("c4".into(), text, rest, Some(4), None, 1e3, T0 + 2.0);
    let (w, e) = refused.expect_err("closed");
    assert_eq!(w, Some(4));
    is(
        &e,
        ErrorCategory::Websocket,
        ErrorCode::WebsocketNotInOpenState,
    );
}

#[test]
fn rest_mode_connects_without_a_socket_and_ignores_socket_signals() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let fx = rig.connect(T0);
    assert_eq!(lines(&fx), ["state initialized>connected", "settle ok"]);
    assert_eq!(change(&fx).transport, Transport::Rest);
    assert!(rig.on(Input::Offline { now_ms: T0 }).is_empty());
    assert!(rig.on(Input::PageHide { now_ms: T0 }).is_empty());
    assert_eq!(rig.s.state(), S::Connected);
}

/// Fails attempt `n` (no socket) at `now_ms`; returns the effects.
fn fail_attempt(rig: &mut Rig, n: u32, now_ms: f64) -> Fx {
    rig.on(failed(n, ErrorCode::ConnectionError, now_ms))
}

#[test]
fn auto_goes_over_rest_after_three_failed_attempts_and_back_on_open() {
    assert_eq!(FALLBACK_AFTER_FAILURES, 3);
    let mut rig = Rig::new(rest_config(Transport::Auto, false));
    rig.connect(T0);
    assert_eq!(rig.s.transport(), Transport::WebSocket);
    // Queued while connecting.
    assert_eq!(
        submit(&mut rig, "q1", Some(1), 60_000.0, T0),
        Submitted::Held
    );
    let mut now = T0;
    for attempt in 1..FALLBACK_AFTER_FAILURES {
        let fx = fail_attempt(&mut rig, attempt, now);
        assert!(
            fetches(&fx).is_empty(),
            "attempt {attempt}: still the WebSocket"
        );
        assert_eq!(change(&fx).transport, Transport::WebSocket);
        now = rig.s.next_wakeup().unwrap();
        rig.on(Input::Tick { now_ms: now });
    }
    let fx = fail_attempt(&mut rig, FALLBACK_AFTER_FAILURES, now);
    let moved = fetches(&fx);
    assert_eq!(moved.len(), 1, "the queued request goes over REST");
    assert_eq!(moved[0].correlation_id, "q1");
    assert_eq!(header(moved[0], "Idempotency-Key"), "key-q1");
    assert_eq!(change(&fx).transport, Transport::Rest);
    assert_eq!(rig.s.transport(), Transport::Rest);
    assert_eq!(
        rig.s.state(),
        S::Disconnected,
        "the WebSocket is still retried"
    );
    let q1_call = moved[0].id;
    // New requests go over REST at once.
    let f = fetch_of(submit(&mut rig, "r1", Some(2), 60_000.0, now));
    assert_eq!(f.correlation_id, "r1");
    // The WebSocket opens: new requests use it; the REST ones are not resent.
    now = rig.s.next_wakeup().unwrap();
    let fx = rig.on(Input::Tick { now_ms: now });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 4"]);
    let fx = rig.open(4, now + 1.0);
    assert!(sent(&fx).is_empty(), "nothing sent twice: {:?}", lines(&fx));
    assert_eq!(change(&fx).transport, Transport::WebSocket);
    assert_eq!(rig.s.transport(), Transport::WebSocket);
    match submit(&mut rig, "w1", Some(3), 60_000.0, now + 2.0) {
        Submitted::Send(text) => assert_eq!(&*text, envelope("w1")),
        other => panic!("expected the socket, got {other:?}"),
    }
    // The REST calls under way still report to their requests.
    assert_eq!(
        lines(&rig.on(answer(q1_call, 200, None, now + 3.0))),
        ["deliver q1"]
    );
    assert_eq!(
        lines(&rig.on(answer(f.id, 200, None, now + 3.0))),
        ["deliver r1"]
    );
    // A later loss of the socket does not resend what went over REST.
    let fx = rig.on(closed(4, 1006, false, now + 4.0));
    assert!(sent(&fx).is_empty());
}

#[test]
fn auto_goes_over_rest_at_once_when_the_first_attempt_closes_with_1006() {
    let mut rig = Rig::new(rest_config(Transport::Auto, false));
    rig.connect(T0);
    assert_eq!(submit(&mut rig, "q1", None, 60_000.0, T0), Submitted::Held);
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(closed(1, 1006, false, T0 + 5.0));
    assert_eq!(fetches(&fx).len(), 1, "{:?}", lines(&fx));
    assert_eq!(rig.s.transport(), Transport::Rest);

    // Any other first failure (a clean refusal, 1011) waits for three.
    let mut rig = Rig::new(rest_config(Transport::Auto, false));
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(closed(1, 1011, false, T0 + 5.0));
    assert!(fetches(&fx).is_empty());
    assert_eq!(rig.s.transport(), Transport::WebSocket);

    // Without restUrl `auto` is the WebSocket alone (options refuse it; the
    // session holds to it too).
    let mut rig = Rig::new(SessionConfig {
        transport: Transport::Auto,
        ..config()
    });
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    rig.on(closed(1, 1006, false, T0 + 5.0));
    assert_eq!(rig.s.transport(), Transport::WebSocket);
}

#[test]
fn fire_and_forget_beyond_the_tracking_bounds_still_goes_out() {
    use optave_core::connection::outbox::DEFAULT_QUEUE_LIMIT as MAX_TRACKED;
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    for n in 0..MAX_TRACKED {
        fetch_of(submit(&mut rig, &format!("t{n}"), None, 1e3, T0));
    }
    assert_eq!(rig.s.outbox().len(), MAX_TRACKED);
    let f = fetch_of(submit(&mut rig, "extra", None, 1e3, T0));
    assert_eq!(f.correlation_id, "extra");
    assert_eq!(rig.s.outbox().len(), MAX_TRACKED, "sent untracked");
    assert_eq!(
        lines(&rig.on(answer(f.id, 200, None, T0))),
        ["deliver extra"]
    );
}

/// A correlationId or idempotency key that cannot be an HTTP header value
/// (other than printable ASCII, or a space at either end) is refused over
/// REST, naming the field and the header; the session goes on.
#[test]
fn ids_that_cannot_be_http_headers_are_refused_over_rest() {
    let mut rig = Rig::new(rest_config(Transport::Rest, false));
    let refusal = |rig: &mut Rig, id: &str, key: &str| {
        let text = envelope(id);
        let rest = parts(&text, key);
        match rig
            .s
            .submit_via(id.into(), text, rest, Some(1), None, 5_000.0, T0)
        {
            Err((_, e)) => e,
            Ok(other) => panic!("{id:?} / {key:?} went out: {other:?}"),
        }
    };
    for id in ["チケット-1", "a\nb", "tab\there", " padded", "nul\0"] {
        let e = refusal(&mut rig, id, "key-ok");
        is(&e, ErrorCategory::Validation, ErrorCode::InvalidArgument);
        assert!(e.message.contains("X-Correlation-Id"), "{}", e.message);
        assert!(e.message.contains("request.requestId"), "{}", e.message);
        assert_eq!(e.correlation_id.as_deref(), Some(id));
        assert!(!e.suggestions.is_empty());
    }
    for key in ["k\r\nX-Injected: 1", "ключ", ""] {
        let e = refusal(&mut rig, "ok-id", key);
        is(&e, ErrorCategory::Validation, ErrorCode::InvalidArgument);
        assert!(
            e.message.starts_with("headers.idempotencyKey"),
            "{}",
            e.message
        );
        assert!(e.message.contains("Idempotency-Key"), "{}", e.message);
    }
    assert_eq!(rig.s.rest_calls(), 0);
    // Printable ASCII with inner spaces goes out, as given.
    let fetch = fetch_of(submit(&mut rig, "id with spaces-1", Some(1), 5_000.0, T0));
    assert_eq!(header(&fetch, "X-Correlation-Id"), "id with spaces-1");
}

/// `auto`: when requests move to REST, one whose ids cannot be HTTP headers
/// stays waiting for the socket, and goes out on it when it opens.
#[test]
fn auto_leaves_a_request_whose_ids_cannot_be_headers_waiting_for_the_socket() {
    let mut rig = Rig::new(rest_config(Transport::Auto, false));
    rig.connect(T0);
    assert_eq!(submit(&mut rig, "q1", None, 60_000.0, T0), Submitted::Held);
    assert_eq!(
        submit(&mut rig, "チケット", None, 60_000.0, T0),
        Submitted::Held
    );
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(closed(1, 1006, false, T0 + 5.0));
    let moved: Vec<&str> = fetches(&fx)
        .iter()
        .map(|f| f.correlation_id.as_str())
        .collect();
    assert_eq!(moved, ["q1"]);
    assert_eq!(rig.s.outbox().queued(), 1, "the other waits for the socket");
    let retry_at = rig.s.next_wakeup().expect("a retry");
    rig.on(Input::Tick { now_ms: retry_at });
    let fx = rig.open(2, retry_at + 10.0);
    let ids: Vec<String> = sent(&fx).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, ["チケット"]);
}
