//! `recommend`: ranks `request.resources.offers` (open JSON objects) by term
//! overlap between the conversation and every string value in the offer.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::text::{content_words, round3};
use super::Transcript;

/// Deepest nesting walked inside one offer.
const MAX_DEPTH: usize = 16;

/// Distinct content words of every string value in `v`, in document order.
pub fn offer_terms(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(v, 0, &mut out);
    let mut seen = HashSet::new();
    out.retain(|w| seen.insert(w.clone()));
    out
}

fn collect(v: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::String(s) => out.extend(content_words(s)),
        Value::Array(items) => items.iter().for_each(|x| collect(x, depth + 1, out)),
        Value::Object(map) => map.values().for_each(|x| collect(x, depth + 1, out)),
        _ => {}
    }
}

/// The `recommend` result objects: one per offer, best first (ties keep the
/// offers' original order).
pub fn analyse(t: &Transcript, request: &Value) -> Vec<Value> {
    let conversation: HashSet<String> = content_words(&t.all_text()).into_iter().collect();
    let offers = request
        .get("resources")
        .and_then(|r| r.get("offers"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut scored: Vec<(f64, Vec<String>, &Value)> = offers
        .iter()
        .map(|offer| {
            let terms = offer_terms(offer);
            let matched: Vec<String> = terms
                .iter()
                .filter(|w| conversation.contains(*w))
                .cloned()
                .collect();
            let score = if terms.is_empty() {
                0.0
            } else {
                round3(matched.len() as f64 / terms.len() as f64)
            };
            (score, matched, offer)
        })
        .collect();
    // `sort_by` is stable: equal scores keep the original order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .enumerate()
        .map(|(i, (score, matched, offer))| {
            json!({ "rank": i + 1, "score": score, "offer": offer, "matchedTerms": matched })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_overlap_with_stable_ties() {
        let request = json!({
            "scope": { "conversations": [ {
                "participants": [ { "participantId": "c", "displayName": "C", "role": "user" } ],
                "messages": [ { "participantId": "c", "content": "I enjoy warm weather and beaches" } ] } ] },
            "resources": { "offers": [
                { "id": "a", "title": "Office chair" },
                { "id": "b", "title": "Ski pass" },
                { "id": "c", "details": { "tags": ["Beach", "warm sun"] }, "price": 100 },
                {}
            ] }
        });
        let t = Transcript::from_request(&request);
        let r = analyse(&t, &request);
        assert_eq!(r.len(), 4);
        assert_eq!(r[0]["offer"]["id"], "c");
        assert_eq!(r[0]["rank"], 1);
        assert_eq!(r[0]["matchedTerms"], json!(["beach", "warm"]));
        assert_eq!(r[1]["offer"]["id"], "a");
        assert_eq!(r[2]["offer"]["id"], "b");
        assert_eq!(r[3]["offer"], json!({}));
        assert_eq!(r[3]["score"], 0.0);
    }
}
