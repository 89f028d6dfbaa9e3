//! Which superpowers the local server answers each action with, read from
//! the one table the server's own tests, the browser tests and the demo's
//! end-to-end tests share (`tests/superpowers.json`: `[action as the page
//! names it, [actionType, ...]]`, in the order the server sends them).
#![allow(dead_code)]

const TABLE: &str = include_str!("../superpowers.json");

/// Each action (as the page names it) and its superpower `actionType`s.
pub fn expected_table() -> Vec<(&'static str, Vec<&'static str>)> {
    serde_json::from_str(TABLE).expect("tests/superpowers.json is a list of [action, [actionType]]")
}

/// The superpowers `action` is answered with (none for an unknown action).
pub fn expected(action: &str) -> Vec<&'static str> {
    expected_table()
        .into_iter()
        .find(|(a, _)| *a == action)
        .map(|(_, sp)| sp)
        .unwrap_or_default()
}
