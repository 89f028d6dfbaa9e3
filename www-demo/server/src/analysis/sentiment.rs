//! `sentiment_analysis`: VADER (the `vader_sentiment` lexicon) over the
//! customer's messages, with a few customer-service adjustments to the
//! lexicon, plus one score per participant.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{json, Value};
use unicase::UniCase;
use vader_sentiment::{SentimentIntensityAnalyzer, LEXICON};

use super::text::round3;
use super::Transcript;

/// Customer-service adjustments to the VADER lexicon: "sure" is mostly an
/// acknowledgement in support chats, and a few service failures are missing.
const DOMAIN_VALENCES: &[(&str, f64)] = &[
    ("sure", 0.2),
    ("canceled", -1.0),
    ("overcharged", -2.0),
    ("rebook", -0.4),
    ("refund", -0.5),
    ("chargeback", -1.5),
];

static DOMAIN_LEXICON: LazyLock<HashMap<UniCase<&'static str>, f64>> = LazyLock::new(|| {
    let mut lexicon = LEXICON.clone();
    for (word, valence) in DOMAIN_VALENCES {
        lexicon.insert(UniCase::new(*word), *valence);
    }
    lexicon
});

/// The VADER scores of one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Normalised compound score, -1..1.
    pub compound: f64,
    /// Proportion of positive weight.
    pub positive: f64,
    /// Proportion of neutral weight.
    pub neutral: f64,
    /// Proportion of negative weight.
    pub negative: f64,
}

/// Scores one text (an empty text is neutral).
pub fn scores(text: &str) -> Scores {
    if text.trim().is_empty() {
        return Scores {
            compound: 0.0,
            positive: 0.0,
            neutral: 1.0,
            negative: 0.0,
        };
    }
    let analyzer = SentimentIntensityAnalyzer::from_lexicon(&DOMAIN_LEXICON);
    let s = analyzer.polarity_scores(text);
    let get = |k: &str| s.get(k).copied().filter(|x| x.is_finite()).unwrap_or(0.0);
    Scores {
        compound: get("compound"),
        positive: get("pos"),
        neutral: get("neu"),
        negative: get("neg"),
    }
}

/// `positive` (compound >= 0.05), `negative` (<= -0.05) or `neutral`.
pub fn label(compound: f64) -> &'static str {
    if compound >= 0.05 {
        "positive"
    } else if compound <= -0.05 {
        "negative"
    } else {
        "neutral"
    }
}

/// The compound score of the customer's messages.
pub fn customer_compound(t: &Transcript) -> f64 {
    scores(&t.customer_text()).compound
}

/// The `sentiment_analysis` result object.
pub fn analyse(t: &Transcript) -> Value {
    let overall = scores(&t.customer_text());
    let by_participant: Vec<Value> = t
        .participants
        .iter()
        .map(|p| {
            let text: Vec<&str> = t
                .messages
                .iter()
                .filter(|m| m.participant_id == p.id)
                .map(|m| m.content.as_str())
                .collect();
            json!({
                "participantId": p.id,
                "displayName": p.display_name,
                "role": p.raw_role,
                "score": round3(scores(&text.join("\n")).compound),
            })
        })
        .collect();
    json!({
        "sentiment": label(overall.compound),
        "score": round3(overall.compound),
        "positive": round3(overall.positive),
        "neutral": round3(overall.neutral),
        "negative": round3(overall.negative),
        "byParticipant": by_participant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_and_labels() {
        assert!(scores("I love this, it is great!").compound > 0.5);
        assert!(scores("This is terrible and unacceptable").compound < -0.5);
        assert_eq!(label(0.0), "neutral");
        assert_eq!(label(0.05), "positive");
        assert_eq!(label(-0.05), "negative");
        assert_eq!(scores("   ").compound, 0.0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "!!!",
            "???",
            "😀😡",
            "a",
            "'",
            "...",
            "ÉÉÉ ÑÑ",
            "but but but",
            "never",
        ] {
            let s = scores(text);
            assert!((-1.0..=1.0).contains(&s.compound));
        }
    }
}
