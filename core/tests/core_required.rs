//! Per-action required fields (protocol.md section 4) and the 128 KiB size limit.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_core::action::{Action, Need};
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_core::outbound::{EnvelopeConfig, MAX_ENVELOPE_BYTES};
use serde_json::{json, Value};

const THREAD: &str = "request.connections.threadId";
const ORG: &str = "request.context.organizationId";
const CONV: &str = "request.scope.conversations";
const OFFERS: &str = "request.resources.offers";
const CONTENT: &str = "request.attributes.content";
const INSTRUCTION: &str = "request.attributes.instruction";
const PARENT: &str = "request.connections.parentId";

fn required(action: Action) -> Vec<&'static str> {
    match action {
        Action::Recommend => vec![THREAD, ORG, CONV, OFFERS],
        Action::Elevate => vec![THREAD, ORG, CONV, CONTENT, PARENT],
        Action::Adjust => vec![THREAD, ORG, CONV, CONTENT, INSTRUCTION, PARENT],
        _ => vec![THREAD, ORG, CONV],
    }
}

fn missing(action: Action, params: Value) -> (Vec<String>, OptaveError) {
    let err = expect_code(build_err(action, params), ErrorCode::RequiredFieldsMissing);
    assert_eq!(err.category, ErrorCategory::Validation);
    let list = details(&err)["missing"]
        .as_array()
        .expect("details.missing")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    (list, err)
}

/// Params that satisfy every requirement of every action.
fn complete() -> Value {
    let mut p = minimal_params();
    p["request"]["resources"] = json!({ "offers": [{}] });
    p["request"]["attributes"] = json!({ "content": "draft", "instruction": "warmer" });
    p["request"]["connections"]["parentId"] = json!("parent-1");
    p
}

/// Sets the value at a dotted path of the params.
fn set(params: &mut Value, path: &str, value: Value) {
    let pointer = format!("/{}", path.replace('.', "/"));
    *params.pointer_mut(&pointer).expect(path) = value;
}

#[test]
fn requirements_per_action() {
    for action in Action::ALL {
        let paths: Vec<&str> = action.requirements().iter().map(|r| r.1).collect();
        assert_eq!(paths, required(action), "{action:?}");
        for (_, path, need, suggestion) in action.requirements() {
            let want = if *path == CONV || *path == OFFERS {
                Need::Items
            } else {
                Need::Text
            };
            assert_eq!(*need, want, "{path}");
            assert!(!suggestion.is_empty(), "{path}");
        }
    }
}

#[test]
fn empty_params_list_every_missing_path_together() {
    for action in Action::ALL {
        let (list, err) = missing(action, json!({}));
        assert_eq!(list, required(action), "{action:?}");
        assert_eq!(details(&err)["action"], action.method_name());
        for path in required(action) {
            assert!(err.message.contains(path), "{}", err.message);
        }
        assert_eq!(err.suggestions.len(), list.len());
        assert!(err.message.starts_with(action.method_name()));
    }
}

#[test]
fn complete_params_pass_every_action() {
    for action in Action::ALL {
        build_ok(action, complete());
    }
}

#[test]
fn each_requirement_alone_is_reported() {
    for action in Action::ALL {
        for path in required(action) {
            let blank = if path == CONV || path == OFFERS {
                json!([])
            } else {
                json!("")
            };
            let mut params = complete();
            set(&mut params, path, blank);
            let (list, _) = missing(action, params);
            assert_eq!(list, [path], "{action:?}");
        }
    }
}

#[test]
fn whitespace_null_and_wrong_types_count_as_missing() {
    for bad in [
        json!("   "),
        json!("\t\n"),
        json!(null),
        json!(42),
        json!(["t"]),
    ] {
        let mut params = complete();
        set(&mut params, THREAD, bad.clone());
        assert_eq!(missing(Action::Interaction, params).0, [THREAD], "{bad}");
    }
    for bad in [json!({ "0": {} }), json!("conv"), json!(null)] {
        let mut params = complete();
        set(&mut params, CONV, bad.clone());
        assert_eq!(missing(Action::Interaction, params).0, [CONV], "{bad}");
    }
    // A parent object of the wrong type hides the whole branch.
    let mut params = complete();
    params["request"]["connections"] = json!("thread-1");
    let (list, _) = missing(Action::Elevate, params);
    assert_eq!(list, [THREAD, PARENT]);
}

#[test]
fn recommend_refuses_empty_offers_and_accepts_an_empty_object() {
    let mut params = fixture("seed004_recommend_params.json");
    build_ok(Action::Recommend, params.clone());
    params["request"]["resources"]["offers"] = json!([]);
    assert_eq!(missing(Action::Recommend, params.clone()).0, [OFFERS]);
    // Interaction does not care about offers.
    build_ok(Action::Interaction, params);
}

#[test]
fn elevate_and_adjust_requirements() {
    let mut params = minimal_params();
    assert_eq!(
        missing(Action::Elevate, params.clone()).0,
        [CONTENT, PARENT]
    );
    assert_eq!(
        missing(Action::Adjust, params.clone()).0,
        [CONTENT, INSTRUCTION, PARENT]
    );
    params["request"]["attributes"] = json!({ "content": "draft" });
    assert_eq!(
        missing(Action::Adjust, params.clone()).0,
        [INSTRUCTION, PARENT]
    );
    params["request"]["connections"]["parentId"] = json!("p-1");
    build_ok(Action::Elevate, params.clone());
    assert_eq!(missing(Action::Adjust, params.clone()).0, [INSTRUCTION]);
    // Legacy request.content satisfies attributes.content.
    let mut params = minimal_params();
    params["request"]["content"] = json!("draft");
    params["request"]["connections"]["parentId"] = json!("p-1");
    build_ok(Action::Elevate, params);
}

#[test]
fn organization_and_session_from_config() {
    let mut params = complete();
    set(&mut params, ORG, json!(""));
    assert_eq!(missing(Action::Interaction, params.clone()).0, [ORG]);
    let config = EnvelopeConfig {
        organization_id: Some("org-cfg".into()),
        session_id: Some("sess-cfg".into()),
        ..Default::default()
    };
    let (env, _) = build_with(Action::Interaction, params.clone(), &config);
    assert_eq!(
        env["payload"]["request"]["context"]["organizationId"],
        "org-cfg"
    );
    assert_eq!(env["payload"]["session"]["sessionId"], "sess-cfg");
    // A null or blank organizationId (and sessionId) is filled too.
    set(&mut params, ORG, Value::Null);
    build_with(Action::Interaction, params.clone(), &config);
    set(&mut params, ORG, json!("  "));
    params["session"] = json!({ "sessionId": " " });
    let (env, _) = build_with(Action::Interaction, params, &config);
    assert_eq!(
        env["payload"]["request"]["context"]["organizationId"],
        "org-cfg"
    );
    assert_eq!(env["payload"]["session"]["sessionId"], "sess-cfg");
    // Given values are not replaced.
    let mut params = complete();
    params["session"] = json!({ "sessionId": "mine" });
    let (env, _) = build_with(Action::Interaction, params, &config);
    assert_eq!(
        env["payload"]["request"]["context"]["organizationId"],
        "org-1"
    );
    assert_eq!(env["payload"]["session"]["sessionId"], "mine");
}

#[test]
fn each_suggestion_names_its_field() {
    for action in Action::ALL {
        let (list, err) = missing(action, json!({}));
        for (path, suggestion) in list.iter().zip(&err.suggestions) {
            let last = path.rsplit('.').next().unwrap();
            assert!(suggestion.contains(last), "{path}: {suggestion}");
        }
    }
}

/// Params whose envelope is exactly `target` bytes (ASCII filler in a
/// conversation message).
fn params_of_size(target: usize) -> Value {
    let with = |n: usize| {
        let mut p = minimal_params();
        p["request"]["scope"]["conversations"][0]["messages"] =
            json!([{ "content": "a".repeat(n), "participantId": "p", "timestamp": "" }]);
        p
    };
    let base = build_ok(Action::Interaction, with(0)).1.text.len();
    with(target - base)
}

#[test]
fn size_limit_is_inclusive() {
    assert_eq!(MAX_ENVELOPE_BYTES, 131_072);
    let (_, out) = build_ok(Action::Interaction, params_of_size(MAX_ENVELOPE_BYTES));
    assert_eq!(out.text.len(), MAX_ENVELOPE_BYTES);
    let (_, out) = build_ok(Action::Interaction, params_of_size(MAX_ENVELOPE_BYTES - 1));
    assert_eq!(out.text.len(), MAX_ENVELOPE_BYTES - 1);
    let err = expect_code(
        build_err(Action::Interaction, params_of_size(MAX_ENVELOPE_BYTES + 1)),
        ErrorCode::PayloadTooLarge,
    );
    assert_eq!(err.category, ErrorCategory::Validation);
    let d = details(&err);
    assert_eq!(d["size"], MAX_ENVELOPE_BYTES + 1);
    assert_eq!(d["maxSize"], MAX_ENVELOPE_BYTES);
    assert_eq!(d["largestParts"][0]["path"], CONV);
    assert!(err.suggestions[0].contains(CONV), "{:?}", err.suggestions);
    assert!(err.message.contains("131073") && err.message.contains("131072"));
    // No id was drawn for the refused envelope, so a generated correlation id
    // cannot be named (for a known one, see core_builder's
    // too_large_carries_the_known_correlation_id).
}

#[test]
fn size_counts_utf8_bytes() {
    let n = 45_000;
    let params = |s: &str| {
        let mut p = minimal_params();
        p["request"]["scope"]["conversations"][0]["messages"] = json!([{ "content": s.repeat(n) }]);
        p
    };
    let (_, ascii) = build_ok(Action::Interaction, params("a"));
    let ascii_len = ascii.text.len();
    assert!(ascii_len + 2 * n > MAX_ENVELOPE_BYTES && ascii_len < MAX_ENVELOPE_BYTES);
    let err = expect_code(
        build_err(Action::Interaction, params("€")),
        ErrorCode::PayloadTooLarge,
    );
    // "€" is 3 bytes of UTF-8 and 1 char: only bytes count.
    assert_eq!(details(&err)["size"], ascii_len + 2 * n);
}

#[test]
fn size_suggestions_name_the_largest_part_first() {
    let mut params = minimal_params();
    params["request"]["resources"] = json!({ "offers": [{ "blob": "o".repeat(100_000) }] });
    params["session"] = json!({ "channel": { "metadata": ["m".repeat(40_000)] } });
    let err = expect_code(
        build_err(Action::Recommend, params),
        ErrorCode::PayloadTooLarge,
    );
    assert!(err.suggestions[0].contains(OFFERS), "{:?}", err.suggestions);
    assert!(err.suggestions[1].contains("session.channel.metadata"));
    assert!(err.suggestions.len() <= 3);
    let d = details(&err);
    let parts = d["largestParts"].as_array().unwrap();
    let bytes: Vec<u64> = parts.iter().map(|p| p["bytes"].as_u64().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "{bytes:?}");
}

#[test]
fn size_parts_are_the_measured_fields_over_two_bytes() {
    // The bulk in a field that is not measured: the parts named are the
    // measured ones, by size, and the whole envelope's bytes are counted.
    let mut params = minimal_params();
    params["session"] = json!({ "interface": { "name": "é".repeat(MAX_ENVELOPE_BYTES / 2) } });
    let err = expect_code(
        build_err(Action::Interaction, params),
        ErrorCode::PayloadTooLarge,
    );
    let d = details(&err);
    assert!(d["size"].as_u64().unwrap() > MAX_ENVELOPE_BYTES as u64);
    let paths: Vec<&str> = d["largestParts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    // The conversation and the default link are over 2 bytes; `[]` and `""` are not.
    assert_eq!(paths, ["request.resources.links", CONV]);
    let bytes: Vec<u64> = d["largestParts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["bytes"].as_u64().unwrap())
        .collect();
    let conv_len = text(&minimal_params()["request"]["scope"]["conversations"]).len() as u64;
    assert_eq!(bytes[1], conv_len);
    assert!(bytes[0] > bytes[1]);
    assert_eq!(err.suggestions.len(), 2);
    assert_eq!(err.timestamp, NOW_ISO);
}
