//! Tests of the envelope checks (`envelope.rs`).

use super::*;

#[test]
fn lone_surrogate_escapes_are_read_as_replacement_characters() {
    assert_eq!(lone_surrogates_replaced(r#"{"a":"ok \ud83d\ude00"}"#), None);
    assert_eq!(
        lone_surrogates_replaced(r#"{"a":"x\ud83d","b":"\\ud800","c":"\udc00y"}"#).as_deref(),
        Some(r#"{"a":"x\ufffd","b":"\\ud800","c":"\ufffdy"}"#)
    );
}

#[test]
fn action_names_are_exact() {
    assert_eq!(
        Action::from_wire("customerinteraction"),
        Some(Action::CustomerInteraction)
    );
    assert_eq!(Action::from_wire("customerInteraction"), None);
    assert_eq!(Action::from_wire("Interaction"), None);
}
