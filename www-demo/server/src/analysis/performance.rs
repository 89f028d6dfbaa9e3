//! `performance_criteria` (insights): agent response times from the message
//! timestamps (RFC 3339), and phrase rules for greeting, empathy and an
//! offered resolution in the agent's messages.

use std::time::SystemTime;

use serde_json::{json, Value};

use super::text::{find_phrases, normalized};
use super::{Message, Role, Transcript};
use crate::timestamp::parse_timestamp;

/// A response time at or under this is `good`.
pub const GOOD_MS: u64 = 60_000;
/// A response time at or under this (and over [`GOOD_MS`]) is `fair`.
pub const FAIR_MS: u64 = 300_000;

const GREETINGS: &[&str] = &[
    "hello",
    "hi",
    "hey",
    "good morning",
    "good afternoon",
    "good evening",
    "welcome",
    "thanks for contacting",
    "thank you for contacting",
    "thanks for reaching out",
    "thank you for reaching out",
];

const EMPATHY: &[&str] = &[
    "understand",
    "sorry",
    "frustrating",
    "apologize",
    "apologise",
    "apologies",
    "happy to help",
    "i can imagine",
    "that must be",
];

const RESOLUTION: &[&str] = &[
    "let me help",
    "i can help you with",
    "i will",
    "ill",
    "we will",
    "rebook",
    "rebooking",
    "refund",
    "replace",
    "resolve",
    "fix",
    "here is",
    "i have updated",
    "i have changed",
];

/// `good`, `fair` or `poor` for a response time; `unknown` without one.
pub fn rating(value_ms: Option<u64>) -> &'static str {
    match value_ms {
        None => "unknown",
        Some(ms) if ms <= GOOD_MS => "good",
        Some(ms) if ms <= FAIR_MS => "fair",
        Some(_) => "poor",
    }
}

fn time_of(m: &Message) -> Option<SystemTime> {
    m.timestamp.as_deref().and_then(parse_timestamp)
}

fn millis_between(from: SystemTime, to: SystemTime) -> Option<u64> {
    to.duration_since(from)
        .ok()
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Time from the first customer message to the first agent reply after it.
pub fn first_response_ms(t: &Transcript) -> Option<u64> {
    let first = t.messages.iter().position(|m| m.role == Role::Customer)?;
    let asked = t.messages.get(first)?;
    let reply = t
        .messages
        .iter()
        .skip(first + 1)
        .find(|m| m.role == Role::Agent)?;
    millis_between(time_of(asked)?, time_of(reply)?)
}

/// Mean time from the start of each customer turn to the agent's reply.
pub fn average_response_ms(t: &Transcript) -> Option<u64> {
    let mut waiting: Option<Option<SystemTime>> = None;
    let mut gaps: Vec<u64> = Vec::new();
    for m in &t.messages {
        match m.role {
            Role::Customer if waiting.is_none() => waiting = Some(time_of(m)),
            Role::Agent => {
                if let Some(Some(since)) = waiting.take() {
                    if let Some(ms) = time_of(m).and_then(|to| millis_between(since, to)) {
                        gaps.push(ms);
                    }
                }
            }
            _ => {}
        }
    }
    if gaps.is_empty() {
        return None;
    }
    Some(gaps.iter().sum::<u64>() / gaps.len() as u64)
}

/// The first agent message containing one of `phrases`, with the phrases found.
fn agent_evidence<'a>(t: &'a Transcript, phrases: &[&str]) -> Option<(&'a Message, Vec<String>)> {
    t.agent_messages().into_iter().find_map(|m| {
        let found = find_phrases(&normalized(&m.content), phrases);
        (!found.is_empty()).then_some((m, found))
    })
}

fn phrase_criterion(t: &Transcript, name: &str, phrases: &[&str]) -> Value {
    match agent_evidence(t, phrases) {
        Some((m, found)) => json!({
            "criterion": name,
            "met": true,
            "evidence": m.content,
            "matches": found,
        }),
        None => json!({
            "criterion": name,
            "met": false,
            "evidence": format!("no {} phrase found in the agent's messages", name.replace('_', " ")),
            "matches": [],
        }),
    }
}

fn time_criterion(name: &str, value_ms: Option<u64>) -> Value {
    json!({ "criterion": name, "valueMs": value_ms, "rating": rating(value_ms) })
}

/// The `performance_criteria` result objects.
pub fn analyse(t: &Transcript) -> Vec<Value> {
    vec![
        time_criterion("first_response_time", first_response_ms(t)),
        time_criterion("average_response_time", average_response_ms(t)),
        phrase_criterion(t, "greeting", GREETINGS),
        phrase_criterion(t, "empathy", EMPATHY),
        phrase_criterion(t, "resolution_offered", RESOLUTION),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chat(lines: &[(&str, &str, &str)]) -> Transcript {
        let messages: Vec<Value> = lines
            .iter()
            .map(
                |(who, text, ts)| json!({ "participantId": who, "content": text, "timestamp": ts }),
            )
            .collect();
        Transcript::from_request(&json!({ "scope": { "conversations": [ {
            "participants": [
                { "participantId": "c", "displayName": "C", "role": "user" },
                { "participantId": "a", "displayName": "A", "role": "operator" } ],
            "messages": messages } ] } }))
    }

    #[test]
    fn response_times_and_ratings() {
        let t = chat(&[
            ("c", "one", "2024-01-15T10:00:00.000Z"),
            ("c", "two", "2024-01-15T10:00:30.000Z"),
            ("a", "Hello there", "2024-01-15T10:02:00.000Z"),
            ("c", "three", "2024-01-15T10:03:00.000Z"),
            ("a", "ok", "2024-01-15T10:13:00.000Z"),
        ]);
        assert_eq!(first_response_ms(&t), Some(120_000));
        assert_eq!(average_response_ms(&t), Some(360_000));
        assert_eq!(rating(Some(60_000)), "good");
        assert_eq!(rating(Some(120_000)), "fair");
        assert_eq!(rating(Some(360_000)), "poor");
        let r = analyse(&t);
        assert_eq!(r[2]["met"], true);
        assert_eq!(r[2]["evidence"], "Hello there");
    }

    #[test]
    fn bad_timestamps_are_unknown() {
        let t = chat(&[
            ("c", "one", "yesterday"),
            ("a", "hi", "2024-01-15T10:02:00Z"),
        ]);
        let r = analyse(&t);
        assert_eq!(r[0]["valueMs"], Value::Null);
        assert_eq!(r[0]["rating"], "unknown");
        assert_eq!(r[1]["rating"], "unknown");
    }
}
