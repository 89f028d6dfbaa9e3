//! The request envelope (protocol.md section 2), built from the seed payloads.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_core::action::Action;
use optave_core::error::{ErrorCategory, ErrorCode};
use optave_core::legacy::Deprecation;
use optave_core::outbound::{build, Builder, EnvelopeConfig};
use optave_core::{SCHEMA_REF, SDK_VERSION, SPEC_VERSION};
use serde_json::{json, Value};

fn seed002() -> Value {
    fixture("seed002_interaction_params.json")
}

fn headers(envelope: &Value) -> &serde_json::Map<String, Value> {
    envelope["headers"].as_object().expect("headers object")
}

#[test]
fn seed002_envelope_headers() {
    let (env, out) = build_ok(Action::Interaction, seed002());
    assert_eq!(env["action"], "message");
    let h = headers(&env);
    assert_eq!(h["correlationId"], "a1b2c3d4-e5f6-7890-1234-56789ab2345");
    assert_eq!(out.correlation_id, "a1b2c3d4-e5f6-7890-1234-56789ab2345");
    assert_eq!(h["action"], "interaction");
    assert_eq!(h["schemaRef"], "optave.message.v3");
    assert_eq!(SCHEMA_REF, "optave.message.v3");
    assert_eq!(SPEC_VERSION, "3.2.3");
    assert_eq!(h["sdkVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(SDK_VERSION, env!("CARGO_PKG_VERSION"));
    assert_eq!(h["identifier"], "message");
    assert_eq!(h["issuedAt"], NOW_ISO);
    assert_eq!(h["timestamp"], "2024-01-15T10:30:00.000Z");
    let trace = h["traceId"].as_str().unwrap();
    let key = h["idempotencyKey"].as_str().unwrap();
    assert_uuid_v7(trace, NOW_MS as u64);
    assert_uuid_v7(key, NOW_MS as u64);
    assert_ne!(trace, key);
    // Not configured, not supplied: absent.
    assert!(!h.contains_key("tenantId"));
    assert!(!h.contains_key("networkLatencyMs"));
    let names: Vec<&str> = h.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "correlationId",
            "action",
            "schemaRef",
            "sdkVersion",
            "identifier",
            "traceId",
            "idempotencyKey",
            "issuedAt",
            "timestamp"
        ]
    );
    assert!(out
        .text
        .starts_with(r#"{"action":"message","headers":{"correlationId":"#));
    assert_eq!(
        out.deprecations,
        [Deprecation::ScopeResources, Deprecation::LinkExpiresAt]
    );
}

#[test]
fn seed002_payload_is_the_merged_default_payload() {
    let (env, _) = build_ok(Action::Interaction, seed002());
    let expected = fixture("seed002_expected_payload.json");
    assert_eq!(env["payload"], expected);
    let p = &env["payload"];
    assert_eq!(p["session"]["channel"]["medium"], "chat");
    assert_eq!(p["session"]["channel"]["metadata"], json!([]));
    assert_eq!(p["request"]["attributes"]["variant"], "A");
    assert_eq!(p["request"]["settings"]["disableStream"], false);
    assert_eq!(p["request"]["settings"]["maxResponseLength"], 2000);
    assert_eq!(p["request"]["scope"]["products"], json!([{ "id": "" }]));
    assert_eq!(p["request"]["scope"]["tickets"], json!([]));
    assert!(p["request"]["scope"].get("resources").is_none());
    assert_eq!(
        p["request"]["resources"]["links"][0]["expires_at"],
        "2025-08-06T00:00:00Z"
    );
    assert!(p["request"]["resources"]["links"][0]
        .get("expiresAt")
        .is_none());
    assert_eq!(p["request"]["resources"]["codes"][0]["value"], "ORD-12345");
    assert_eq!(p["request"]["resources"]["offers"], json!([]));
    // The event time is a header, not a payload member.
    assert!(p.get("headers").is_none());
}

#[test]
fn timestamp_is_never_fabricated() {
    let mut params = seed002();
    params.as_object_mut().unwrap().remove("headers");
    let (env, _) = build_ok(Action::Interaction, params);
    assert!(!headers(&env).contains_key("timestamp"));
    assert_eq!(headers(&env)["issuedAt"], NOW_ISO);
}

#[test]
fn correlation_id_rules() {
    // Override beats requestId.
    let mut params = seed002();
    params["headers"]["correlationId"] = json!("override-1");
    let (env, out) = build_ok(Action::Interaction, params);
    assert_eq!(headers(&env)["correlationId"], "override-1");
    assert_eq!(out.correlation_id, "override-1");
    // Override with no requestId.
    let mut params = minimal_params();
    params["headers"] = json!({ "correlationId": "override-2" });
    assert_eq!(
        build_ok(Action::Interaction, params).1.correlation_id,
        "override-2"
    );
    // Neither (empty or blank requestId): a UUID v7 distinct from the other ids.
    for request_id in [json!(""), json!("   "), json!(null)] {
        let mut params = minimal_params();
        params["request"]["requestId"] = request_id;
        let (env, out) = build_ok(Action::Interaction, params);
        let h = headers(&env);
        assert_uuid_v7(&out.correlation_id, NOW_MS as u64);
        assert_eq!(h["correlationId"], out.correlation_id.as_str());
        assert_ne!(h["correlationId"], h["traceId"]);
        assert_ne!(h["correlationId"], h["idempotencyKey"]);
    }
}

#[test]
fn trace_and_idempotency_overrides() {
    let mut params = minimal_params();
    params["headers"] = json!({ "traceId": "trace-x", "idempotencyKey": "key-y" });
    let (env, _) = build_ok(Action::Interaction, params);
    assert_eq!(headers(&env)["traceId"], "trace-x");
    assert_eq!(headers(&env)["idempotencyKey"], "key-y");
}

#[test]
fn ids_are_deterministic_for_a_seed_and_differ_across_seeds() {
    let run = |seed| {
        build(
            Action::Interaction,
            &text(&minimal_params()),
            &EnvelopeConfig::default(),
            &mut ids(seed),
            NOW_MS,
        )
        .unwrap()
        .text
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn wire_action_per_action() {
    let expected = [
        (Action::Interaction, "interaction"),
        (Action::Reception, "reception"),
        (Action::Insights, "insights"),
        (Action::Summarize, "summarize"),
        (Action::Translate, "translate"),
        (Action::Recommend, "recommend"),
        (Action::Elevate, "elevate"),
        (Action::Adjust, "adjust"),
        (Action::CustomerInteraction, "customerinteraction"),
    ];
    let mut params = minimal_params();
    params["request"]["resources"] = json!({ "offers": [{}] });
    params["request"]["attributes"] = json!({ "content": "draft", "instruction": "shorter" });
    params["request"]["connections"]["parentId"] = json!("parent-1");
    for (action, wire) in expected {
        let (env, out) = build_ok(action, params.clone());
        assert_eq!(headers(&env)["action"], wire, "{action:?}");
        assert_eq!(
            out.deprecations.contains(&Deprecation::CustomerInteraction),
            action == Action::CustomerInteraction
        );
    }
}

#[test]
fn tenant_id_only_when_configured() {
    let config = EnvelopeConfig {
        tenant_id: Some("tenant-cfg".into()),
        ..Default::default()
    };
    let (env, _) = build_with(Action::Interaction, minimal_params(), &config);
    assert_eq!(headers(&env)["tenantId"], "tenant-cfg");
    // The per-call header wins over the client's.
    let mut params = minimal_params();
    params["headers"] = json!({ "tenantId": "tenant-call" });
    let (env, _) = build_with(Action::Interaction, params.clone(), &config);
    assert_eq!(headers(&env)["tenantId"], "tenant-call");
    let (env, _) = build_ok(Action::Interaction, params);
    assert_eq!(headers(&env)["tenantId"], "tenant-call");
    // request.context.tenantId (seed 002) does not become a header.
    let (env, _) = build_ok(Action::Interaction, seed002());
    assert!(!headers(&env).contains_key("tenantId"));
}

#[test]
fn network_latency_only_when_a_number_is_supplied() {
    for ms in [json!(120), json!(0), json!(12.5)] {
        let mut params = minimal_params();
        params["headers"] = json!({ "networkLatencyMs": ms });
        let (env, _) = build_ok(Action::Interaction, params);
        assert_eq!(headers(&env)["networkLatencyMs"].as_f64(), ms.as_f64());
    }
    let mut params = minimal_params();
    params["headers"] = json!({ "networkLatencyMs": null });
    let (env, _) = build_ok(Action::Interaction, params);
    assert!(!headers(&env).contains_key("networkLatencyMs"));
}

#[test]
fn seed000_envelope_is_reproduced() {
    let seed = fixture("seed000_envelope.json");
    let sh = &seed["headers"];
    let mut params = fixture("seed000_customerinteraction_params.json");
    assert_eq!(params, seed["payload"]);
    params["headers"] = json!({
        "correlationId": sh["correlationId"],
        "traceId": sh["traceId"],
        "idempotencyKey": sh["idempotencyKey"],
        "timestamp": sh["timestamp"],
    });
    let config = EnvelopeConfig {
        tenant_id: sh["tenantId"].as_str().map(str::to_owned),
        ..Default::default()
    };
    let (env, out) = build_with(Action::CustomerInteraction, params, &config);
    assert_eq!(env["action"], seed["action"]);
    let mut expected = sh.clone();
    expected["sdkVersion"] = json!(SDK_VERSION);
    expected["issuedAt"] = json!(NOW_ISO);
    assert_eq!(env["headers"], expected);
    assert_subset(&env["payload"], &seed["payload"], "payload");
    assert_eq!(out.deprecations, [Deprecation::CustomerInteraction]);
}

#[test]
fn seed003_envelope_is_reproduced() {
    let seed = fixture("seed003_envelope.json");
    let params = fixture("seed003_insights_params.json");
    assert_eq!(params, seed["payload"]);
    let (env, out) = build_ok(Action::Insights, params);
    assert_eq!(headers(&env)["action"], seed["headers"]["action"]);
    assert_eq!(headers(&env)["schemaRef"], seed["headers"]["schemaRef"]);
    assert_eq!(out.correlation_id, "a1b2c3d4-e5f6-7890-1234-56789ab2345");
    assert_subset(&env["payload"], &seed["payload"], "payload");
    assert!(out.deprecations.is_empty());
}

#[test]
fn seed001_and_seed004_build() {
    for (action, name) in [
        (Action::Reception, "seed001_reception_params.json"),
        (Action::Reception, "seed001_reception_rest.json"),
        (Action::Recommend, "seed004_recommend_params.json"),
    ] {
        let params = fixture(name);
        let (env, _) = build_ok(action, params.clone());
        assert_subset(&env["payload"], &params, name);
    }
    let (env, _) = build_ok(Action::Recommend, fixture("seed004_recommend_params.json"));
    assert_eq!(
        env["payload"]["request"]["resources"]["offers"],
        json!([{}])
    );
    // The seed sends no codes/links: the defaults fill them.
    assert_eq!(
        env["payload"]["request"]["resources"]["codes"],
        json!([{ "id": "", "label": "", "type": "", "value": "" }])
    );
}

#[test]
fn build_takes_json_text_and_refuses_other_text() {
    let compact = text(&seed002());
    let pretty = serde_json::to_string_pretty(&seed002()).unwrap();
    let config = EnvelopeConfig::default();
    let a = build(Action::Interaction, &compact, &config, &mut ids(7), NOW_MS).unwrap();
    let b = build(Action::Interaction, &pretty, &config, &mut ids(7), NOW_MS).unwrap();
    // The same envelope value whatever the spelling of the params.
    assert_eq!(a.correlation_id, b.correlation_id);
    assert_eq!(a.deprecations, b.deprecations);
    let parsed = |t: &str| serde_json::from_str::<Value>(t).unwrap();
    assert_eq!(parsed(&a.text), parsed(&b.text));
    // A builder kept between calls gives what a fresh one gives.
    let mut builder = Builder::default();
    for params in [&compact, &pretty, &compact] {
        let again = builder
            .build(Action::Interaction, params, &config, &mut ids(7), NOW_MS)
            .unwrap();
        assert_eq!(parsed(&again.text), parsed(&a.text));
    }
    for bad in ["{oops", "", "{} {}", "[1,]", "\u{feff}{}"] {
        let err =
            build(Action::Interaction, bad, &config, &mut ids(7), NOW_MS).expect_err("not JSON");
        let err = expect_code(err, ErrorCode::PayloadSchemaMismatch);
        assert_eq!(err.category, ErrorCategory::Validation);
        assert_eq!(err.timestamp, NOW_ISO);
        assert_eq!(details(&err)["path"], "params", "{bad}");
        assert!(err.message.contains("not JSON"), "{}", err.message);
    }
    // Nesting deeper than 128 levels is refused rather than followed.
    let deep = format!(
        r#"{{"session":{{"x":{}1{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let err = build(Action::Interaction, &deep, &config, &mut ids(7), NOW_MS).unwrap_err();
    let err = expect_code(err, ErrorCode::PayloadSchemaMismatch);
    assert!(err.message.contains("128"), "{}", err.message);
}

#[test]
fn config_fills_organization_and_session() {
    let config = EnvelopeConfig {
        organization_id: Some("org-cfg".into()),
        session_id: Some("sess-cfg".into()),
        ..Default::default()
    };
    let mut params = minimal_params();
    params["request"]["context"] = json!({});
    let (env, _) = build_with(Action::Interaction, params, &config);
    assert_eq!(
        env["payload"]["request"]["context"]["organizationId"],
        "org-cfg"
    );
    assert_eq!(env["payload"]["session"]["sessionId"], "sess-cfg");
    // Given values are kept.
    let mut params = minimal_params();
    params["session"] = json!({ "sessionId": "sess-call" });
    let (env, _) = build_with(Action::Interaction, params, &config);
    assert_eq!(
        env["payload"]["request"]["context"]["organizationId"],
        "org-1"
    );
    assert_eq!(env["payload"]["session"]["sessionId"], "sess-call");
}

/// The REST parts come from the same build: the wire action, the envelope's
/// `idempotencyKey` (generated or given), and the payload as the body.
#[test]
fn rest_parts_are_taken_from_the_envelope() {
    for (action, given) in [
        (Action::Summarize, None),
        (Action::CustomerInteraction, Some("key-z")),
    ] {
        let mut params = minimal_params();
        if let Some(key) = given {
            params["headers"] = json!({ "idempotencyKey": key });
        }
        let out = build(
            action,
            &text(&params),
            &EnvelopeConfig::default(),
            &mut ids(7),
            NOW_MS,
        )
        .unwrap();
        let env: Value = serde_json::from_str(&out.text).unwrap();
        assert_eq!(out.rest.action, action.wire_name());
        assert_eq!(
            headers(&env)["idempotencyKey"],
            out.rest.idempotency_key.as_str()
        );
        if let Some(key) = given {
            assert_eq!(out.rest.idempotency_key, key);
        }
        let body: Value =
            serde_json::from_str(out.rest.payload(&out.text)).expect("the body is JSON");
        assert_eq!(body, env["payload"]);
    }
}
