//! `escalation_need`: keyword rules (manager, complaint, "speak to a
//! human"...) over the customer's messages, combined with negative customer
//! sentiment.

use serde_json::{json, Value};

use super::sentiment::customer_compound;
use super::text::{find_phrases, normalized, round3};
use super::Transcript;

/// Phrases that ask for, or point to, escalation.
#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "manager", "supervisor", "unacceptable", "complaint", "complain", "cancelled", "canceled",
    "frustrated", "frustrating", "angry", "furious", "lawyer", "speak to a human",
    "talk to a human", "real person", "human agent", "escalate", "ridiculous",
];

/// Weight of one keyword match.
const PER_MATCH: f64 = 0.3;
/// A score at or above this means escalate.
pub const THRESHOLD: f64 = 0.5;

/// The escalation verdict of a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// Whether to hand over to a human.
    pub escalate: bool,
    /// 0..1.
    pub score: f64,
    /// Why, in words.
    pub reasons: Vec<String>,
}

impl Escalation {
    /// The `escalation_need` result object.
    pub fn to_json(&self) -> Value {
        json!({ "escalate": self.escalate, "score": self.score, "reasons": self.reasons })
    }
}

/// Computes the escalation need of a conversation.
pub fn analyse(t: &Transcript) -> Escalation {
    let matches = find_phrases(&normalized(&t.customer_text()), KEYWORDS);
    let compound = customer_compound(t);
    let mut score = matches.len() as f64 * PER_MATCH;
    let mut reasons: Vec<String> = matches
        .iter()
        .map(|m| format!("customer mentioned \"{m}\""))
        .collect();
    if compound <= -0.05 {
        score += compound.abs() * 0.5;
        reasons.push(format!(
            "negative customer sentiment ({})",
            round3(compound)
        ));
    }
    let score = round3(score.min(1.0));
    Escalation {
        escalate: score >= THRESHOLD,
        score,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::customer_says;

    #[test]
    fn angry_customer_escalates_calm_one_does_not() {
        let e = analyse(&customer_says(&[
            "This is unacceptable, I am angry. I want to speak to a human manager now!",
        ]));
        assert!(e.escalate);
        assert_eq!(e.score, 1.0);
        assert!(e.reasons.iter().any(|r| r.contains("speak to a human")));
        let calm = analyse(&customer_says(&["Hi, can you help me?"]));
        assert!(!calm.escalate);
        assert!(calm.reasons.is_empty());
    }
}
