//! Message text: credentials taken out of browser error messages.
#![cfg(not(target_arch = "wasm32"))]

use optave_core::text::redact;

const R: &str = "[redacted]";

#[test]
fn authorization_parameter_at_the_end_of_the_text() {
    assert_eq!(
        redact("wss://ws.x.tech/ws?Authorization=abc123", None),
        "wss://ws.x.tech/ws?Authorization=[redacted]"
    );
}

#[test]
fn authorization_parameter_among_several() {
    assert_eq!(
        redact(
            "wss://ws.x.tech/ws?env=dev&Authorization=abc&OptaveTraceChatSessionId=s+1",
            None
        ),
        "wss://ws.x.tech/ws?env=dev&Authorization=[redacted]&OptaveTraceChatSessionId=s+1"
    );
    // Percent-encoded values are redacted whole, up to the next parameter.
    assert_eq!(
        redact("ws://h/?Authorization=a%2Bb%2Fc%3Dd%26e+f&x=1", None),
        "ws://h/?Authorization=[redacted]&x=1"
    );
}

#[test]
fn authorization_parameter_inside_quotes() {
    // Chromium: "Failed to construct 'WebSocket': The URL '...' is invalid."
    assert_eq!(
        redact(
            "Failed to construct 'WebSocket': The URL 'ws://127.0.0.1:99999/ws?Authorization=tok-1' is invalid.",
            None
        ),
        "Failed to construct 'WebSocket': The URL 'ws://127.0.0.1:99999/ws?Authorization=[redacted]' is invalid."
    );
    assert_eq!(
        redact(r#"url "ws://h/?Authorization=tok-1" refused"#, None),
        r#"url "ws://h/?Authorization=[redacted]" refused"#
    );
}

#[test]
fn authorization_value_ends_at_a_fragment_or_white_space() {
    for (sep, tail) in [
        ("#", "#frag"),
        (" ", " rest"),
        ("\t", "\trest"),
        ("\n", "\nrest"),
    ] {
        let text = format!("ws://h/?Authorization=tok{tail}");
        assert_eq!(
            redact(&text, None),
            format!("ws://h/?Authorization={R}{tail}"),
            "{sep:?}"
        );
    }
}

#[test]
fn every_authorization_parameter_is_redacted() {
    assert_eq!(
        redact(
            "first ws://a/?Authorization=one&b=2, then 'ws://c/?x=1&Authorization=two'",
            None
        ),
        "first ws://a/?Authorization=[redacted]&b=2, then 'ws://c/?x=1&Authorization=[redacted]'"
    );
}

#[test]
fn secret_occurring_twice_is_redacted_twice() {
    assert_eq!(
        redact(
            "The subprotocol 'secret-ticket-123' is invalid (secret-ticket-123).",
            Some("secret-ticket-123")
        ),
        "The subprotocol '[redacted]' is invalid ([redacted])."
    );
    // Back to back.
    assert_eq!(redact("abcdabcd", Some("abcd")), "[redacted][redacted]");
}

#[test]
fn secret_and_authorization_parameter_together() {
    assert_eq!(
        redact(
            "ws://h/?Authorization=tok-4567&s=1 (token tok-4567)",
            Some("tok-4567")
        ),
        "ws://h/?Authorization=[redacted]&s=1 (token [redacted])"
    );
}

#[test]
fn secret_of_four_characters_is_redacted() {
    assert_eq!(
        redact("the token abcd leaked", Some("abcd")),
        "the token [redacted] leaked"
    );
}

#[test]
fn short_secret_is_left_untouched() {
    for secret in ["", "a", "ab", "abc"] {
        assert_eq!(
            redact("abc and abc again", Some(secret)),
            "abc and abc again",
            "{secret:?}"
        );
    }
    // The Authorization parameter is still redacted.
    assert_eq!(
        redact("ws://h/?Authorization=abc", Some("abc")),
        "ws://h/?Authorization=[redacted]"
    );
}

#[test]
fn text_without_credentials_is_unchanged() {
    for text in [
        "",
        "Failed to construct 'WebSocket': The URL 'ws://127.0.0.1:99999/ws' is invalid.",
        "Authorization: Bearer is a header, not a parameter",
        "héllo wörld ✓",
    ] {
        assert_eq!(redact(text, None), text);
        assert_eq!(redact(text, Some("not-in-the-text")), text);
    }
    assert_eq!(redact("héllo wörld ✓", Some("wörld")), "héllo [redacted] ✓");
}

#[test]
fn params_certainly_over_the_limit_are_refused_unread() {
    use optave_core::outbound::{refuse_oversized, MAX_ENVELOPE_BYTES, MAX_PARAMS_UNITS};
    assert_eq!(MAX_PARAMS_UNITS, 2 * MAX_ENVELOPE_BYTES);
    assert!(refuse_oversized(0, 0.0).is_ok());
    assert!(refuse_oversized(MAX_PARAMS_UNITS, 0.0).is_ok());
    let err = refuse_oversized(MAX_PARAMS_UNITS + 1, 0.0).unwrap_err();
    assert_eq!(err.code, "PAYLOAD_TOO_LARGE");
    assert_eq!(err.category.as_str(), "VALIDATION");
    let err = refuse_oversized(200_000_000, 0.0).unwrap_err();
    assert!(err.message.contains("200000000"), "{}", err.message);
    assert!(!err.suggestions.is_empty());
}
