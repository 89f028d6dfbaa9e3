//! Deterministic stand-in analysis behind each superpower: which superpowers
//! answer which action, the conversation model they read
//! (`request.scope.conversations`), and the dispatch from an `actionType` to
//! its analyser. Same input, same output.

pub mod escalation;
pub mod language;
pub mod performance;
pub mod recommend;
pub mod risk;
pub mod search;
pub mod sentiment;
pub mod text;
pub mod text_actions;

use serde_json::{json, Value};

use crate::envelope::Action;

/// The superpowers (`actionType`s) that answer an action, in sending order.
pub fn superpowers(action: Action) -> &'static [&'static str] {
    match action {
        Action::Interaction | Action::CustomerInteraction | Action::Reception => &[
            "sentiment_analysis",
            "risk_assessment",
            "escalation_need",
            "language_identification",
            "search_requirements",
        ],
        Action::Insights => &["performance_criteria", "sentiment_analysis"],
        Action::Recommend => &["recommend", "sentiment_analysis"],
        Action::Summarize => &["summary"],
        Action::Translate => &["translation"],
        Action::Adjust => &["adjust_suggestion"],
        Action::Elevate => &["escalation_need", "elevate_suggestion"],
    }
}

/// Who a participant is, from its `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `user`: the customer.
    Customer,
    /// `operator` or `bot`: the agent side.
    Agent,
    /// Anything else, or an unknown participant.
    Other,
}

impl Role {
    fn from_wire(role: &str) -> Role {
        match role {
            "user" => Role::Customer,
            "operator" | "bot" => Role::Agent,
            _ => Role::Other,
        }
    }
}

/// One participant of a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// `participantId`.
    pub id: String,
    /// `displayName`.
    pub display_name: String,
    /// `role` as sent (`user`, `operator`, `bot`...).
    pub raw_role: String,
    /// The role class.
    pub role: Role,
}

/// One message, with its author resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `participantId`.
    pub participant_id: String,
    /// The author's display name (empty when unknown).
    pub display_name: String,
    /// The author's role class.
    pub role: Role,
    /// `content`.
    pub content: String,
    /// `timestamp` as sent, if it was a string.
    pub timestamp: Option<String>,
}

/// Every conversation of a request, flattened in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// Distinct participants (by id), in order of first appearance.
    pub participants: Vec<Participant>,
    /// All messages, conversation after conversation.
    pub messages: Vec<Message>,
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

impl Transcript {
    /// Reads `request.scope.conversations`; anything malformed is skipped.
    pub fn from_request(request: &Value) -> Transcript {
        let mut t = Transcript::default();
        let conversations = request
            .get("scope")
            .and_then(|s| s.get("conversations"))
            .and_then(Value::as_array);
        for conv in conversations.into_iter().flatten() {
            let mut local: Vec<Participant> = Vec::new();
            let parts = conv.get("participants").and_then(Value::as_array);
            for p in parts.into_iter().flatten() {
                let raw_role = str_of(p, "role").to_owned();
                let part = Participant {
                    id: str_of(p, "participantId").to_owned(),
                    display_name: str_of(p, "displayName").to_owned(),
                    role: Role::from_wire(&raw_role),
                    raw_role,
                };
                if !t.participants.iter().any(|q| q.id == part.id) {
                    t.participants.push(part.clone());
                }
                local.push(part);
            }
            let msgs = conv.get("messages").and_then(Value::as_array);
            for m in msgs.into_iter().flatten() {
                let pid = str_of(m, "participantId");
                let author = local.iter().find(|p| p.id == pid);
                t.messages.push(Message {
                    participant_id: pid.to_owned(),
                    display_name: author.map(|p| p.display_name.clone()).unwrap_or_default(),
                    role: author.map_or(Role::Other, |p| p.role),
                    content: str_of(m, "content").to_owned(),
                    timestamp: m
                        .get("timestamp")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
        }
        t
    }

    /// The customer's messages, or every message when there is no customer.
    pub fn customer_messages(&self) -> Vec<&Message> {
        let customer: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| m.role == Role::Customer)
            .collect();
        if customer.is_empty() {
            self.messages.iter().collect()
        } else {
            customer
        }
    }

    /// The customer's messages joined by line breaks (all text without one).
    pub fn customer_text(&self) -> String {
        join(self.customer_messages())
    }

    /// Every message joined by line breaks.
    pub fn all_text(&self) -> String {
        join(self.messages.iter().collect())
    }

    /// The agent side's messages.
    pub fn agent_messages(&self) -> Vec<&Message> {
        self.messages
            .iter()
            .filter(|m| m.role == Role::Agent)
            .collect()
    }
}

fn join(messages: Vec<&Message>) -> String {
    messages
        .iter()
        .map(|m| m.content.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What an analyser gets: the raw request, the session and the transcript.
#[derive(Debug)]
pub struct Input<'a> {
    /// `payload.request`.
    pub request: &'a Value,
    /// `payload.session` (may be `null`).
    pub session: &'a Value,
    /// The conversations, flattened.
    pub transcript: Transcript,
}

impl<'a> Input<'a> {
    /// Builds the input of one request.
    pub fn new(request: &'a Value, session: &'a Value) -> Self {
        Input {
            request,
            session,
            transcript: Transcript::from_request(request),
        }
    }

    /// The language the channel declares (`session.channel.language`, else
    /// `session.interface.language`), if any.
    pub fn language_hint(&self) -> Option<&'a str> {
        ["channel", "interface"].into_iter().find_map(|part| {
            self.session
                .get(part)
                .and_then(|p| p.get("language"))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        })
    }
}

/// Runs one superpower; returns the items of `message.results[0].response`.
pub fn run(action_type: &str, input: &Input<'_>) -> Vec<Value> {
    let t = &input.transcript;
    match action_type {
        "sentiment_analysis" => vec![sentiment::analyse(t)],
        "risk_assessment" => risk::analyse(t),
        "escalation_need" => vec![escalation::analyse(t).to_json()],
        "language_identification" => vec![language::analyse(t, input.language_hint())],
        "search_requirements" => vec![search::analyse(t)],
        "performance_criteria" => performance::analyse(t),
        "recommend" => recommend::analyse(t, input.request),
        "summary" => vec![text_actions::summarize(t)],
        "translation" => vec![text_actions::translate(
            t,
            input.request,
            input.language_hint(),
        )],
        "adjust_suggestion" => vec![text_actions::adjust(input.request)],
        "elevate_suggestion" => vec![text_actions::elevate(t, input.request)],
        other => vec![json!({ "content": format!("no analyser for '{other}'") })],
    }
}

/// A transcript in which one customer (`participantId` "c") says each of `lines`.
#[cfg(test)]
pub(crate) fn customer_says(lines: &[&str]) -> Transcript {
    let messages: Vec<Value> = lines
        .iter()
        .map(|l| json!({ "participantId": "c", "content": l }))
        .collect();
    Transcript::from_request(&json!({ "scope": { "conversations": [ {
        "participants": [ { "participantId": "c", "displayName": "C", "role": "user" } ],
        "messages": messages } ] } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_resolves_roles_and_survives_junk() {
        let req = json!({ "scope": { "conversations": [
            { "participants": [
                { "participantId": "c", "displayName": "Cy", "role": "user" },
                { "participantId": "a", "displayName": "Al", "role": "bot" } ],
              "messages": [
                { "participantId": "c", "content": "hi", "timestamp": "x" },
                { "participantId": "a", "content": 5 },
                { "participantId": "zz", "content": "who?" } ] },
            "junk", { "messages": "nope" } ] } });
        let t = Transcript::from_request(&req);
        assert_eq!(t.participants.len(), 2);
        assert_eq!(t.messages.len(), 3);
        assert_eq!(t.messages[0].role, Role::Customer);
        assert_eq!(t.messages[1].role, Role::Agent);
        assert_eq!(t.messages[2].role, Role::Other);
        assert_eq!(t.customer_text(), "hi");
        assert!(Transcript::from_request(&json!(null)).messages.is_empty());
    }
}
