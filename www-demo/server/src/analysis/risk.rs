//! `risk_assessment`: keyword rules for media, hacker and financial risk over
//! the customer's messages. Score = min(1, matches × 0.34).

use serde_json::{json, Value};

use super::text::{find_phrases, normalized, round3};
use super::Transcript;

/// Keywords per risk type (whole words or phrases, lower case).
#[rustfmt::skip]
const RULES: &[(&str, &[&str])] = &[
    (
        "media",
        &[
            "press", "journalist", "reporter", "twitter", "tweet", "facebook", "instagram",
            "tiktok", "social media", "review", "reviews", "news", "newspaper", "go public",
            "lawyer", "lawyers", "lawsuit", "sue", "attorney", "legal action",
        ],
    ),
    (
        "hacker",
        &[
            "password", "passwords", "hack", "hacked", "hacker", "breach", "phishing", "sql",
            "exploit", "malware", "account takeover", "someone logged", "unauthorized",
            "unauthorised", "stolen credentials", "two factor", "2fa", "otp",
        ],
    ),
    (
        "financial",
        &[
            "refund", "refunds", "chargeback", "fraud", "fraudulent", "dispute", "cancel subscription",
            "money back", "compensation", "overcharged", "double charged", "charged twice",
            "reimbursement", "reimburse",
        ],
    ),
];

/// The level of a risk score.
pub fn level(score: f64) -> &'static str {
    if score >= 0.67 {
        "high"
    } else if score >= 0.34 {
        "medium"
    } else {
        "low"
    }
}

/// The three `risk_assessment` result objects (media, hacker, financial).
pub fn analyse(t: &Transcript) -> Vec<Value> {
    let norm = normalized(&t.customer_text());
    RULES
        .iter()
        .map(|(risk_type, keywords)| {
            let matches = find_phrases(&norm, keywords);
            let score = round3((matches.len() as f64 * 0.34).min(1.0));
            json!({
                "riskType": risk_type,
                "level": level(score),
                "score": score,
                "matches": matches,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::customer_says;

    #[test]
    fn flags_each_risk_type() {
        let r = analyse(&customer_says(&[
            "I will post a review on Twitter and call my lawyer unless I get a refund",
        ]));
        assert_eq!(r[0]["riskType"], "media");
        assert_eq!(r[0]["level"], "high");
        assert_eq!(r[0]["matches"], json!(["twitter", "review", "lawyer"]));
        assert_eq!(r[1]["level"], "low");
        assert_eq!(r[2]["level"], "medium");
        let calm = analyse(&customer_says(&["Hi, can you help me?"]));
        assert!(calm
            .iter()
            .all(|x| x["level"] == "low" && x["score"] == 0.0));
    }
}
