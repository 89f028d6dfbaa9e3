//! `search_requirements`: does the customer need something looked up? Finds
//! the customer's questions and search-intent sentences ("looking for",
//! "need to find"...) and the salient topics of the customer's text.

use serde_json::{json, Value};

use super::text::{content_words, find_phrases, normalized, sentences, words};
use super::Transcript;

/// Words that open a question.
#[rustfmt::skip]
const QUESTION_WORDS: &[&str] = &[
    "who", "what", "when", "where", "why", "how", "which", "can", "could", "do", "does", "is",
    "are",
];

/// Phrases that state a search intent.
const INTENT_PHRASES: &[&str] = &[
    "looking for",
    "look for",
    "need to find",
    "trying to find",
    "want to find",
    "search",
    "searching",
    "where can i",
    "information about",
    "information on",
];

/// Most topics reported.
const MAX_TOPICS: usize = 6;

/// True when the sentence is a question or states a search intent, and asks
/// about something (a bare "Can you help me?" asks about nothing).
fn is_query(sentence: &str) -> bool {
    let first = words(sentence).into_iter().next().unwrap_or_default();
    let question = sentence.ends_with('?') || QUESTION_WORDS.contains(&first.as_str());
    let intent = !find_phrases(&normalized(sentence), INTENT_PHRASES).is_empty();
    (question || intent) && !content_words(sentence).is_empty()
}

/// The most frequent content words, ties in order of first appearance.
pub fn topics(text: &str, max: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for w in content_words(text) {
        match counts.iter_mut().find(|(k, _)| *k == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((w, 1)),
        }
    }
    // A stable sort keeps first-appearance order among equal counts.
    counts.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    counts.into_iter().take(max).map(|(w, _)| w).collect()
}

/// The `search_requirements` result object.
pub fn analyse(t: &Transcript) -> Value {
    let text = t.customer_text();
    let mut queries: Vec<String> = Vec::new();
    for s in sentences(&text) {
        if is_query(&s) && !queries.contains(&s) {
            queries.push(s);
        }
    }
    let topics = if queries.is_empty() {
        Vec::new()
    } else {
        topics(&text, MAX_TOPICS)
    };
    json!({
        "searchNeeded": !queries.is_empty(),
        "queries": queries,
        "topics": topics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::customer_says;

    #[test]
    fn questions_and_intents() {
        let r = analyse(&customer_says(&[
            "Hi! What is the baggage allowance for flights to Lisbon? Thanks.",
            "Also how do I add a seat",
        ]));
        assert_eq!(r["searchNeeded"], true);
        // "Also how do I add a seat" opens with no question word and has no '?'.
        assert_eq!(
            r["queries"],
            json!(["What is the baggage allowance for flights to Lisbon?"])
        );
        assert!(
            !analyse(&customer_says(&["Hi, can you help me?"]))["searchNeeded"]
                .as_bool()
                .unwrap()
        );
        let r = analyse(&customer_says(&["I need to find a hotel near the airport"]));
        assert_eq!(r["topics"], json!(["hotel", "near", "airport"]));
    }
}
