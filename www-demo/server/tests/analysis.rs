//! The analysis on the seed conversations, through the library API (no
//! socket): John Doe's greeting, Alice's cancelled flight, the December
//! holiday search and the offer ranking.

mod common;

use common::*;
use oco_local_server::analysis::{run, superpowers, Input};
use oco_local_server::envelope::Action;
use serde_json::{json, Value};

fn session() -> Value {
    json!({ "channel": { "language": "en-US" } })
}

fn analyse(power: &str, request: &Value) -> Vec<Value> {
    let session = session();
    let input = Input::new(request, &session);
    run(power, &input)
}

fn one(power: &str, request: &Value) -> Value {
    let mut items = analyse(power, request);
    assert_eq!(items.len(), 1, "{power}");
    items.remove(0)
}

fn criterion<'a>(items: &'a [Value], name: &str) -> &'a Value {
    items
        .iter()
        .find(|c| c["criterion"] == name)
        .unwrap_or_else(|| panic!("no criterion {name}"))
}

#[test]
fn john_doe_greeting_conversation() {
    let req = full_request(john_doe_conversation(), &[]);
    let s = one("sentiment_analysis", &req);
    assert_eq!(s["sentiment"], "positive");
    let by = s["byParticipant"].as_array().unwrap();
    assert_eq!(by.len(), 2);
    assert_eq!(by[0]["displayName"], "John Doe");
    assert_eq!(by[0]["role"], "user");
    assert_eq!(by[1]["displayName"], "Sarah Smith");

    let risks = analyse("risk_assessment", &req);
    let kinds: Vec<_> = risks.iter().map(|r| r["riskType"].clone()).collect();
    assert_eq!(kinds, ["media", "hacker", "financial"]);
    assert!(risks.iter().all(|r| r["level"] == "low"));

    assert_eq!(one("escalation_need", &req)["escalate"], false);
    let lang = one("language_identification", &req);
    assert_eq!(lang["language"], "en");
    assert_eq!(lang["languageName"], "English");
    assert_eq!(lang["script"], "Latin");
    // A plea for help is not a search.
    assert_eq!(one("search_requirements", &req)["searchNeeded"], false);

    let perf = analyse("performance_criteria", &req);
    assert_eq!(criterion(&perf, "first_response_time")["valueMs"], 15_000);
    assert_eq!(criterion(&perf, "first_response_time")["rating"], "good");
    assert_eq!(criterion(&perf, "greeting")["met"], true);

    let summary = one("summary", &req);
    assert_eq!(summary["messageCount"], 2);
    assert_eq!(summary["participants"], json!(["John Doe", "Sarah Smith"]));
    let text = summary["summary"].as_str().unwrap();
    assert!(text.contains("John Doe") && text.contains("Hi, can you help me?"));

    let tr = one("translation", &req);
    assert_eq!(tr["targetLanguage"], "en-US");
    assert_eq!(tr["sourceLanguage"], "en");
    assert_eq!(tr["messages"][0]["translated"], "Hi, can you help me?");
}

#[test]
fn alice_cancelled_flight() {
    let req = full_request(alice_flight_conversation(), &[]);
    let s = one("sentiment_analysis", &req);
    assert!(s["score"].as_f64().unwrap() < 0.0, "{s}");
    assert_ne!(s["sentiment"], "positive");

    let perf = analyse("performance_criteria", &req);
    assert_eq!(perf.len(), 5);
    let empathy = criterion(&perf, "empathy");
    assert_eq!(empathy["met"], true);
    assert!(empathy["evidence"]
        .as_str()
        .unwrap()
        .contains("I understand this is frustrating"));
    assert_eq!(criterion(&perf, "greeting")["met"], false);
    assert_eq!(criterion(&perf, "resolution_offered")["met"], true);
    assert_eq!(criterion(&perf, "first_response_time")["valueMs"], 30_000);
    assert_eq!(criterion(&perf, "average_response_time")["valueMs"], 30_000);
    assert_eq!(criterion(&perf, "average_response_time")["rating"], "good");

    let esc = one("escalation_need", &req);
    assert!(esc["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("cancelled")));
    let lang = one("language_identification", &req);
    assert_eq!(
        (lang["language"].clone(), lang["reliable"].clone()),
        (json!("en"), json!(true))
    );
}

#[test]
fn december_holiday_needs_a_search() {
    let req = full_request(holiday_conversation(), &[]);
    let search = one("search_requirements", &req);
    assert_eq!(search["searchNeeded"], true);
    assert_eq!(
        search["queries"],
        json!(["I am looking for holiday destinations in December"])
    );
    let topics: Vec<&str> = search["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        topics.contains(&"holiday") && topics.contains(&"december"),
        "{topics:?}"
    );
}

#[test]
fn recommend_ranks_the_beach_offer_first() {
    let req = full_request(holiday_conversation(), &[]);
    let ranked = analyse("recommend", &req);
    assert_eq!(ranked.len(), 2);
    assert_eq!(ranked[0]["rank"], 1);
    assert_eq!(ranked[0]["offer"]["id"], "offer-beach");
    assert_eq!(ranked[0]["offer"]["price"], 1299, "offer returned as given");
    assert!(ranked[0]["score"].as_f64().unwrap() > ranked[1]["score"].as_f64().unwrap());
    let matched: Vec<&str> = ranked[0]["matchedTerms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        matched.contains(&"beach") && matched.contains(&"holiday"),
        "{matched:?}"
    );
    assert_eq!(ranked[1]["offer"]["id"], "offer-ski");
    assert_eq!(ranked[1]["score"], 0.0);
}

#[test]
fn adjust_and_elevate_suggestions() {
    let req = full_request(alice_flight_conversation(), &[]);
    let adj = one("adjust_suggestion", &req);
    assert_eq!(adj["instruction"], "Make it more formal");
    assert_eq!(
        adj["content"],
        "I cannot change that booking. We will email you the details."
    );
    let el = one("elevate_suggestion", &req);
    assert_eq!(el["escalationTarget"], "human_agent");
    assert!(el["priority"] == "normal" || el["priority"] == "high");
    assert_eq!(el["content"], req["attributes"]["content"]);

    let mut angry = full_request(
        json!({ "participants": [ { "participantId": "c", "displayName": "Max", "role": "user" } ],
                "messages": [ { "participantId": "c", "content": "This is unacceptable! I am furious, get me a manager now." } ] }),
        &[],
    );
    angry["attributes"]["content"] = json!("Escalating to a supervisor.");
    assert_eq!(one("elevate_suggestion", &angry)["priority"], "high");
    assert_eq!(one("escalation_need", &angry)["escalate"], true);
}

#[test]
fn analysis_is_deterministic_and_total() {
    let req = full_request(holiday_conversation(), &[]);
    for action in Action::ALL {
        for power in superpowers(action) {
            assert_eq!(analyse(power, &req), analyse(power, &req), "{power}");
            // Empty and junk conversations never panic.
            let _ = analyse(power, &json!({}));
            let _ = analyse(
                power,
                &json!({ "scope": { "conversations": [ 1, "x", { "messages": [ { "content": ["no"] } ] } ] } }),
            );
        }
    }
}
