//! The text-producing superpowers: `summary` (summarize), `translation`
//! (translate), `adjust_suggestion` (adjust) and `elevate_suggestion`
//! (elevate). All are deterministic stand-ins for a language model.

use serde_json::{json, Value};

use super::escalation::{self, THRESHOLD};
use super::language;
use super::text::sentences;
use super::{Role, Transcript};
use crate::envelope::lookup;

/// Default target of `translate` when `settings.overrideOutputLanguage` is empty.
pub const DEFAULT_TARGET_LANGUAGE: &str = "en-US";

fn non_empty_str<'a>(request: &'a Value, path: &str) -> &'a str {
    lookup(request, path)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("")
}

fn names(t: &Transcript, role: Role) -> Vec<String> {
    t.participants
        .iter()
        .filter(|p| p.role == role && !p.display_name.is_empty())
        .map(|p| p.display_name.clone())
        .collect()
}

/// `summary`: an extractive summary (who contacted whom, the customer's first
/// message, the last message).
pub fn summarize(t: &Transcript) -> Value {
    let customers = names(t, Role::Customer);
    let agents = names(t, Role::Agent);
    let who = if customers.is_empty() {
        "A customer".to_owned()
    } else {
        customers.join(" and ")
    };
    let mut summary = if agents.is_empty() {
        format!("{who} contacted support.")
    } else {
        format!(
            "{who} contacted support and spoke with {}.",
            agents.join(" and ")
        )
    };
    if let Some(first) = t.messages.iter().find(|m| m.role == Role::Customer) {
        summary.push_str(&format!(
            " First customer message: \"{}\".",
            first.content.trim()
        ));
    }
    if let Some(last) = t.messages.last() {
        let author = if last.display_name.is_empty() {
            "an unknown participant"
        } else {
            last.display_name.as_str()
        };
        summary.push_str(&format!(
            " Last message, from {author}: \"{}\".",
            last.content.trim()
        ));
    }
    let participants: Vec<&str> = t
        .participants
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    json!({
        "summary": summary,
        "messageCount": t.messages.len(),
        "participants": participants,
    })
}

/// `translation`. A deterministic stand-in, not a translator: a message whose
/// detected language already matches the target is returned unchanged,
/// anything else is returned as `"[<target>] " + original`.
pub fn translate(t: &Transcript, request: &Value, hint: Option<&str>) -> Value {
    let target = match non_empty_str(request, "request.settings.overrideOutputLanguage") {
        "" => DEFAULT_TARGET_LANGUAGE,
        s => s,
    };
    let target_primary = target
        .split(['-', '_'])
        .next()
        .unwrap_or(target)
        .to_ascii_lowercase();
    let source = language::detect_conversation(t, hint).code;
    let messages: Vec<Value> = t
        .messages
        .iter()
        .map(|m| {
            let translated = if source == target_primary {
                m.content.clone()
            } else {
                format!("[{target}] {}", m.content)
            };
            json!({
                "participantId": m.participant_id,
                "original": m.content,
                "translated": translated,
            })
        })
        .collect();
    json!({
        "targetLanguage": target,
        "sourceLanguage": source,
        "messages": messages,
    })
}

/// Contractions expanded by the `formal` rewrite (lower-case forms).
const CONTRACTIONS: &[(&str, &str)] = &[
    ("can't", "cannot"),
    ("won't", "will not"),
    ("n't", " not"),
    ("i'm", "I am"),
    ("'re", " are"),
    ("'ll", " will"),
    ("'ve", " have"),
    ("'d", " would"),
    ("let's", "let us"),
    ("it's", "it is"),
    ("that's", "that is"),
    ("there's", "there is"),
    ("what's", "what is"),
];

/// Expands contractions and capitalises the first letter of every sentence.
pub fn formalize(text: &str) -> String {
    let mut s = text.replace('’', "'");
    for (short, long) in CONTRACTIONS {
        s = replace_ascii_case_insensitive(&s, short, long);
    }
    sentences(&s)
        .iter()
        .map(|sentence| {
            let mut chars = sentence.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Replaces an ASCII pattern regardless of case (UTF-8 safe).
fn replace_ascii_case_insensitive(haystack: &str, pattern: &str, with: &str) -> String {
    let lower = haystack.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    for (i, _) in lower.match_indices(pattern) {
        out.push_str(haystack.get(last..i).unwrap_or(""));
        out.push_str(with);
        last = i + pattern.len();
    }
    out.push_str(haystack.get(last..).unwrap_or(""));
    out
}

/// `adjust_suggestion`: applies simple instructions to `attributes.content`.
pub fn adjust(request: &Value) -> Value {
    let original = non_empty_str(request, "request.attributes.content");
    let instruction = non_empty_str(request, "request.attributes.instruction");
    let wanted = instruction.to_lowercase();
    let mut content = original.trim().to_owned();
    let mut applied: Vec<&str> = Vec::new();
    if wanted.contains("formal") {
        content = formalize(&content);
        applied.push("formal");
    }
    if wanted.contains("shorter") || wanted.contains("concise") || wanted.contains("short") {
        if let Some(first) = sentences(&content).into_iter().next() {
            content = first;
        }
        applied.push("shorter");
    }
    if wanted.contains("friendly") || wanted.contains("empathetic") || wanted.contains("empathy") {
        content = format!("I completely understand. {content}");
        applied.push("empathetic");
    }
    let mut result = json!({
        "original": original,
        "instruction": instruction,
        "content": content,
        "applied": applied,
    });
    if applied.is_empty() {
        result["note"] = json!(format!(
            "no automatic rewrite for instruction \"{instruction}\""
        ));
    }
    result
}

/// `elevate_suggestion`: hand the conversation to a human agent.
pub fn elevate(t: &Transcript, request: &Value) -> Value {
    let need = escalation::analyse(t);
    let reason = if need.reasons.is_empty() {
        "escalation requested by the agent".to_owned()
    } else {
        need.reasons.join("; ")
    };
    json!({
        "content": non_empty_str(request, "request.attributes.content"),
        "escalationTarget": "human_agent",
        "priority": if need.score >= THRESHOLD { "high" } else { "normal" },
        "reason": reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjust_with(content: &str, instruction: &str) -> Value {
        adjust(&json!({ "attributes": { "content": content, "instruction": instruction } }))
    }

    #[test]
    fn adjust_rules() {
        let r = adjust_with(
            "I can't do that. We'll call you back tomorrow.",
            "Make it shorter",
        );
        assert_eq!(r["content"], "I can't do that.");
        let r = adjust_with("i can't do that. we're on it.", "more formal please");
        assert_eq!(r["content"], "I cannot do that. We are on it.");
        let r = adjust_with("Your refund is on its way.", "be empathetic");
        assert_eq!(
            r["content"],
            "I completely understand. Your refund is on its way."
        );
        let r = adjust_with("Hello ünïcode", "rhyme it");
        assert_eq!(r["content"], "Hello ünïcode");
        assert!(r["note"].as_str().unwrap().contains("rhyme it"));
    }

    #[test]
    fn translate_marks_foreign_target() {
        let req = json!({
            "settings": { "overrideOutputLanguage": "fr-FR" },
            "scope": { "conversations": [ { "participants": [],
                "messages": [ { "participantId": "c", "content": "I would like to change my booking please" } ] } ] }
        });
        let t = Transcript::from_request(&req);
        let r = translate(&t, &req, Some("en-GB"));
        assert_eq!(r["sourceLanguage"], "en");
        assert_eq!(
            r["messages"][0]["translated"],
            "[fr-FR] I would like to change my booking please"
        );
        let r = translate(&t, &json!({}), Some("en"));
        assert_eq!(r["targetLanguage"], "en-US");
        assert_eq!(r["messages"][0]["translated"], r["messages"][0]["original"]);
    }
}
