//! The merge onto the default payload and the legacy rewrites (protocol.md
//! section 3), seen in the payload of built envelopes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_core::action::Action;
use optave_core::legacy::Deprecation;
use optave_core::outbound::EnvelopeConfig;
use serde_json::{json, Value};

/// The payload built from the minimal params with `overlay` merged in.
fn payload_of(overlay: Value) -> Value {
    payload_and_deprecations(overlay).0
}

fn payload_and_deprecations(overlay: Value) -> (Value, Vec<Deprecation>) {
    let (env, out) = build_ok(Action::Interaction, merged(minimal_params(), overlay));
    (env["payload"].clone(), out.deprecations)
}

/// The default payload as protocol.md section 3 gives it.
const DEFAULT_PAYLOAD_JSON: &str = r#"{"session":{"sessionId":"","channel":{"browser":"","deviceInfo":"","deviceType":"","language":"","location":"","medium":"chat","metadata":[],"section":""},"interface":{"appVersion":"","category":"","language":"","name":"","type":""}},"request":{"requestId":"","attributes":{"content":"","instruction":"","variant":"A"},"connections":{"journeyId":"","parentId":"","threadId":""},"context":{"caseId":"","departmentId":"","operatorId":"","organizationId":"","tenantId":"","userId":""},"reference":{"ids":[{"name":"","value":""}],"labels":[],"tags":[]},"resources":{"codes":[{"id":"","label":"","type":"","value":""}],"links":[{"expires_at":"","html":false,"id":"","label":"","type":"","url":""}],"offers":[]},"scope":{"accounts":[],"appointments":[],"assets":[],"bookings":[],"cases":[],"conversations":[],"documents":[],"events":[],"interactions":[],"items":[],"locations":[],"offers":[],"operators":[],"orders":[],"organizations":[],"persons":[],"policies":[],"properties":[],"services":[],"subscriptions":[],"tickets":[],"transactions":[],"users":[],"products":[{"id":""}]},"settings":{"disableBrowsing":false,"disableSearch":false,"disableSources":false,"disableStream":true,"disableTools":false,"maxResponseLength":0,"overrideInterfaceLanguage":"","overrideOutputLanguage":"","overrideChannelMedium":""},"a2a":[{"id":"","name":"","type":""}],"cursor":{"since":"","until":""}}}"#;

#[test]
fn every_default_the_caller_leaves_out_is_sent() {
    let defaults: Value = serde_json::from_str(DEFAULT_PAYLOAD_JSON).unwrap();
    assert_eq!(payload_of(json!({})), merged(defaults, minimal_params()));
}

#[test]
fn default_payload_matches_the_protocol() {
    let d = payload_of(json!({}));
    assert_eq!(d["session"]["sessionId"], "");
    assert_eq!(d["session"]["channel"]["medium"], "chat");
    assert_eq!(d["session"]["channel"]["metadata"], json!([]));
    assert_eq!(d["request"]["attributes"]["variant"], "A");
    assert_eq!(
        d["request"]["reference"]["ids"],
        json!([{ "name": "", "value": "" }])
    );
    assert_eq!(
        d["request"]["resources"]["links"],
        json!([{ "expires_at": "", "html": false, "id": "", "label": "", "type": "", "url": "" }])
    );
    let settings = &d["request"]["settings"];
    assert_eq!(settings["disableStream"], true);
    for flag in [
        "disableBrowsing",
        "disableSearch",
        "disableSources",
        "disableTools",
    ] {
        assert_eq!(settings[flag], false, "{flag}");
    }
    assert_eq!(settings["maxResponseLength"], 0);
    let scope = d["request"]["scope"].as_object().unwrap();
    assert_eq!(scope.len(), 24);
    for (name, value) in scope {
        let want = match name.as_str() {
            "products" => json!([{ "id": "" }]),
            "conversations" => minimal_params()["request"]["scope"]["conversations"].clone(),
            _ => json!([]),
        };
        assert_eq!(value, &want, "scope.{name}");
    }
    assert_eq!(
        d["request"]["a2a"],
        json!([{ "id": "", "name": "", "type": "" }])
    );
    assert_eq!(d["request"]["cursor"], json!({ "since": "", "until": "" }));
}

#[test]
fn objects_merge_recursively() {
    let p = payload_of(json!({ "session": { "channel": { "language": "fr-CA" } } }));
    assert_eq!(p["session"]["channel"]["language"], "fr-CA");
    assert_eq!(p["session"]["channel"]["medium"], "chat");
    assert_eq!(p["session"]["interface"]["name"], "");
    assert_eq!(p["request"]["attributes"]["variant"], "A");
    assert_eq!(p["request"]["connections"]["threadId"], "thread-1");
    assert_eq!(p["request"]["connections"]["journeyId"], "");
}

#[test]
fn arrays_are_replaced_whole() {
    let p = payload_of(json!({ "request": {
        "scope": { "products": [{ "sku": "X-1" }], "conversations": [{ "conversationId": "c" }] },
        "reference": { "ids": [{ "name": "ticket_id", "value": "T1" }, { "name": "case", "value": "C2" }] },
        "a2a": []
    }}));
    // No element-wise merge: the default `id` is not added to the caller's product.
    assert_eq!(p["request"]["scope"]["products"], json!([{ "sku": "X-1" }]));
    assert_eq!(
        p["request"]["scope"]["conversations"],
        json!([{ "conversationId": "c" }])
    );
    assert_eq!(
        p["request"]["reference"]["ids"],
        json!([{ "name": "ticket_id", "value": "T1" }, { "name": "case", "value": "C2" }])
    );
    assert_eq!(p["request"]["a2a"], json!([]));
    let p = payload_of(json!({ "request": { "reference": { "ids": [] } } }));
    assert_eq!(p["request"]["reference"]["ids"], json!([]));
    assert_eq!(p["request"]["reference"]["labels"], json!([]));
}

#[test]
fn caller_null_and_primitives_win() {
    let p = payload_of(json!({
        "session": { "channel": { "medium": null } },
        "request": { "settings": { "disableStream": false, "maxResponseLength": 50 } }
    }));
    assert_eq!(p["session"]["channel"]["medium"], Value::Null);
    assert!(p["session"]["channel"]
        .as_object()
        .unwrap()
        .contains_key("medium"));
    assert_eq!(p["request"]["settings"]["disableStream"], false);
    assert_eq!(p["request"]["settings"]["maxResponseLength"], 50);
    // A null object replaces the default object.
    let p = payload_of(json!({ "request": { "cursor": null } }));
    assert_eq!(p["request"]["cursor"], Value::Null);
}

#[test]
fn object_and_primitive_replace_each_other() {
    let p =
        payload_of(json!({ "request": { "cursor": "since-yesterday", "requestId": { "v": 1 } } }));
    assert_eq!(p["request"]["cursor"], "since-yesterday");
    assert_eq!(p["request"]["requestId"], json!({ "v": 1 }));
    // An object default given as an array, an array default given as an object.
    let p = payload_of(json!({ "request": { "reference": [3], "a2a": { "x": 1 } } }));
    assert_eq!(p["request"]["reference"], json!([3]));
    assert_eq!(p["request"]["a2a"], json!({ "x": 1 }));
}

#[test]
fn unknown_keys_are_kept_on_the_wire() {
    let mut params = minimal_params();
    params["session"] = json!({ "customKey": "kept", "channel": { "extraChannel": 1 } });
    params["request"]["extra"] = json!({ "nested": { "deep": [1, 2] } });
    for strict in [false, true] {
        let config = EnvelopeConfig {
            strict,
            ..Default::default()
        };
        let (env, out) = build_with(Action::Interaction, params.clone(), &config);
        let p = &env["payload"];
        assert_eq!(p["session"]["customKey"], "kept");
        assert_eq!(p["session"]["channel"]["extraChannel"], 1);
        assert_eq!(p["session"]["channel"]["medium"], "chat");
        assert_eq!(p["request"]["extra"]["nested"]["deep"], json!([1, 2]));
        assert!(out.text.contains(r#""customKey":"kept""#));
    }
}

#[test]
fn variation_moves_to_variant_and_is_upper_cased() {
    let (p, found) = payload_and_deprecations(json!({ "request": { "variation": "b" } }));
    assert_eq!(p["request"]["attributes"]["variant"], "B");
    assert!(p["request"].get("variation").is_none());
    assert_eq!(p["request"]["attributes"]["content"], "");
    assert_eq!(found, [Deprecation::RequestVariation]);
    // The new spelling wins.
    let (p, found) = payload_and_deprecations(
        json!({ "request": { "variation": "B", "attributes": { "variant": "C" } } }),
    );
    assert_eq!(p["request"]["attributes"]["variant"], "C");
    assert!(p["request"].get("variation").is_none());
    assert_eq!(found, [Deprecation::RequestVariation]);
    // attributes.variant is upper-cased too (ASCII letters only).
    let p = payload_of(json!({ "request": { "attributes": { "variant": "control-b é" } } }));
    assert_eq!(p["request"]["attributes"]["variant"], "CONTROL-B é");
}

#[test]
fn content_moves_only_when_attributes_content_is_empty() {
    let (p, found) = payload_and_deprecations(
        json!({ "request": { "content": "hi", "attributes": { "content": "" } } }),
    );
    assert_eq!(p["request"]["attributes"]["content"], "hi");
    assert!(p["request"].get("content").is_none());
    assert_eq!(found, [Deprecation::RequestContent]);
    let (p, found) = payload_and_deprecations(
        json!({ "request": { "content": "old", "attributes": { "content": "new" } } }),
    );
    assert_eq!(p["request"]["attributes"]["content"], "new");
    assert!(p["request"].get("content").is_none());
    assert_eq!(found, [Deprecation::RequestContent]);
    let p = payload_of(json!({ "request": { "content": "x", "attributes": { "content": null } } }));
    assert_eq!(p["request"]["attributes"]["content"], "x");
    // Only "" is empty: white space is content.
    let p = payload_of(json!({ "request": { "content": "x", "attributes": { "content": " " } } }));
    assert_eq!(p["request"]["attributes"]["content"], " ");
    // attributes that is not an object: the legacy key stays for validation to see.
    let (p, found) =
        payload_and_deprecations(json!({ "request": { "content": "x", "attributes": "bad" } }));
    assert_eq!(p["request"]["content"], "x");
    assert_eq!(p["request"]["attributes"], "bad");
    assert_eq!(found, [Deprecation::RequestContent]);
}

#[test]
fn scope_resources_move_to_request_resources() {
    let (p, found) = payload_and_deprecations(json!({ "request": { "scope": {
        "resources": { "codes": [{ "id": "c1" }], "offers": [{ "id": "o1" }] },
    } } }));
    assert!(p["request"]["scope"].get("resources").is_none());
    assert_eq!(
        p["request"]["scope"]["conversations"],
        minimal_params()["request"]["scope"]["conversations"]
    );
    assert_eq!(
        p["request"]["resources"],
        json!({
            "codes": [{ "id": "c1" }],
            "offers": [{ "id": "o1" }],
            "links": [{ "expires_at": "", "html": false, "id": "", "label": "", "type": "", "url": "" }]
        })
    );
    assert_eq!(found, [Deprecation::ScopeResources]);
}

#[test]
fn scope_resources_merge_with_explicit_resources_explicit_wins() {
    let (p, found) = payload_and_deprecations(json!({ "request": {
        "resources": { "offers": [{ "id": "explicit" }], "extra": 1 },
        "scope": { "resources": {
            "offers": [{ "id": "legacy" }],
            "links": [{ "url": "https://x", "expiresAt": "2025-08-06T00:00:00Z" }]
        } }
    } }));
    assert_eq!(
        p["request"]["resources"],
        json!({
            "offers": [{ "id": "explicit" }],
            "links": [{ "url": "https://x", "expires_at": "2025-08-06T00:00:00Z" }],
            "extra": 1,
            "codes": [{ "id": "", "label": "", "type": "", "value": "" }]
        })
    );
    assert!(p["request"]["scope"].get("resources").is_none());
    let mut found = found;
    found.sort_by_key(|d| *d as u8);
    assert_eq!(
        found,
        [Deprecation::ScopeResources, Deprecation::LinkExpiresAt]
    );
}

#[test]
fn link_expires_at_is_renamed_unless_expires_at_is_set() {
    let (p, found) = payload_and_deprecations(json!({ "request": { "resources": { "links": [
        { "id": "1", "expiresAt": "A" },
        { "id": "2", "expiresAt": "B", "expires_at": "kept" },
        { "id": "3", "expiresAt": "C", "expires_at": "" },
        { "id": "4", "expires_at": null, "expiresAt": "D" },
        "not-an-object"
    ] } } }));
    assert_eq!(
        p["request"]["resources"]["links"],
        json!([
            { "id": "1", "expires_at": "A" },
            { "id": "2", "expires_at": "kept" },
            { "id": "3", "expires_at": "C" },
            { "id": "4", "expires_at": "D" },
            "not-an-object"
        ])
    );
    assert_eq!(found, [Deprecation::LinkExpiresAt]);
}

#[test]
fn nothing_to_rewrite_reports_nothing() {
    for (action, params) in [
        (Action::Interaction, minimal_params()),
        (
            Action::Interaction,
            merged(
                minimal_params(),
                json!({ "request": { "resources": { "links": [] } } }),
            ),
        ),
        (Action::Insights, fixture("seed003_insights_params.json")),
        (Action::Reception, fixture("seed001_reception_params.json")),
        (Action::Recommend, fixture("seed004_recommend_params.json")),
    ] {
        let (_, out) = build_ok(action, params);
        assert!(out.deprecations.is_empty(), "{action:?}");
    }
    let (_, out) = build_ok(
        Action::CustomerInteraction,
        fixture("seed000_customerinteraction_params.json"),
    );
    assert_eq!(out.deprecations, [Deprecation::CustomerInteraction]);
}

#[test]
fn every_deprecation_has_a_message_naming_the_replacement() {
    let cases = [
        (Deprecation::RequestVariation, "request.attributes.variant"),
        (Deprecation::RequestContent, "request.attributes.content"),
        (Deprecation::ScopeResources, "request.resources"),
        (Deprecation::LinkExpiresAt, "expires_at"),
        (Deprecation::CustomerInteraction, "interaction()"),
        (Deprecation::MessageEvent, "superpower.response"),
        (Deprecation::QueryAuthTransport, "subprotocol"),
    ];
    for (d, needle) in cases {
        assert!(d.message().contains(needle), "{d:?}: {}", d.message());
    }
    assert_eq!(Deprecation::ALL.len(), cases.len());
    let bits: std::collections::HashSet<u8> = Deprecation::ALL.iter().map(|d| d.bit()).collect();
    assert_eq!(bits.len(), Deprecation::ALL.len(), "one bit per kind");
    assert!(bits.iter().all(|b| b.count_ones() == 1));
}
