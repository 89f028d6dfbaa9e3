//! Browser tests: connection, authentication, events, listener hygiene, against
//! the local OCO server in headless Chromium (`make test-wasm`).
#![cfg(target_arch = "wasm32")]

#[path = "web/support.rs"]
mod support;

use optave_client::OptaveClient;
use serde_json::json;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn subprotocol_ticket_connects_and_interaction_gets_superpowers() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let protocols = opened_urls();
    assert!(
        protocols
            .last()
            .is_some_and(|u| !u.contains("Authorization=")),
        "token must not be in the URL"
    );
    let id = client
        .send(JsValue::from("interaction"), params(request(&[])))
        .expect("sent");
    for kind in [
        "sentiment_analysis",
        "risk_assessment",
        "escalation_need",
        "language_identification",
        "search_requirements",
    ] {
        let started = wait_for(
            &rec,
            "superpower.response",
            Some(kind),
            Some("started"),
            Some(&id),
        )
        .await;
        assert_eq!(
            get_str(&started, "requestAction").as_deref(),
            Some("interaction")
        );
        let done = wait_completed(&rec, kind, &id).await;
        let results = get(&get(&done, "message"), "results");
        assert!(
            js_sys::Array::from(&results).length() > 0,
            "{kind} has results"
        );
        assert_eq!(
            get_str(&get(&done, "headers"), "correlationId").as_deref(),
            Some(id.as_str())
        );
    }
    assert_eq!(rec.count("superpower.error", None), 0);
    client.close();
    wait_for(&rec, "close", None, None, None).await;
    assert_eq!(client.ready_state(), "closed");
}

#[wasm_bindgen_test]
async fn query_transport_with_explicit_token_connects() {
    install_probes();
    let rec = Recorder::new();
    let opts = js(json!({ "websocketUrl": ws_url(http_auth()), "authTransport": "query" }));
    js_sys::Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid");
    let ticket = JsFuture::from(fetch_ticket_raw(http_auth())).await.unwrap();
    JsFuture::from(client.connect(Some(JsValue::from_str(&format!(
        "Bearer {}",
        ticket.as_string().unwrap()
    )))))
    .await
    .expect("query auth accepted");
    let url = opened_urls().pop().unwrap();
    assert!(
        url.contains(&format!("Authorization={}", ticket.as_string().unwrap())),
        "{url}"
    );
    assert!(!url.contains("Bearer"), "Bearer prefix stripped: {url}");
    let warned = rec
        .logs()
        .iter()
        .any(|l| get_str(&l, "message").is_some_and(|m| m.contains("authTransport 'query'")));
    assert!(warned, "query transport warns");
    let reply = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("answer");
    assert_eq!(get_str(&reply, "actionType").as_deref(), Some("summary"));
    client.close();
}

#[wasm_bindgen_test]
async fn reused_ticket_is_refused_with_authentication_failed() {
    let ticket = JsFuture::from(fetch_ticket_raw(http_auth()))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let (first, _r1) = recorded_client(http_auth(), json!({}));
    JsFuture::from(first.connect(Some(JsValue::from_str(&ticket))))
        .await
        .expect("first use accepted");
    let (second, rec) = recorded_client(http_auth(), json!({}));
    // The server refuses after the handshake (close 4401), so the refusal
    // arrives as an 'error' and a 'close' once the socket has opened.
    let _ = JsFuture::from(second.connect(Some(JsValue::from_str(&ticket)))).await;
    let err = wait_for(&rec, "error", None, None, None).await;
    assert_error(&err, "AUTHENTICATION", "AUTHENTICATION_FAILED");
    assert_eq!(get(&get(&err, "details"), "code").as_f64(), Some(4401.0));
    assert_eq!(
        get_str(&get(&err, "details"), "reason").as_deref(),
        Some("token already used")
    );
    let close = wait_for(&rec, "close", None, None, None).await;
    assert_eq!(get(&close, "code").as_f64(), Some(4401.0));
    assert_eq!(second.ready_state(), "closed");
    assert_eq!(
        second.send(JsValue::from("interaction"), params(request(&[]))),
        None,
        "nothing is sent on a refused connection"
    );
    first.close();
}

#[wasm_bindgen_test]
async fn missing_token_and_failing_provider_are_reported() {
    let client = OptaveClient::new(js(json!({ "websocketUrl": ws_url(http_auth()) }))).unwrap();
    assert_error(
        &rejection(client.connect(None)).await,
        "AUTHENTICATION",
        "MISSING_TOKEN",
    );
    let opts = js(json!({ "websocketUrl": ws_url(http_auth()) }));
    let failing =
        js_sys::Function::new_no_args("return Promise.reject(new Error('ticket endpoint down'))");
    js_sys::Reflect::set(&opts, &"tokenProvider".into(), &failing).unwrap();
    let client = OptaveClient::new(opts).unwrap();
    let err = rejection(client.connect(None)).await;
    assert_error(&err, "AUTHENTICATION", "TOKEN_PROVIDER_FAILED");
    assert!(get_str(&err, "message")
        .unwrap()
        .contains("ticket endpoint down"));
}

#[wasm_bindgen_test]
async fn no_auth_server_accepts_without_token() {
    let client = OptaveClient::new(js(
        json!({ "websocketUrl": ws_url(http_noauth()), "authRequired": false }),
    ))
    .unwrap();
    JsFuture::from(client.connect(None))
        .await
        .expect("connects without token");
    let reply = JsFuture::from(client.send_async(
        JsValue::from("translate"),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert_eq!(
        get_str(&reply, "actionType").as_deref(),
        Some("translation")
    );
    client.close();
}

#[wasm_bindgen_test]
async fn a_token_provider_that_never_answers_fails_the_attempt_at_the_connection_timeout() {
    let opts = js(json!({
        "websocketUrl": ws_url(http_auth()),
        "connectionTimeoutMs": 150,
        "reconnect": false,
    }));
    let never = js_sys::Function::new_no_args("return new Promise(() => {})");
    js_sys::Reflect::set(&opts, &"tokenProvider".into(), &never).unwrap();
    let client = OptaveClient::new(opts).unwrap();
    let err = rejection(client.connect(None)).await;
    // A socket that never opens is CONNECTION_TIMEOUT (tests/web_session.rs,
    // the stalled handshake); an attempt still waiting for its token names
    // the provider.
    assert_error(&err, "AUTHENTICATION", "TOKEN_PROVIDER_FAILED");
    assert_eq!(client.ready_state(), "closed");
    assert_eq!(client.state(), "failed");
}

#[wasm_bindgen_test]
fn constructor_refuses_bad_options() {
    let bad = |v: serde_json::Value| match OptaveClient::new(js(v)) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    assert_error(
        &bad(json!({ "websocketUrl": "ws://example.com/ws" })),
        "VALIDATION",
        "INVALID_WEBSOCKET_URL",
    );
    assert_error(&bad(json!({})), "VALIDATION", "INVALID_WEBSOCKET_URL");
    assert_error(
        &bad(json!({ "websocketUrl": "https://x" })),
        "VALIDATION",
        "INVALID_WEBSOCKET_URL",
    );
    assert_error(
        &bad(json!({ "websocketUrl": "wss://x", "clientSecret": "s" })),
        "VALIDATION",
        "UNSUPPORTED_IN_BROWSER",
    );
    assert_error(
        &bad(json!({ "websocketUrl": "wss://x", "requestTimeoutMS": 5 })),
        "VALIDATION",
        "INVALID_OPTION",
    );
    assert_error(
        &bad(json!({ "websocketUrl": "wss://x", "requestTimeoutMs": "10" })),
        "VALIDATION",
        "INVALID_OPTION",
    );
    assert!(OptaveClient::new(js(
        json!({ "websocketUrl": "wss://ws-sandbox.oco.optave.tech" })
    ))
    .is_ok());
}

/// A `logger` is called, never serialized: a class instance that keeps
/// every line (longer than the options' JSON may be) and refers to itself
/// is accepted by one client after another, and it is the one called.
#[wasm_bindgen_test]
async fn a_logger_instance_with_a_long_buffer_and_a_cycle_is_accepted() {
    let logger = buffering_logger(100_000);
    for _ in 0..2 {
        let opts = js(json!({ "websocketUrl": ws_url(http_auth()), "authTransport": "query" }));
        js_sys::Reflect::set(&opts, &"logger".into(), &logger).unwrap();
        let client = OptaveClient::new(opts).expect("the logger instance is accepted");
        let ticket = JsFuture::from(fetch_ticket_raw(http_auth())).await.unwrap();
        JsFuture::from(client.connect(Some(ticket)))
            .await
            .expect("connects");
        client.close();
    }
    let lines = logged_lines(&logger);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l
                .as_string()
                .is_some_and(|m| m.contains("authTransport 'query'")))
            .count(),
        2,
        "each client warned through the instance, with its own `this`: {:?}",
        lines.iter().map(|l| l.as_string()).collect::<Vec<_>>()
    );
}

/// `once` belongs to a registration, not to the function: one function
/// that listens to `stateChange` with `on` and to `close` with `once` gets
/// every state change and one `close`; the unsubscribe of another `once`
/// registration of it leaves the `on` one.
#[wasm_bindgen_test]
async fn once_belongs_to_the_registration_not_the_function() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    let counted = Recorder::new();
    let both = counted.listener("both");
    client
        .on(JsValue::from("stateChange"), both.clone().into())
        .unwrap();
    client
        .once(JsValue::from("close"), both.clone().into())
        .unwrap();
    let of = |key: &str| {
        counted
            .all("both")
            .iter()
            .filter(|ev| js_sys::Reflect::has(ev, &key.into()).unwrap_or(false))
            .count()
    };
    connect(&client).await;
    client.close();
    wait_for(&rec, "close", None, None, None).await;
    let changes = of("current");
    assert!(changes >= 3, "every state change so far: {changes}");
    assert_eq!(of("wasClean"), 1, "the close, once");
    let unsubscribe = client
        .once(JsValue::from("stateChange"), both.into())
        .unwrap();
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    connect(&client).await;
    client.close();
    JsFuture::from(rec.wait_count_raw("close", 2, 10_000))
        .await
        .expect("the second close");
    assert!(
        of("current") >= 2 * changes,
        "the `on` registration still hears every change: {} after {changes}",
        of("current")
    );
    assert_eq!(of("wasClean"), 1, "the `once` registration is gone");
}

#[wasm_bindgen_test]
async fn unsubscribe_once_and_off_stop_delivery() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    let counted = Recorder::new();
    let off = client
        .on(
            JsValue::from("superpower.response"),
            counted.listener("a").into(),
        )
        .unwrap();
    client
        .once(
            JsValue::from("superpower.response"),
            counted.listener("once").into(),
        )
        .unwrap();
    let via_off = counted.listener("b");
    client
        .on(JsValue::from("superpower.response"), via_off.clone().into())
        .unwrap();
    connect(&client).await;
    let id = client
        .send(JsValue::from("summarize"), params(request(&[])))
        .unwrap();
    wait_completed(&rec, "summary", &id).await;
    assert_eq!(counted.count("a", None), 2);
    assert_eq!(counted.count("b", None), 2);
    assert_eq!(counted.count("once", None), 1, "once delivers once");
    off.call0(&JsValue::UNDEFINED).unwrap();
    client.off(JsValue::from("superpower.response"), via_off.into());
    let id = client
        .send(JsValue::from("summarize"), params(request(&[])))
        .unwrap();
    wait_completed(&rec, "summary", &id).await;
    assert_eq!(
        counted.count("a", None),
        2,
        "unsubscribed listener not called"
    );
    assert_eq!(counted.count("b", None), 2, "off() removed the listener");
    assert!(
        client
            .on(
                JsValue::from("superpowr.response"),
                counted.listener("x").into()
            )
            .is_err(),
        "unknown event refused"
    );
    client.close();
    off.call0(&JsValue::UNDEFINED).unwrap();
    drop(client);
    off.call0(&JsValue::UNDEFINED)
        .expect("unsubscribe is safe after free()");
}

#[wasm_bindgen_test]
async fn a_throwing_listener_is_logged_and_others_still_run() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    client
        .on(
            JsValue::from("superpower.response"),
            rec.thrower("bad").into(),
        )
        .unwrap();
    let good = Recorder::new();
    client
        .on(
            JsValue::from("superpower.response"),
            good.listener("good").into(),
        )
        .unwrap();
    connect(&client).await;
    let id = client
        .send(JsValue::from("translate"), params(request(&[])))
        .unwrap();
    wait_completed(&rec, "translation", &id).await;
    assert_eq!(
        good.count("good", None),
        2,
        "delivery continued after the throwing listener"
    );
    let logged = rec.logs().iter().any(|l| {
        get_str(&l, "level").as_deref() == Some("error")
            && get_str(&l, "message").is_some_and(|m| m.contains("listener threw"))
    });
    assert!(logged, "the failure was reported through the logger");
    client.close();
}

#[wasm_bindgen_test]
async fn connect_close_cycles_and_free_leave_no_listeners_or_timers() {
    install_probes();
    sleep(50).await;
    let base_listeners = live_listeners();
    let base_timers = live_timers(vec![]);
    for _ in 0..25 {
        let (client, rec) = recorded_client(http_auth(), json!({}));
        connect(&client).await;
        assert_eq!(
            live_listeners(),
            base_listeners + 4,
            "one listener per socket event while open"
        );
        client.close();
        wait_for(&rec, "close", None, None, None).await;
        assert_eq!(
            live_listeners(),
            base_listeners,
            "listeners removed on close"
        );
    }
    // free() while open, with a pending request and its timer.
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let pending = client.send_async(
        JsValue::from("interaction"),
        params(request(&["fault:silent"])),
        JsValue::UNDEFINED,
    );
    drop(client);
    assert_error(&rejection(pending).await, "WEBSOCKET", "CONNECTION_CLOSED");
    assert_eq!(
        live_listeners(),
        base_listeners,
        "listeners removed on free()"
    );
    sleep(20).await;
    assert_eq!(live_timers(vec![]), base_timers, "no timer left armed");
}

/// A client on the auth server whose `tokenProvider` the test settles by hand,
/// with `open`, `close` and `error` recorded.
fn deferred_client(extra: serde_json::Value) -> (OptaveClient, Recorder, Deferred) {
    let rec = Recorder::new();
    let deferred = deferred_provider();
    let opts = js(json!({ "websocketUrl": ws_url(http_auth()) }));
    js_sys::Object::assign(
        opts.unchecked_ref::<js_sys::Object>(),
        js(extra).unchecked_ref::<js_sys::Object>(),
    );
    js_sys::Reflect::set(&opts, &"tokenProvider".into(), &deferred.provider()).unwrap();
    js_sys::Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &["open", "close", "error"]);
    (client, rec, deferred)
}

/// The ticket was not spent: a fresh client connects with it and is answered.
async fn assert_ticket_unspent(ticket: &str) {
    let (other, rec) = recorded_client(http_auth(), json!({}));
    JsFuture::from(other.connect(Some(JsValue::from_str(ticket))))
        .await
        .expect("the unspent ticket is accepted");
    let reply = JsFuture::from(other.send_async(
        JsValue::from("summarize"),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("answered on the unspent ticket");
    assert_eq!(get_str(&reply, "actionType").as_deref(), Some("summary"));
    assert_eq!(rec.count("error", None), 0, "the server did not refuse it");
    other.close();
}

/// close() while the provider is still out: the ticket it delivers afterwards
/// belongs to no attempt and must not open a socket.
#[wasm_bindgen_test]
async fn a_ticket_arriving_after_close_opens_no_socket() {
    let ticket = fetch_ticket(http_auth()).await;
    let (client, rec, deferred) = deferred_client(json!({}));
    let sockets = count_sockets();
    let connecting = client.connect(None);
    assert_eq!(client.ready_state(), "connecting");
    client.close();
    assert_error(
        &rejection(connecting).await,
        "WEBSOCKET",
        "CONNECTION_CLOSED",
    );
    assert_eq!(client.ready_state(), "closed");
    sleep(20).await;
    assert_eq!(deferred.calls(), 1, "the provider was asked once");
    assert_eq!(sockets.count(), 0, "no socket before the token arrived");
    // close() is not an error, and the late token reports nothing.
    late_ticket_opens_nothing(&client, &rec, &deferred, sockets, &ticket, 0, "close()").await;
}

/// The connection timeout fires while the provider is still out: the ticket
/// it delivers afterwards must not open a socket.
#[wasm_bindgen_test]
async fn a_ticket_arriving_after_the_connection_timeout_opens_no_socket() {
    let ticket = fetch_ticket(http_auth()).await;
    let (client, rec, deferred) =
        deferred_client(json!({ "connectionTimeoutMs": 100, "reconnect": false }));
    let sockets = count_sockets();
    let started = js_sys::Date::now();
    let err = rejection(client.connect(None)).await;
    // The attempt timed out waiting for its token: the provider is named.
    assert_error(&err, "AUTHENTICATION", "TOKEN_PROVIDER_FAILED");
    assert_eq!(client.ready_state(), "closed");
    assert_eq!(deferred.calls(), 1, "the provider was asked once");
    assert_eq!(sockets.count(), 0, "no socket before the token arrived");
    // The provider answers about 300 ms after connect().
    let waited = (js_sys::Date::now() - started) as u32;
    sleep(300u32.saturating_sub(waited)).await;
    // Only the timeout is reported: the late token reports nothing.
    late_ticket_opens_nothing(&client, &rec, &deferred, sockets, &ticket, 1, "the timeout").await;
}

/// Delivers `ticket` to an attempt that was abandoned (`after` it) and checks
/// that no socket is constructed, no event fires beyond `errors` `error`
/// events, and the single-use ticket was not spent.
async fn late_ticket_opens_nothing(
    client: &OptaveClient,
    rec: &Recorder,
    deferred: &Deferred,
    sockets: SocketCounter,
    ticket: &str,
    errors: u32,
    after: &str,
) {
    deferred.resolve(&JsValue::from_str(ticket));
    sleep(300).await;
    let count = sockets.count();
    let urls = sockets.urls();
    sockets.restore();
    assert_eq!(
        count, 0,
        "a WebSocket was constructed after {after}: {urls:?}"
    );
    assert_eq!(client.ready_state(), "closed");
    assert_eq!(rec.count("open", None), 0, "no open event");
    assert_eq!(rec.count("close", None), 0, "no socket, no close event");
    assert_eq!(
        rec.count("error", None),
        errors,
        "error events after {after}"
    );
    assert_ticket_unspent(ticket).await;
}

/// With `authTransport: 'query'` the token is in the URL; when the browser
/// refuses to construct the WebSocket, its message quotes that URL. The token
/// must reach neither the rejection, nor the `error` event, nor the logger.
#[wasm_bindgen_test]
async fn a_token_in_a_refused_websocket_url_is_redacted() {
    const TOKEN: &str = "secret-ticket-123";
    // The browser's own URL parser refuses port 99999. What its message
    // says is the engine's: Chromium quotes the URL, token included ("The
    // URL 'ws://…?Authorization=secret-ticket-123' is invalid."), Firefox
    // does not ("An invalid or illegal string was specified"). Where the
    // message quotes the URL, the token is in it...
    let refusal = websocket_refusal(&format!("ws://127.0.0.1:99999/ws?Authorization={TOKEN}"))
        .expect("the browser refuses port 99999");
    if refusal.contains("127.0.0.1:99999") {
        assert!(
            refusal.contains(TOKEN),
            "the browser's own message quotes the URL, token included: {refusal}"
        );
    }
    // ...but such a URL no longer reaches `new WebSocket` (the SDK judges it
    // with the same parser), so the refusal is produced on a valid URL, and
    // quotes it as Chromium does (the worst case, whatever the engine).
    const URL: &str = "ws://127.0.0.1:1/ws";
    let refuser = refuse_sockets();

    let no_token = |what: &str, value: &JsValue| {
        let text = all_text(value);
        assert!(!text.contains(TOKEN), "{what} carries the token: {text}");
    };
    let options = |rec: &Recorder| {
        let opts = js(json!({
            "websocketUrl": URL,
            "authTransport": "query",
            "authRequired": true,
        }));
        js_sys::Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
        opts
    };

    // With an `error` listener: the rejection and the event.
    let rec = Recorder::new();
    let client = OptaveClient::new(options(&rec)).expect("the SDK accepts the URL");
    listen(&client, &rec, &["open", "close", "error"]);
    let err = rejection(client.connect(Some(JsValue::from_str(TOKEN)))).await;
    assert_error(&err, "WEBSOCKET", "CONNECTION_ERROR");
    let message = get_str(&err, "message").unwrap();
    assert!(
        message.contains("could not be created") && message.contains("[redacted]"),
        "{message}"
    );
    no_token("the rejection", &err);
    let events = rec.all("error");
    assert_eq!(events.length(), 1, "one error event");
    let event = events.get(0);
    assert_error(&event, "WEBSOCKET", "CONNECTION_ERROR");
    no_token("the error event", &event);
    assert_eq!(client.ready_state(), "closed");
    assert!(
        rec.logs().length() > 0,
        "the query transport warning is logged"
    );
    for log in rec.logs().iter() {
        no_token("a log record", &log);
    }

    // Without an `error` listener the error goes to the logger.
    let rec = Recorder::new();
    let client = OptaveClient::new(options(&rec)).expect("the SDK accepts the URL");
    let err = rejection(client.connect(Some(JsValue::from_str(&format!("Bearer {TOKEN}"))))).await;
    refuser.restore();
    assert_error(&err, "WEBSOCKET", "CONNECTION_ERROR");
    no_token("the rejection", &err);
    let logged = rec.logs().iter().any(|l| {
        get_str(&l, "level").as_deref() == Some("error")
            && get_str(&l, "message").is_some_and(|m| m.contains("CONNECTION_ERROR"))
    });
    assert!(logged, "the error was logged");
    for log in rec.logs().iter() {
        no_token("a log record", &log);
    }
}
