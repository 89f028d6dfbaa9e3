//! The documentation's own params (the seed pages' payloads, kept as the
//! core's fixtures) for each of the nine actions, as a page that starts from
//! the docs sends them: every one carries the same `request.requestId`.
#![allow(dead_code)]

use serde_json::{json, Value};

/// The requestId every documentation page carries.
pub const DOCS_REQUEST_ID: &str = "a1b2c3d4-e5f6-7890-1234-56789ab2345";

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

/// The nine actions with the documentation's params as written; the pages
/// without params of their own reuse seed 002's, and `elevate`/`adjust` add
/// what they require beyond them (the parent being the first request).
pub fn docs_sends() -> Vec<(&'static str, Value)> {
    let seed002 = || {
        fixture(include_str!(
            "../../core/tests/fixtures/seed002_interaction_params.json"
        ))
    };
    let follow_up = |instruction: Option<&str>| {
        let mut p = seed002();
        p["request"]["connections"]["parentId"] = json!(DOCS_REQUEST_ID);
        p["request"]["attributes"]["content"] = json!("Customer asks for a supervisor");
        if let Some(i) = instruction {
            p["request"]["attributes"]["instruction"] = json!(i);
        }
        p
    };
    vec![
        ("interaction", seed002()),
        (
            "reception",
            fixture(include_str!(
                "../../core/tests/fixtures/seed001_reception_params.json"
            )),
        ),
        (
            "customerInteraction",
            fixture(include_str!(
                "../../core/tests/fixtures/seed000_customerinteraction_params.json"
            )),
        ),
        (
            "insights",
            fixture(include_str!(
                "../../core/tests/fixtures/seed003_insights_params.json"
            )),
        ),
        (
            "recommend",
            fixture(include_str!(
                "../../core/tests/fixtures/seed004_recommend_params.json"
            )),
        ),
        ("summarize", seed002()),
        ("translate", seed002()),
        ("elevate", follow_up(None)),
        ("adjust", follow_up(Some("Use a more formal tone"))),
    ]
}
