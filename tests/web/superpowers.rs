//! The one table of which superpowers the local server answers each action
//! with (`www-demo/server/src/analysis`), shared by the browser tests.
#![allow(dead_code)]

/// Each action (as the page names it) and the superpower `actionType`s the
/// local server answers it with.
pub const EXPECTED: [(&str, &[&str]); 9] = [
    ("interaction", CONVERSATION),
    ("reception", CONVERSATION),
    ("customerInteraction", CONVERSATION),
    ("insights", &["performance_criteria", "sentiment_analysis"]),
    ("recommend", &["recommend", "sentiment_analysis"]),
    ("summarize", &["summary"]),
    ("translate", &["translation"]),
    ("adjust", &["adjust_suggestion"]),
    ("elevate", &["escalation_need", "elevate_suggestion"]),
];

/// What `interaction`, `reception` and `customerInteraction` are answered with.
const CONVERSATION: &[&str] = &[
    "sentiment_analysis",
    "risk_assessment",
    "escalation_need",
    "language_identification",
    "search_requirements",
];

/// The superpowers `action` is answered with (none for an unknown action).
pub fn expected(action: &str) -> &'static [&'static str] {
    EXPECTED
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(&[], |(_, sp)| sp)
}
