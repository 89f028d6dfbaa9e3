//! Client options and the connection target (protocol.md sections 1 and 7).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::result_large_err)]

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use common::{details, parse_url};
use optave_core::connection::retry::RetryPolicy;
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_core::options::{
    check_websocket_url, connect_target, request_timeout, AuthTransport, ClientConfig,
    ConnectTarget, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, OPTION_KEYS, SUBPROTOCOL,
};
use serde_json::{json, Map, Value};

const NOW: f64 = 1_705_314_660_000.0;

fn parse(options: Value) -> Result<ClientConfig, OptaveError> {
    ClientConfig::from_json(&options.to_string(), &parse_url, NOW)
}

fn refused(options: Value, code: ErrorCode) -> OptaveError {
    let err = parse(options.clone()).expect_err(&options.to_string());
    assert_eq!(err.code, code.as_str(), "{options}: {err}");
    assert_eq!(err.category, ErrorCategory::Validation);
    err
}

fn config(url: &str, transport: AuthTransport, auth_required: bool) -> ClientConfig {
    ClientConfig {
        auth_transport: transport,
        auth_required,
        ..parse(json!({ "websocketUrl": url })).unwrap()
    }
}

#[test]
fn defaults() {
    let c = parse(json!({ "websocketUrl": "wss://ws-sandbox.oco.optave.tech" })).unwrap();
    assert_eq!(
        c,
        ClientConfig {
            websocket_url: "wss://ws-sandbox.oco.optave.tech".into(),
            auth_transport: AuthTransport::Subprotocol,
            auth_required: true,
            organization_id: None,
            tenant_id: None,
            connection_timeout_ms: 30_000.0,
            request_timeout_ms: 30_000.0,
            strict: false,
            max_inbound_frame_bytes: 1_048_576,
            reconnect: Some(RetryPolicy::default()),
            queue_limit: 100,
            queue_while_disconnected: true,
            resend_on_reconnect: true,
            rest_url: None,
            transport: optave_core::connection::Transport::WebSocket,
            stale_after_ms: Some(15_000.0),
            cross_tab_key: None,
        }
    );
    assert_eq!(DEFAULT_TIMEOUT_MS, 30_000.0);
}

#[test]
fn cross_tab_takes_a_non_empty_key_and_nothing_else() {
    let url = "wss://ws-sandbox.oco.optave.tech";
    let c = parse(json!({ "websocketUrl": url, "crossTab": { "key": "agent-7" } })).unwrap();
    assert_eq!(c.cross_tab_key.as_deref(), Some("agent-7"));
    let c = parse(json!({ "websocketUrl": url, "crossTab": null })).unwrap();
    assert_eq!(c.cross_tab_key, None);
    for (bad, names) in [
        (json!({ "key": "" }), "crossTab.key"),
        (json!({ "key": 5 }), "crossTab.key"),
        (json!({}), "crossTab.key"),
        (json!({ "key": "a", "other": 1 }), "crossTab"),
        (json!("agent-7"), "crossTab"),
        (json!(true), "crossTab"),
    ] {
        let err = parse(json!({ "websocketUrl": url, "crossTab": bad })).unwrap_err();
        assert_eq!(err.category, ErrorCategory::Validation, "{bad}");
        assert_eq!(err.code, ErrorCode::InvalidOption.as_str(), "{bad}");
        assert!(err.message.contains(names), "{bad}: {}", err.message);
        assert!(!err.suggestions.is_empty());
    }
}

#[test]
fn every_data_option_is_read() {
    let c = parse(json!({
        "websocketUrl": "wss://ws-prod.oco.optave.tech/",
        "authTransport": "query", "authRequired": false,
        "organizationId": "org", "tenantId": "",
        "connectionTimeoutMs": 1500, "requestTimeoutMs": 2500.5,
        "strictValidation": true, "tokenProvider": {}, "logger": {}, "clientSecret": null
    }))
    .unwrap();
    assert_eq!(c.auth_transport, AuthTransport::Query);
    assert!(!c.auth_required);
    assert_eq!(c.organization_id.as_deref(), Some("org"));
    assert_eq!(c.tenant_id, None, "an empty tenantId is no tenantId");
    assert_eq!(c.connection_timeout_ms, 1500.0);
    assert_eq!(c.request_timeout_ms, 2500.5);
    assert!(c.strict);
}

#[test]
fn websocket_url_missing_or_empty() {
    for options in [
        json!({}),
        json!({ "websocketUrl": "" }),
        json!({ "websocketUrl": null }),
    ] {
        refused(options, ErrorCode::InvalidWebsocketUrl);
    }
}

#[test]
fn websocket_url_not_a_string_names_the_option() {
    for options in [
        json!({ "websocketUrl": 42 }),
        json!({ "websocketUrl": ["wss://x"] }),
    ] {
        let err = parse(options.clone()).expect_err(&options.to_string());
        assert_eq!(err.category, ErrorCategory::Validation);
        assert!(err.message.contains("websocketUrl"), "{}", err.message);
    }
}

#[test]
fn known_difference_websocket_url_not_a_string_is_an_invalid_url() {
    for options in [
        json!({ "websocketUrl": 42 }),
        json!({ "websocketUrl": ["wss://x"] }),
    ] {
        refused(options, ErrorCode::InvalidWebsocketUrl);
    }
}

#[test]
fn websocket_url_schemes_and_hosts() {
    let bad = [
        "http://ws.example.com",
        "https://ws.example.com",
        "ws://example.com",
        "ws://ws-sandbox.oco.optave.tech",
        "ws://localhost.evil.com",
        "ws://127.0.0.1@evil.com/",
        "ws://10.0.0.1:8787",
        "wss://",
        "ws-sandbox.oco.optave.tech",
        "wss://host/ path",
        "wss://host/#frag",
    ];
    for url in bad {
        let err = check_websocket_url(url, parse_url(url).as_ref(), NOW).expect_err(url);
        assert!(err.is(ErrorCode::InvalidWebsocketUrl), "{url:?}");
        assert_eq!(details(&err)["websocketUrl"], url);
        assert!(!err.suggestions.is_empty());
        refused(
            json!({ "websocketUrl": url }),
            ErrorCode::InvalidWebsocketUrl,
        );
    }
    let good = [
        "ws://127.0.0.1:8787/ws",
        "ws://localhost",
        "ws://LOCALHOST:9000/x?y=1",
        "ws://[::1]:9",
        "ws://127.5.6.7",
        "WS://localhost",
        "wss://example.com",
        "wss://ws-incubator.oco.optave.tech",
        "wss://10.0.0.1:443/socket",
    ];
    for url in good {
        check_websocket_url(url, parse_url(url).as_ref(), NOW)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(
            parse(json!({ "websocketUrl": url })).unwrap().websocket_url,
            url
        );
    }
}

/// The rule judges the host the browser's URL parser reads (WHATWG), not the
/// text after the last `@`.
#[test]
fn websocket_url_is_judged_as_the_browser_parses_it() {
    let cases: Value = serde_json::from_str(include_str!("fixtures/websocket_urls.json")).unwrap();
    let list = |key: &str| -> Vec<String> {
        cases[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_owned())
            .collect()
    };
    let (bad, mut good) = (list("refused"), list("accepted"));
    // Read as a path on a host, by the WHATWG parser as by the browser.
    good.push("ws://127.0.0.1:8787\\ws".into());
    good.push("wss:///path".into());
    for url in &bad {
        let err = check_websocket_url(url, parse_url(url).as_ref(), NOW).expect_err(url);
        assert!(err.is(ErrorCode::InvalidWebsocketUrl), "{url:?}");
        refused(
            json!({ "websocketUrl": url }),
            ErrorCode::InvalidWebsocketUrl,
        );
    }
    for url in &good {
        check_websocket_url(url, parse_url(url).as_ref(), NOW)
            .unwrap_or_else(|e| panic!("{url:?}: {e}"));
    }
    // Without a parse (the parser refused the text) nothing is accepted.
    assert!(check_websocket_url("wss://x.tech", None, NOW).is_err());
}

#[test]
fn client_secret_is_unsupported_in_a_browser() {
    let err = refused(
        json!({ "websocketUrl": "wss://x.tech", "clientSecret": "s3cr3t" }),
        ErrorCode::UnsupportedInBrowser,
    );
    assert!(err.message.contains("clientSecret"));
    assert!(!err.to_string().contains("s3cr3t"));
    assert!(!err.suggestions.is_empty());
}

#[test]
fn unknown_options_are_refused_by_name() {
    let err = refused(
        json!({ "websocketUrl": "wss://x.tech", "websocketURL": "wss://y", "timeout": 5 }),
        ErrorCode::InvalidOption,
    );
    assert!(err.message.contains("websocketURL") && err.message.contains("timeout"));
    assert_eq!(details(&err)["unknown"], json!(["websocketURL", "timeout"]));
    assert_eq!(details(&err)["allowed"], json!(OPTION_KEYS));
    // Every key is an option (functions are absent from the JSON text; null
    // stands for not given).
    assert_eq!(OPTION_KEYS.len(), 21);
    let mut every = Map::new();
    for key in OPTION_KEYS {
        every.insert(key.to_owned(), Value::Null);
    }
    every.insert("websocketUrl".into(), json!("wss://x.tech"));
    parse(Value::Object(every)).unwrap();
}

#[test]
fn options_must_be_a_json_object() {
    for text in ["[]", "\"wss://x\"", "null", "{"] {
        let err = ClientConfig::from_json(text, &parse_url, NOW).expect_err(text);
        assert!(err.is(ErrorCode::InvalidOption), "{text}");
    }
}

#[test]
fn wrong_types_name_the_option() {
    for (name, bad) in [
        ("requestTimeoutMs", json!("10")),
        ("connectionTimeoutMs", json!(true)),
        ("authRequired", json!("no")),
        ("strictValidation", json!(1)),
        ("organizationId", json!(7)),
        ("authTransport", json!("header")),
    ] {
        let err = refused(
            json!({ "websocketUrl": "wss://x.tech", name: bad }),
            ErrorCode::InvalidOption,
        );
        assert!(err.message.contains(name), "{name}: {}", err.message);
    }
}

#[test]
fn timeouts_must_be_positive() {
    for name in ["requestTimeoutMs", "connectionTimeoutMs"] {
        for bad in [json!(0), json!(-1), json!(-0.5)] {
            let err = refused(
                json!({ "websocketUrl": "wss://x.tech", name: bad }),
                ErrorCode::InvalidOption,
            );
            assert!(err.message.contains(name), "{}", err.message);
        }
    }
}

/// A browser timer fires at once for a delay above 2^31 - 1 ms, so a longer
/// timeout would expire immediately: it is refused.
#[test]
fn timeouts_above_the_browser_timer_limit_are_refused() {
    assert_eq!(MAX_TIMEOUT_MS, 2_147_483_647.0);
    for name in ["requestTimeoutMs", "connectionTimeoutMs"] {
        for bad in [
            "2147483648",
            "2147483647.5",
            "3e9",
            "4294967296",
            "1e308",
            "1.7976931348623157e308",
        ] {
            let options: Value = serde_json::from_str(&format!(
                r#"{{"websocketUrl":"wss://x.tech","{name}":{bad}}}"#
            ))
            .unwrap();
            let err = refused(options, ErrorCode::InvalidOption);
            assert!(err.message.contains(name), "{name}={bad}: {}", err.message);
        }
    }
}

#[test]
fn the_longest_timeout_is_accepted() {
    let c = parse(json!({
        "websocketUrl": "wss://x.tech",
        "requestTimeoutMs": 2_147_483_647u64,
        "connectionTimeoutMs": 2_147_483_647u64,
    }))
    .unwrap();
    assert_eq!(c.request_timeout_ms, 2_147_483_647.0);
    assert_eq!(c.connection_timeout_ms, 2_147_483_647.0);
    let c = parse(json!({
        "websocketUrl": "wss://x.tech",
        "requestTimeoutMs": 2_147_483_646.5,
    }))
    .unwrap();
    assert_eq!(c.request_timeout_ms, 2_147_483_646.5);
}

#[test]
fn per_request_timeout_above_the_browser_timer_limit_is_refused() {
    for bad in [
        "2147483648",
        "2147483647.5",
        "3e9",
        "4294967296",
        "1e308",
        "1.7976931348623157e308",
        "1e400",
    ] {
        let options = format!(r#"{{"timeoutMs":{bad}}}"#);
        let err = request_timeout(Some(&options), 30_000.0, NOW).expect_err(&options);
        assert!(err.is(ErrorCode::InvalidArgument), "{bad}: {err}");
        assert_eq!(err.category, ErrorCategory::Validation);
        assert!(err.message.contains("timeoutMs"), "{}", err.message);
    }
    assert_eq!(
        request_timeout(Some(r#"{"timeoutMs":2147483647}"#), 30_000.0, NOW).unwrap(),
        2_147_483_647.0
    );
}

#[test]
fn subprotocol_transport() {
    let c = config("wss://ws.x.tech/path", AuthTransport::Subprotocol, true);
    let t = connect_target(&c, Some("tok.en-1_~"), None, NOW).unwrap();
    assert_eq!(
        t,
        ConnectTarget {
            url: "wss://ws.x.tech/path".into(),
            protocols: vec![SUBPROTOCOL.into(), "tok.en-1_~".into()],
        }
    );
    assert_eq!(SUBPROTOCOL, "optave-v1");
    for token in ["Bearer abc", "  Bearer abc  ", "abc"] {
        let t = connect_target(&c, Some(token), None, NOW).unwrap();
        assert_eq!(t.protocols, ["optave-v1", "abc"], "{token:?}");
    }
}

#[test]
fn tokens_a_subprotocol_cannot_carry_are_refused() {
    let c = config("wss://ws.x.tech", AuthTransport::Subprotocol, true);
    for token in ["a b", "a,b", "a\"b", "a;b", "tök", "a/b"] {
        let err = connect_target(&c, Some(token), None, NOW).expect_err(token);
        assert!(err.is(ErrorCode::InvalidToken), "{token}");
        assert_eq!(err.category, ErrorCategory::Authentication);
    }
}

#[test]
fn query_transport_percent_encodes() {
    let c = config("wss://ws.x.tech/ws", AuthTransport::Query, true);
    let t = connect_target(&c, Some("Bearer abc"), None, NOW).unwrap();
    assert_eq!(t.url, "wss://ws.x.tech/ws?Authorization=abc");
    assert!(t.protocols.is_empty());
    let t = connect_target(&c, Some("a+b/c=d&e f"), None, NOW).unwrap();
    assert_eq!(
        t.url,
        "wss://ws.x.tech/ws?Authorization=a%2Bb%2Fc%3Dd%26e+f"
    );
    let c = config("wss://ws.x.tech/ws?env=dev", AuthTransport::Query, true);
    let t = connect_target(&c, Some("abc"), Some("s 1"), NOW).unwrap();
    assert_eq!(
        t.url,
        "wss://ws.x.tech/ws?env=dev&Authorization=abc&OptaveTraceChatSessionId=s+1"
    );
}

#[test]
fn session_id_becomes_a_query_parameter() {
    let c = config("wss://ws.x.tech", AuthTransport::Subprotocol, true);
    let t = connect_target(&c, Some("abc"), Some("sess-1"), NOW).unwrap();
    assert_eq!(t.url, "wss://ws.x.tech?OptaveTraceChatSessionId=sess-1");
    assert_eq!(t.protocols, ["optave-v1", "abc"]);
    let t = connect_target(&c, Some("abc"), Some(""), NOW).unwrap();
    assert_eq!(t.url, "wss://ws.x.tech");
}

#[test]
fn missing_token() {
    let c = config("ws://localhost:8787", AuthTransport::Subprotocol, true);
    for token in [None, Some(""), Some("   "), Some("Bearer ")] {
        let err = connect_target(&c, token, None, NOW).expect_err("no token");
        assert!(err.is(ErrorCode::MissingToken), "{token:?}");
        assert_eq!(err.category, ErrorCategory::Authentication);
    }
    let c = config("ws://localhost:8787", AuthTransport::Subprotocol, false);
    let t = connect_target(&c, None, Some("s"), NOW).unwrap();
    assert!(t.protocols.is_empty());
    assert_eq!(t.url, "ws://localhost:8787?OptaveTraceChatSessionId=s");
}

#[test]
fn per_request_timeout() {
    assert_eq!(request_timeout(None, 30_000.0, NOW).unwrap(), 30_000.0);
    assert_eq!(
        request_timeout(Some("{}"), 30_000.0, NOW).unwrap(),
        30_000.0
    );
    assert_eq!(
        request_timeout(Some(r#"{"timeoutMs":250}"#), 30_000.0, NOW).unwrap(),
        250.0
    );
    for bad in [
        r#"{"timeoutMs":0}"#,
        r#"{"timeoutMs":-3}"#,
        r#"{"timeoutMs":"5"}"#,
        r#"{"timeout":5}"#,
        "[]",
        "[5000]",
        "5000",
        "\"5000\"",
    ] {
        let err = request_timeout(Some(bad), 30_000.0, NOW).expect_err(bad);
        assert!(err.is(ErrorCode::InvalidArgument), "{bad}: {err}");
    }
}

#[test]
fn timeouts_are_read_as_the_numbers_written() {
    let read = |text: &str| {
        ClientConfig::from_json(
            &format!(r#"{{"websocketUrl":"wss://x.tech","requestTimeoutMs":{text}}}"#),
            &parse_url,
            NOW,
        )
        .map(|c| c.request_timeout_ms)
    };
    for text in [
        "1", "1500", "30000", "2500.5", "0.5", "86400000", "1e3", "1E+3", "25e-1",
    ] {
        assert_eq!(read(text).unwrap(), text.parse::<f64>().unwrap(), "{text}");
    }
    // Decimals are read to within a few units in the last place.
    for text in [
        "0.1",
        "0.3",
        "1500.7",
        "1234.5678",
        "1e-7",
        "2147483646.123456",
        "2.147483646999e9",
    ] {
        let want: f64 = text.parse().unwrap();
        let got = read(text).unwrap();
        assert!(
            ((got - want) / want).abs() < 1e-15,
            "{text}: {got} / {want}"
        );
    }
    // Infinity is not a timeout, nor is anything above 2^31 - 1 ms.
    for text in ["1e400", "9007199254740993"] {
        assert!(
            read(text).unwrap_err().is(ErrorCode::InvalidOption),
            "{text}"
        );
    }
}

/// The loopback rule of `ws://`, checked against `std::net`'s parsers (what
/// the SDK used before the core became `no_std`).
#[test]
fn loopback_hosts_agree_with_std_net() {
    let hosts = [
        "localhost",
        "LOCALHOST",
        "LocalHost",
        "localhost.",
        "localhost.evil.com",
        "127.0.0.1",
        "127.1.2.3",
        "127.255.255.255",
        "127.0.0.01",
        "127.0.0",
        "127.0.0.1.1",
        "127.1",
        "0127.0.0.1",
        "128.0.0.1",
        "126.0.0.1",
        "127.0.0.256",
        "1.2.3.4",
        "0.0.0.0",
        "::1",
        "0:0:0:0:0:0:0:1",
        "0000:0000:0000:0000:0000:0000:0000:0001",
        "::0:1",
        "0::1",
        "::01",
        "::0001",
        "::00001",
        "::",
        "::2",
        "1::",
        "::1:0",
        "0:0:0:0:0:0:1",
        "0:0:0:0:0:0:0:0:1",
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "::1%25eth0",
        ":::1",
        "::1::",
        "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:7:8",
        "fe80::1",
        "0:0::0:1",
        "::0:0:0:0:0:1",
        "::0:0:0:0:0:0:1",
        "::0:0:0:0:0:0:0:1",
        "g::1",
        "",
        "[::1]",
    ];
    for host in hosts {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let std_loopback = bare.eq_ignore_ascii_case("localhost")
            || bare.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
            || bare.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
        assert_eq!(
            optave_core::url::is_loopback(host),
            std_loopback && !host.is_empty(),
            "{host:?}"
        );
    }
}

/// `NaN` and `±Infinity`, which `JSON.stringify` would
/// turn into `null` (the default), reach the core as their names
/// (`NON_FINITE`, the facade's replacer) and are refused by name.
#[test]
fn non_finite_numbers_are_refused_by_name() {
    assert_eq!(
        optave_core::options::NON_FINITE,
        ["NaN", "Infinity", "-Infinity"]
    );
    for name in ["NaN", "Infinity", "-Infinity"] {
        for option in [
            "connectionTimeoutMs",
            "requestTimeoutMs",
            "maxInboundFrameBytes",
        ] {
            let err = parse(json!({ "websocketUrl": "wss://h.example", option: name }))
                .expect_err(option);
            assert!(err.is(ErrorCode::InvalidOption), "{option}={name}");
            assert_eq!(
                err.message,
                format!("option {option}: expected a finite number, got {name}")
            );
        }
        let options = format!(r#"{{"timeoutMs":"{name}"}}"#);
        let err = request_timeout(Some(&options), 30_000.0, NOW).expect_err(name);
        assert!(err.is(ErrorCode::InvalidArgument));
        assert!(
            err.message.ends_with(&format!("got {name}")),
            "{}",
            err.message
        );
    }
    // A string option keeps its text, quoted.
    let err = parse(json!({ "websocketUrl": "wss://h.example", "connectionTimeoutMs": "5" }))
        .unwrap_err();
    assert!(err.message.ends_with("got \"5\""), "{}", err.message);
}

/// `maxInboundFrameBytes`, a whole number of bytes from
/// 1,024 to 268,435,456 (default 1,048,576).
#[test]
fn max_inbound_frame_bytes() {
    let with =
        |v: Value| parse(json!({ "websocketUrl": "wss://h.example", "maxInboundFrameBytes": v }));
    assert_eq!(
        with(json!(null)).unwrap().max_inbound_frame_bytes,
        1_048_576
    );
    assert_eq!(with(json!(1024)).unwrap().max_inbound_frame_bytes, 1_024);
    assert_eq!(
        with(json!(268_435_456)).unwrap().max_inbound_frame_bytes,
        268_435_456
    );
    for bad in [
        json!(1023),
        json!(0),
        json!(-5),
        json!(1500.5),
        json!(268_435_457),
        json!(1e300),
    ] {
        let err = with(bad.clone()).expect_err(&bad.to_string());
        assert!(err.is(ErrorCode::InvalidOption), "{bad}");
        assert!(
            err.message.contains("maxInboundFrameBytes"),
            "{}",
            err.message
        );
    }
}

/// Found by fuzzing (core/fuzz/corpus/options/bug-authtransport-escaped-query.json):
/// an `authTransport` spelled with escapes was checked decoded but read raw,
/// so `"\u0071uery"` passed as "query" and then meant "subprotocol".
#[test]
fn an_escaped_auth_transport_means_what_it_decodes_to() {
    let config = ClientConfig::from_json(
        r#"{"websocketUrl":"wss://x.tech","authTransport":"\u0071uery"}"#,
        &parse_url,
        NOW,
    )
    .unwrap();
    assert_eq!(config.auth_transport, AuthTransport::Query);
}

#[test]
fn rest_url_and_transport() {
    use optave_core::connection::Transport;
    let ws = "wss://ws-sandbox.oco.optave.tech";
    let c = parse(json!({ "websocketUrl": ws })).unwrap();
    assert_eq!((c.transport, c.rest_url), (Transport::WebSocket, None));
    let c =
        parse(json!({ "websocketUrl": ws, "restUrl": "https://sandbox.oco.optave.tech" })).unwrap();
    assert_eq!(
        c.transport,
        Transport::Auto,
        "auto is the default with restUrl"
    );
    assert_eq!(
        c.rest_url.as_deref(),
        Some("https://sandbox.oco.optave.tech")
    );
    let s = c.session(false);
    assert_eq!(
        (s.transport, s.rest_url.as_deref()),
        (Transport::Auto, Some("https://sandbox.oco.optave.tech"))
    );
    for (t, want) in [
        ("websocket", Transport::WebSocket),
        ("rest", Transport::Rest),
        ("auto", Transport::Auto),
    ] {
        let c = parse(
            json!({ "websocketUrl": ws, "restUrl": "http://127.0.0.1:8787", "transport": t }),
        )
        .unwrap();
        assert_eq!(c.transport, want);
    }
    // The URL rule of websocketUrl, with http/https, naming restUrl.
    for bad in [
        "http://example.com",
        "wss://sandbox.oco.optave.tech",
        "https://user:pw@sandbox.oco.optave.tech",
        "https://sandbox.oco.optave.tech/#x",
        "not a url",
        "",
    ] {
        let err = refused(
            json!({ "websocketUrl": ws, "restUrl": bad }),
            ErrorCode::InvalidWebsocketUrl,
        );
        assert!(err.message.starts_with("restUrl"), "{bad}: {}", err.message);
        assert_eq!(details(&err)["restUrl"], bad);
    }
    let err = refused(
        json!({ "websocketUrl": ws, "transport": "rest" }),
        ErrorCode::InvalidOption,
    );
    assert!(err.message.contains("needs restUrl"), "{}", err.message);
    let err = refused(
        json!({ "websocketUrl": ws, "restUrl": "https://x.tech", "transport": "http" }),
        ErrorCode::InvalidOption,
    );
    assert!(err.message.contains("\"http\""), "{}", err.message);
    refused(
        json!({ "websocketUrl": ws, "transport": 1 }),
        ErrorCode::InvalidOption,
    );
}
