//! The merge onto the default payload and the legacy rewrites (protocol.md section 3).
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_client::core::action::Action;
use optave_client::core::defaults::default_payload;
use optave_client::core::legacy::{normalize, Deprecation};
use optave_client::core::merge::merge_into;
use serde_json::{json, Map, Value};

fn merged(overlay: Value) -> Value {
    let mut base = default_payload();
    merge_into(&mut base, overlay);
    base
}

#[test]
fn default_payload_matches_the_protocol() {
    let d = default_payload();
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
        let want = if name == "products" {
            json!([{ "id": "" }])
        } else {
            json!([])
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
    let p = merged(json!({ "session": { "channel": { "language": "fr-CA" } } }));
    assert_eq!(p["session"]["channel"]["language"], "fr-CA");
    assert_eq!(p["session"]["channel"]["medium"], "chat");
    assert_eq!(p["session"]["interface"]["name"], "");
    assert_eq!(p["request"]["attributes"]["variant"], "A");
}

#[test]
fn arrays_are_replaced_whole() {
    let p = merged(json!({ "request": {
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
    let p = merged(json!({ "request": { "reference": { "ids": [] } } }));
    assert_eq!(p["request"]["reference"]["ids"], json!([]));
}

#[test]
fn caller_null_and_primitives_win() {
    let p = merged(json!({
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
}

#[test]
fn object_and_primitive_replace_each_other() {
    let p = merged(json!({ "request": { "cursor": "since-yesterday", "requestId": { "v": 1 } } }));
    assert_eq!(p["request"]["cursor"], "since-yesterday");
    assert_eq!(p["request"]["requestId"], json!({ "v": 1 }));
    let mut base = json!({ "a": [1, 2], "b": { "c": 1 } });
    merge_into(&mut base, json!({ "a": { "x": 1 }, "b": [3] }));
    assert_eq!(base, json!({ "a": { "x": 1 }, "b": [3] }));
}

#[test]
fn unknown_keys_are_kept_on_the_wire() {
    let mut params = minimal_params();
    params["session"] = json!({ "customKey": "kept", "channel": { "extraChannel": 1 } });
    params["request"]["extra"] = json!({ "nested": { "deep": [1, 2] } });
    for strict in [false, true] {
        let config = optave_client::core::envelope::EnvelopeConfig {
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

fn norm(params: Value) -> (Value, Vec<Deprecation>) {
    let mut map: Map<String, Value> = params.as_object().unwrap().clone();
    let found = normalize(&mut map);
    (Value::Object(map), found)
}

#[test]
fn variation_moves_to_variant_and_is_upper_cased() {
    let (p, found) = norm(json!({ "request": { "variation": "b" } }));
    assert_eq!(
        p,
        json!({ "request": { "attributes": { "variant": "b" } } })
    );
    assert_eq!(found, [Deprecation::RequestVariation]);
    let mut params = minimal_params();
    params["request"]["variation"] = json!("b");
    let (env, out) = build_ok(Action::Interaction, params);
    assert_eq!(env["payload"]["request"]["attributes"]["variant"], "B");
    assert!(env["payload"]["request"].get("variation").is_none());
    assert_eq!(out.deprecations, [Deprecation::RequestVariation]);
    // The new spelling wins.
    let (p, _) = norm(json!({ "request": { "variation": "B", "attributes": { "variant": "C" } } }));
    assert_eq!(p["request"]["attributes"]["variant"], "C");
    // attributes.variant is upper-cased too.
    let mut params = minimal_params();
    params["request"]["attributes"] = json!({ "variant": "control-b" });
    let (env, _) = build_ok(Action::Interaction, params);
    assert_eq!(
        env["payload"]["request"]["attributes"]["variant"],
        "CONTROL-B"
    );
}

#[test]
fn content_moves_only_when_attributes_content_is_empty() {
    let (p, found) =
        norm(json!({ "request": { "content": "hi", "attributes": { "content": "" } } }));
    assert_eq!(p["request"]["attributes"]["content"], "hi");
    assert!(p["request"].get("content").is_none());
    assert_eq!(found, [Deprecation::RequestContent]);
    let (p, found) =
        norm(json!({ "request": { "content": "old", "attributes": { "content": "new" } } }));
    assert_eq!(p["request"]["attributes"]["content"], "new");
    assert_eq!(found, [Deprecation::RequestContent]);
    let (p, _) = norm(json!({ "request": { "content": "x", "attributes": { "content": null } } }));
    assert_eq!(p["request"]["attributes"]["content"], "x");
    // attributes that is not an object: the legacy key stays for validation to see.
    let (p, _) = norm(json!({ "request": { "content": "x", "attributes": "bad" } }));
    assert_eq!(p["request"]["content"], "x");
    assert_eq!(p["request"]["attributes"], "bad");
}

#[test]
fn scope_resources_move_to_request_resources() {
    let (p, found) = norm(json!({ "request": { "scope": {
        "resources": { "codes": [{ "id": "c1" }], "offers": [{ "id": "o1" }] },
        "conversations": []
    } } }));
    assert_eq!(
        p,
        json!({ "request": {
            "scope": { "conversations": [] },
            "resources": { "codes": [{ "id": "c1" }], "offers": [{ "id": "o1" }] }
        } })
    );
    assert_eq!(found, [Deprecation::ScopeResources]);
}

#[test]
fn scope_resources_merge_with_explicit_resources_explicit_wins() {
    let (p, found) = norm(json!({ "request": {
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
            "extra": 1
        })
    );
    assert_eq!(p["request"]["scope"], json!({}));
    assert_eq!(
        found,
        [Deprecation::ScopeResources, Deprecation::LinkExpiresAt]
    );
}

#[test]
fn link_expires_at_is_renamed_unless_expires_at_is_set() {
    let (p, found) = norm(json!({ "request": { "resources": { "links": [
        { "id": "1", "expiresAt": "A" },
        { "id": "2", "expiresAt": "B", "expires_at": "kept" },
        { "id": "3", "expiresAt": "C", "expires_at": "" },
        "not-an-object"
    ] } } }));
    assert_eq!(
        p["request"]["resources"]["links"],
        json!([
            { "id": "1", "expires_at": "A" },
            { "id": "2", "expires_at": "kept" },
            { "id": "3", "expires_at": "C" },
            "not-an-object"
        ])
    );
    assert_eq!(found, [Deprecation::LinkExpiresAt]);
}

#[test]
fn nothing_to_rewrite_reports_nothing() {
    for params in [
        json!({}),
        json!({ "request": "x" }),
        minimal_params(),
        fixture("seed003_insights_params.json"),
    ] {
        let (p, found) = norm(params.clone());
        assert_eq!(p, params);
        assert!(found.is_empty());
    }
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
}
