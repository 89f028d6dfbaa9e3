//! The one-pass envelope builder (`core::fast`) against the slow path
//! (`envelope::build` on the parsed params): for every input, `build_from_json`
//! must return what the slow path returns (the same envelope value and length,
//! correlation id, deprecations and ids drawn, or the same error), and the fast
//! path must fall back without drawing an id whenever it does not answer.
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]
// The reference path returns the crate's error type as the crate does.
#![allow(clippy::result_large_err)]

mod common;

use std::time::Instant;

use common::*;
use optave_client::core::action::Action;
use optave_client::core::envelope::{build, build_from_json, EnvelopeConfig, Outbound};
use optave_client::core::error::{ErrorCode, OptaveError};
use optave_client::core::fast;
use optave_client::core::legacy::Deprecation;
use optave_client::core::validate::MAX_ENVELOPE_BYTES;
use serde_json::{json, Map, Value};

const PREFIX: &str = r#"{"action":"message","headers":{"correlationId":"#;
const SEED: u64 = 11;

/// `build_from_json` as it was before the fast path: parse, then `build`.
fn slow_from_json(
    action: Action,
    text: &str,
    config: &EnvelopeConfig,
    ids: &mut optave_client::core::ids::IdGenerator<SeededRandom>,
) -> Result<Outbound, OptaveError> {
    match serde_json::from_str::<Value>(text) {
        Ok(params) => build(action, params, config, ids, NOW_MS),
        Err(e) => Err(OptaveError::validation(
            ErrorCode::PayloadSchemaMismatch,
            format!("params are not JSON-serializable: {e}"),
            NOW_MS,
        )),
    }
}

/// `value` with every object's keys sorted, serialized.
fn canonical(value: &Value) -> String {
    fn sort(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut sorted = Map::new();
                for key in keys {
                    sorted.insert(key.clone(), sort(&map[key]));
                }
                Value::Object(sorted)
            }
            Value::Array(items) => Value::Array(items.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sort(value)).unwrap()
}

fn assert_same_outbound(fast: &Outbound, slow: &Outbound, label: &str) {
    assert_eq!(fast.correlation_id, slow.correlation_id, "{label}");
    assert_eq!(fast.deprecations, slow.deprecations, "{label}");
    assert!(fast.text.starts_with(PREFIX), "{label}: {}", fast.text);
    let f: Value = serde_json::from_str(&fast.text).expect("fast envelope is JSON");
    let s: Value = serde_json::from_str(&slow.text).expect("slow envelope is JSON");
    assert_eq!(f, s, "{label}");
    assert_eq!(canonical(&f), canonical(&s), "{label}");
    assert_eq!(fast.text.len(), slow.text.len(), "{label}: text length");
    let order =
        |v: &Value| -> Vec<String> { v["headers"].as_object().unwrap().keys().cloned().collect() };
    assert_eq!(order(&f), order(&s), "{label}: header order");
}

/// Checks `build_from_json` against the slow path on `text`; returns whether
/// the fast path answered.
fn check_same(action: Action, text: &str, config: &EnvelopeConfig, label: &str) -> bool {
    let label = format!("{label} [{action:?}, strict {}]", config.strict);
    let mut fast_ids = ids(SEED);
    let mut slow_ids = ids(SEED);
    let got = build_from_json(action, text, config, &mut fast_ids, NOW_MS);
    let want = slow_from_json(action, text, config, &mut slow_ids);
    match (&got, &want) {
        // Fell back: byte for byte the slow path's.
        (Ok(a), Ok(b)) if a == b => {}
        (Ok(a), Ok(b)) => assert_same_outbound(a, b, &label),
        (Err(a), Err(b)) => assert_eq!(a, b, "{label}"),
        (Ok(a), Err(b)) => panic!("{label}: fast Ok {} / slow Err {b}", a.text),
        (Err(a), Ok(_)) => panic!("{label}: fast Err {a} / slow Ok"),
    }
    let mut probe_ids = ids(SEED);
    let direct = fast::try_build(action, text, config, &mut probe_ids, NOW_MS);
    // The next id tells whether both drew the same number of ids.
    let slow_next = slow_ids.uuid_v7(NOW_MS);
    assert_eq!(fast_ids.uuid_v7(NOW_MS), slow_next, "{label}: ids drawn");
    match direct {
        Some(Ok(out)) => {
            assert_eq!(Some(&out), got.as_ref().ok(), "{label}");
            assert_eq!(
                probe_ids.uuid_v7(NOW_MS),
                slow_next,
                "{label}: ids drawn by try_build"
            );
            true
        }
        Some(Err(e)) => panic!("{label}: the fast path built an error: {e}"),
        None => {
            assert_eq!(
                probe_ids.uuid_v7(NOW_MS),
                ids(SEED).uuid_v7(NOW_MS),
                "{label}: try_build drew an id before falling back"
            );
            false
        }
    }
}

/// Strict on and off, with and without client-level values.
fn configs() -> Vec<EnvelopeConfig> {
    let mut out = Vec::new();
    for strict in [false, true] {
        out.push(EnvelopeConfig {
            strict,
            ..Default::default()
        });
        out.push(EnvelopeConfig {
            organization_id: Some("org-cfg".into()),
            session_id: Some("sess-cfg \u{e9}\"".into()),
            tenant_id: Some("tenant-cfg".into()),
            strict,
        });
    }
    out
}

fn seed002() -> Value {
    fixture("seed002_interaction_params.json")
}

/// Seed 002 in today's spelling: `request.scope.resources` moved to
/// `request.resources`, the link's `expiresAt` named `expires_at` (the payload
/// the slow path builds from the legacy spelling).
fn seed002_current() -> Value {
    let mut params = seed002();
    let request = params["request"].as_object_mut().unwrap();
    let mut resources = request["scope"]
        .as_object_mut()
        .unwrap()
        .remove("resources")
        .unwrap();
    for link in resources["links"].as_array_mut().unwrap() {
        let link = link.as_object_mut().unwrap();
        let at = link.remove("expiresAt").unwrap();
        link.insert("expires_at".into(), at);
    }
    request.insert("resources".into(), resources);
    params
}

fn text(value: &Value) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn map_equality_ignores_key_order() {
    // The comparisons below rely on it (serde_json is built with preserve_order).
    let a: Value = serde_json::from_str(r#"{"a":1,"b":{"c":2,"d":3}}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"b":{"d":3,"c":2},"a":1}"#).unwrap();
    assert_eq!(a, b);
    assert_ne!(text(&a), text(&b));
    assert_eq!(canonical(&a), canonical(&b));
    let c: Value = serde_json::from_str(r#"{"b":{"d":3,"c":2},"a":2}"#).unwrap();
    assert_ne!(a, c);
}

#[test]
fn current_seed002_builds_the_same_payload_as_the_legacy_one() {
    let (legacy, _) = build_ok(Action::Interaction, seed002());
    let (current, out) = build_ok(Action::Interaction, seed002_current());
    assert_eq!(legacy["payload"], current["payload"]);
    assert!(out.deprecations.is_empty());
}

#[test]
fn fixtures_every_action_and_config() {
    let mut names: Vec<(String, String)> = [
        "seed000_customerinteraction_params.json",
        "seed001_reception_params.json",
        "seed001_reception_rest.json",
        "seed002_interaction_params.json",
        "seed003_insights_params.json",
        "seed004_recommend_params.json",
    ]
    .iter()
    .map(|n| (n.to_string(), fixture_text(n)))
    .collect();
    names.push(("seed002 current".into(), text(&seed002_current())));
    names.push((
        "seed002 current, pretty".into(),
        serde_json::to_string_pretty(&seed002_current()).unwrap(),
    ));
    let mut taken = 0;
    let mut total = 0;
    for (name, params) in &names {
        for action in Action::ALL {
            for config in configs() {
                total += 1;
                if check_same(action, params, &config, name) {
                    taken += 1;
                }
            }
        }
    }
    println!("fixtures: fast path answered {taken} of {total}");
    // Seed 002's fixture uses legacy spellings (the slow path rewrites them);
    // the others are answered by the fast path for the actions they satisfy.
    assert!(taken * 3 > total, "fast path answered {taken} of {total}");
}

#[test]
fn fast_path_answers_the_plain_seed002() {
    let params = text(&seed002_current());
    for config in configs() {
        for action in [Action::Interaction, Action::CustomerInteraction] {
            let out = fast::try_build(action, &params, &config, &mut ids(SEED), NOW_MS);
            assert!(
                matches!(out, Some(Ok(_))),
                "{action:?} strict {}",
                config.strict
            );
        }
    }
    // And the seeds 000/003/004 as written.
    for (action, name) in [
        (
            Action::CustomerInteraction,
            "seed000_customerinteraction_params.json",
        ),
        (Action::Insights, "seed003_insights_params.json"),
        (Action::Recommend, "seed004_recommend_params.json"),
    ] {
        for config in configs() {
            let out = fast::try_build(action, &fixture_text(name), &config, &mut ids(SEED), NOW_MS);
            assert!(
                matches!(out, Some(Ok(_))),
                "{name} strict {}",
                config.strict
            );
        }
    }
}

#[test]
fn fast_path_falls_back_for_legacy_input_and_missing_fields() {
    let config = EnvelopeConfig::default();
    let run = |action, params: &str| {
        let mut generator = ids(SEED);
        let out = fast::try_build(action, params, &config, &mut generator, NOW_MS);
        // Nothing drawn before falling back.
        assert_eq!(generator.uuid_v7(NOW_MS), ids(SEED).uuid_v7(NOW_MS));
        out.is_none()
    };
    // The seed 002 fixture spells resources and the link expiry the legacy
    // way: rewritten in the fast path, with both deprecations reported.
    let seed = fixture_text("seed002_interaction_params.json");
    let out = fast::try_build(Action::Interaction, &seed, &config, &mut ids(SEED), NOW_MS);
    let Some(Ok(out)) = out else {
        panic!("seed 002 as written fell back")
    };
    assert_eq!(
        out.deprecations,
        [Deprecation::ScopeResources, Deprecation::LinkExpiresAt]
    );
    // request.variation and request.content still go to the slow path.
    let mut legacy = seed002_current();
    legacy["request"]["variation"] = json!("b");
    assert!(run(Action::Interaction, &text(&legacy)));
    // Elevate needs attributes.content and connections.parentId.
    assert!(run(Action::Elevate, &text(&seed002_current())));
    let mut missing = seed002_current();
    missing["request"]["connections"]["threadId"] = json!("  ");
    assert!(run(Action::Interaction, &text(&missing)));
    assert!(run(Action::Interaction, "{}"));
    assert!(run(Action::Interaction, "null"));
}

// ---------------------------------------------------------------------------
// Single-field mutations.

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Every path into `value` (objects and arrays, at any depth).
fn paths(value: &Value, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(Seg::Key(k.clone()));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(Seg::Index(i));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

/// Paths of the default payload's objects (not inside arrays).
fn default_paths(value: &Value, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            prefix.push(Seg::Key(k.clone()));
            out.push(prefix.clone());
            default_paths(v, prefix, out);
            prefix.pop();
        }
    }
}

/// Sets `path` to `replacement` (creating missing objects on the way), or
/// deletes it when `replacement` is `None`. False when the path cannot be reached.
fn set_path(root: &mut Value, path: &[Seg], replacement: Option<Value>) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = root;
    for seg in parents {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(map)) => map.entry(k.clone()).or_insert_with(|| json!({})),
            (Seg::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node, replacement) {
        (Seg::Key(k), Value::Object(map), Some(v)) => {
            map.insert(k.clone(), v);
        }
        (Seg::Key(k), Value::Object(map), None) => {
            map.shift_remove(k);
        }
        (Seg::Index(i), Value::Array(items), Some(v)) if *i < items.len() => items[*i] = v,
        (Seg::Index(i), Value::Array(items), None) if *i < items.len() => {
            items.remove(*i);
        }
        _ => return false,
    }
    true
}

fn path_label(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

const MARK: &str = "__fast_path_mutation__";

/// Replacement values as raw JSON text (escapes and number spellings kept).
const REPLACEMENTS: &[&str] = &[
    "null",
    r#""""#,
    r#""   ""#,
    "0",
    "-1",
    "1.5",
    "4294967296",
    "true",
    "[]",
    "{}",
    r#""x\u00e9\"\\\n""#,
    r#"["a"]"#,
    "[{}]",
    "4294967295",
    "-0",
    "1e2",
    "2000.0",
    "12345678901234567890123",
    r#""\u00a0""#,
    r#""\u2003x""#,
    r#""user""#,
    r#""admin""#,
    r#""us\u0065r""#,
    r#""voice""#,
    r#""b\u0063""#,
    r#""\ud83d\ude00 ok""#,
    r#""\ud800""#,
    r#""\u0000\u001f\/""#,
    r#"{"k":[1,{"x":null}]}"#,
    r#"[{"expiresAt":"x"}]"#,
];

/// Seed 002 (current spelling) completed so that every action's requirements
/// are met: a mutation is then the only reason to fall back.
fn seed002_complete() -> Value {
    let mut params = seed002_current();
    params["request"]["resources"]["offers"] = json!([{ "id": "offer-1" }]);
    params["request"]["attributes"]["content"] = json!("Draft reply");
    params["request"]["attributes"]["instruction"] = json!("Warmer");
    params["request"]["connections"]["parentId"] = json!("parent-1");
    params
}

/// Every path of the complete seed 002 and of the default payload, set to each
/// of [`REPLACEMENTS`] and deleted, strict off and on; the action cycles
/// through [`Action::ALL`]. Paths are split in `parts` (one test each, so the
/// harness runs them in parallel); returns (cases, answered by the fast path).
fn mutation_sweep(part: usize, parts: usize) -> (usize, usize) {
    let base = seed002_complete();
    let mut all = Vec::new();
    paths(&base, &mut Vec::new(), &mut all);
    let defaults: Value =
        serde_json::from_str(optave_client::core::defaults::DEFAULT_PAYLOAD_JSON).unwrap();
    default_paths(&defaults, &mut Vec::new(), &mut all);
    let mut labels = std::collections::HashSet::new();
    all.retain(|path| labels.insert(path_label(path)));
    let mut cases = 0;
    let mut taken = 0;
    let configs = configs();
    for path in all.iter().skip(part).step_by(parts) {
        let label = path_label(path);
        let mut texts = Vec::new();
        let mut marked = base.clone();
        if set_path(&mut marked, path, Some(json!(MARK))) {
            let marked = text(&marked);
            for raw in REPLACEMENTS {
                texts.push((
                    format!("{label} = {raw}"),
                    marked.replace(&format!("\"{MARK}\""), raw),
                ));
            }
        }
        let mut deleted = base.clone();
        if set_path(&mut deleted, path, None) {
            texts.push((format!("delete {label}"), text(&deleted)));
        }
        for (i, (name, params)) in texts.iter().enumerate() {
            // Strict off and on; with and without client-level values in turn.
            for config in [&configs[i % 2], &configs[2 + (i + 1) % 2]] {
                let action = Action::ALL[cases % Action::ALL.len()];
                cases += 1;
                if check_same(action, params, config, name) {
                    taken += 1;
                }
            }
        }
    }
    println!("mutations part {part}: fast path answered {taken} of {cases}");
    (cases, taken)
}

#[test]
fn single_field_mutations_match_the_slow_path_part_1() {
    let (cases, taken) = mutation_sweep(0, 2);
    assert!(cases > 3_000, "{cases} cases");
    assert!(taken * 3 > cases, "fast path answered {taken} of {cases}");
}

#[test]
fn single_field_mutations_match_the_slow_path_part_2() {
    let (cases, taken) = mutation_sweep(1, 2);
    assert!(cases > 3_000, "{cases} cases");
    assert!(taken * 3 > cases, "fast path answered {taken} of {cases}");
}

// ---------------------------------------------------------------------------
// Hand-picked inputs.

fn check_all(params: &str, label: &str) -> usize {
    let mut taken = 0;
    for config in configs() {
        for action in [Action::Interaction, Action::Recommend] {
            if check_same(action, params, &config, label) {
                taken += 1;
            }
        }
    }
    taken
}

fn with(edit: impl FnOnce(&mut Value)) -> String {
    let mut params = seed002_current();
    edit(&mut params);
    text(&params)
}

#[test]
fn unknown_keys_at_several_levels() {
    let cases = [
        with(|p| p["session"]["extra"] = json!({ "a": [1, 2] })),
        with(|p| p["session"]["channel"]["extra"] = json!("x")),
        with(|p| p["request"]["extra"] = json!(null)),
        with(|p| p["request"]["context"]["extra"] = json!(1.25)),
        with(|p| p["request"]["scope"]["conversations"][0]["extra"] = json!({})),
        with(|p| p["request"]["scope"]["conversations"][0]["expiresAt"] = json!("x")),
        with(|p| p["request"]["resources"]["links"][0]["meta"] = json!({ "expiresAt": "x" })),
        with(|p| p["request"]["scope"]["extra"] = json!([{ "expiresAt": 1 }])),
    ];
    for (i, params) in cases.iter().enumerate() {
        assert!(
            check_all(params, &format!("unknown key {i}")) > 0,
            "case {i} fell back"
        );
    }
    // Unknown top-level keys are refused (by the slow path).
    let params = with(|p| p["extra"] = json!({}));
    assert_eq!(check_all(&params, "top-level extra"), 0);
}

#[test]
fn legacy_attribute_spellings_go_through_the_slow_path() {
    let cases = [
        with(|p| p["request"]["variation"] = json!("b")),
        with(|p| p["request"]["variation"] = json!(null)),
        with(|p| p["request"]["content"] = json!("legacy content")),
    ];
    for (i, params) in cases.iter().enumerate() {
        assert_eq!(check_all(params, &format!("legacy {i}")), 0, "case {i}");
    }
}

#[test]
fn legacy_resources_spellings_are_rewritten_like_the_slow_path() {
    let answered = [
        fixture_text("seed002_interaction_params.json"),
        with(|p| p["request"]["scope"]["resources"] = json!({ "offers": [{}] })),
        with(|p| p["request"]["resources"]["links"][0]["expiresAt"] = json!("2026-01-01")),
        with(|p| {
            p["request"]["resources"]["links"] =
                json!([{ "id": "1" }, { "expiresAt": "2026-01-01", "expires_at": "" }])
        }),
        with(|p| {
            p["request"]["resources"]["links"] =
                json!([{ "expiresAt": "2026-01-01", "expires_at": "2027-01-01" }])
        }),
        // Both spellings: the explicit request.resources wins key by key.
        with(|p| {
            p["request"]["scope"]["resources"] =
                json!({ "offers": [{ "id": "moved" }], "codes": [{ "id": "c" }] });
            p["request"]["resources"] = json!({ "offers": [{ "id": "explicit" }] });
        }),
        // The moved value's links are renamed too.
        with(|p| {
            p["request"]["scope"]["resources"] =
                json!({ "links": [{ "url": "u", "expiresAt": "2026-01-01" }] });
        }),
        // request.resources that is not an object is replaced by the moved value.
        with(|p| {
            p["request"]["scope"]["resources"] = json!({ "offers": [{ "id": "o" }] });
            p["request"]["resources"] = json!("not an object");
        }),
        // Moved resources that are not an object, and null.
        with(|p| p["request"]["scope"]["resources"] = json!([1, 2])),
        with(|p| p["request"]["scope"]["resources"] = json!(null)),
        // Keys in any order, white space around them.
        r#"{ "request" : { "scope" : { "resources" : { "offers" : [ { "id" : "o" } ] } } ,
            "resources" : { "codes" : [ ] } , "connections": {"threadId": "t"}, "context": {"organizationId": "o"},
            "scope2": 1 } }"#
            .replace(r#""resources" : { "offers""#, r#""conversations": [{"messages": []}], "resources" : { "offers""#)
            .to_owned(),
    ];
    for (i, params) in answered.iter().enumerate() {
        // check_all compares every answer with the slow path (payload, ids,
        // deprecations); at least the non-strict configs must be answered.
        assert!(
            check_all(params, &format!("legacy resources {i}")) > 0,
            "case {i} fell back"
        );
    }
    // A key with an escape beside them still falls back.
    let escaped = with(|p| p["request"]["scope"]["resources"] = json!({ "offers": [] }))
        .replace(r#""scope":"#, r#""sc\u006fpe":"#);
    assert_eq!(check_all(&escaped, "escaped key"), 0);
}

#[test]
fn header_overrides() {
    let valid = [
        json!({ "correlationId": "corr-1" }),
        json!({ "correlationId": "c \"quoted\" \u{e9}\n" }),
        json!({ "traceId": "t", "idempotencyKey": "k" }),
        json!({ "timestamp": "2024-01-15T10:30:00.000Z" }),
        json!({ "networkLatencyMs": 12 }),
        json!({ "networkLatencyMs": 12.5 }),
        json!({ "networkLatencyMs": null }),
        json!({ "tenantId": "tenant-call" }),
        json!({}),
        json!({ "correlationId": "a", "traceId": "b", "idempotencyKey": "c", "timestamp": "2024-01-15T10:30:00Z", "networkLatencyMs": 0, "tenantId": "d" }),
    ];
    for (i, headers) in valid.iter().enumerate() {
        let params = with(|p| p["headers"] = headers.clone());
        assert!(check_all(&params, &format!("header {i}")) > 0, "header {i}");
    }
    let invalid = [
        json!({ "foo": 1 }),
        json!({ "action": "x" }),
        json!({ "correlationId": "" }),
        json!({ "correlationId": "   " }),
        json!({ "correlationId": 5 }),
        json!({ "timestamp": "yesterday" }),
        json!({ "networkLatencyMs": -1 }),
        json!({ "networkLatencyMs": "1" }),
        json!("headers"),
        json!(null),
        json!([]),
    ];
    for (i, headers) in invalid.iter().enumerate() {
        let params = with(|p| p["headers"] = headers.clone());
        assert_eq!(
            check_all(&params, &format!("bad header {i}")),
            0,
            "bad header {i}"
        );
    }
    // Raw escapes in a header value.
    let params = text(&seed002_current()).replacen(
        r#""headers":{"#,
        r#""headers":{"correlationId":"\u0063orr\tx","#,
        1,
    );
    assert!(check_all(&params, "escaped header") > 0);
}

#[test]
fn strings_numbers_and_escapes() {
    let base = text(&seed002_current());
    let content = r#""content":"Hi, can you help me?""#;
    assert!(base.contains(content));
    let raw_values = [
        r#""Grüße 👋 — ok""#,
        r#""\u00fc\n\t\"\\ \b\f\r \/""#,
        r#""\uD83D\uDE00""#,
        r#""\u0000""#,
        r#""\u007f\u0080\u07ff\u0800\uffff""#,
    ];
    for raw in raw_values {
        let params = base.replacen(content, &format!(r#""content":{raw}"#), 1);
        assert!(check_all(&params, raw) > 0, "{raw}");
    }
    // Refused by serde_json, so by both paths.
    let refused = [
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\ud800\u0041""#,
        r#""\ud800\ud800""#,
        r#""\x""#,
        r#""\u12""#,
        "\"raw\u{1}control\"",
        "\"raw\ttab\"",
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "1e400",
        "tru",
        "nul",
        "NaN",
    ];
    for raw in refused {
        let params = base.replacen(content, &format!(r#""content":{raw}"#), 1);
        assert_eq!(check_all(&params, raw), 0, "{raw}");
    }
    // Numbers written differently by serde_json: same value, same length.
    let numbers = [
        "-0",
        "1E+2",
        "1e-400",
        "0.1",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "1.0000000000000000000001",
        "123456789012345678901234567890e-10",
    ];
    for raw in numbers {
        let params = base.replacen(content, &format!(r#""content":"x","n":{raw}"#), 1);
        assert!(check_all(&params, raw) > 0, "{raw}");
        let params = with(|p| p["request"]["settings"]["maxResponseLength"] = json!(MARK))
            .replace(&format!("\"{MARK}\""), raw);
        check_all(&params, raw);
    }
    // Variant upper-cased, escaped or not.
    for raw in [r#""b""#, r#""\u0062x""#, r#""é\n""#, r#""MiXed""#] {
        let params = with(|p| p["request"]["attributes"]["variant"] = json!(MARK))
            .replace(&format!("\"{MARK}\""), raw);
        assert!(check_all(&params, raw) > 0, "{raw}");
    }
    // Escaped keys fall back (rare), and still match.
    let params = base.replacen(r#""content":"#, r#""\u0063ontent":"#, 1);
    check_all(&params, "escaped key");
}

#[test]
fn malformed_and_unusual_documents() {
    let base = text(&seed002_current());
    let mut cases: Vec<(String, String)> = vec![
        ("padded".into(), format!(" \n\t{base}\r\n ")),
        (
            "pretty".into(),
            serde_json::to_string_pretty(&seed002_current()).unwrap(),
        ),
        ("bom".into(), format!("\u{feff}{base}")),
        ("trailing".into(), format!("{base}x")),
        ("two documents".into(), format!("{base}{base}")),
        ("truncated".into(), base[..base.len() - 1].to_owned()),
        ("empty".into(), String::new()),
        ("blank".into(), "  ".into()),
        ("open".into(), "{".into()),
        ("oops".into(), "{oops".into()),
        ("empty object".into(), "{}".into()),
        ("null".into(), "null".into()),
        ("array".into(), "[]".into()),
        ("string".into(), r#""params""#.into()),
        ("number".into(), "42".into()),
        ("true".into(), "true".into()),
        (
            "trailing comma".into(),
            base.replacen(r#""session":{"#, r#""session":{"x":1,"#, 1)
                .replacen(r#""x":1,"#, r#""x":1,,"#, 1),
        ),
        ("session null".into(), with(|p| p["session"] = json!(null))),
        ("request string".into(), with(|p| p["request"] = json!("r"))),
        (
            "form feed".into(),
            base.replacen(r#""session":"#, "\u{c}\"session\":", 1),
        ),
    ];
    // Duplicate keys, at several levels.
    for (name, from, to) in [
        ("dup top", r#""session":{"#, r#""session":{},"session":{"#),
        (
            "dup header",
            r#""headers":{"#,
            r#""headers":{"tenantId":"a","tenantId":"b","#,
        ),
        (
            "dup template",
            r#""threadId":"#,
            r#""threadId":"t0","threadId":"#,
        ),
        (
            "dup raw",
            r#""displayName":"John Doe""#,
            r#""displayName":"x","displayName":"John Doe""#,
        ),
        (
            "dup unknown",
            r#""connections":{"#,
            r#""connections":{"zz":1,"zz":2,"#,
        ),
        (
            "dup in big object",
            r#""metadata":{}"#,
            r#""metadata":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"c":11}"#,
        ),
    ] {
        assert!(base.contains(from), "{name}");
        cases.push((name.into(), base.replacen(from, to, 1)));
    }
    let big_object = base.replacen(
        r#""metadata":{}"#,
        r#""metadata":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11}"#,
        1,
    );
    cases.push(("big object".into(), big_object));
    // Up to 64 keys in one object are checked for duplicates; more fall back.
    for n in [64, 65, 300] {
        let members: Vec<String> = (0..n).map(|i| format!(r#""k{i}":{i}"#)).collect();
        cases.push((
            format!("{n} keys"),
            base.replacen(
                r#""metadata":{}"#,
                &format!(r#""metadata":{{{}}}"#, members.join(",")),
                1,
            ),
        ));
    }
    // Nesting: within and past serde_json's limit of 128.
    for depth in [40, 95, 150] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        cases.push((
            format!("depth {depth}"),
            base.replacen(
                r#""metadata":{}"#,
                &format!(r#""metadata":{{"deep":{nested}}}"#),
                1,
            ),
        ));
    }
    for (name, params) in &cases {
        check_all(params, name);
    }
    for name in ["padded", "pretty", "big object", "depth 40", "64 keys"] {
        let params = &cases.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(check_all(params, name) > 0, "{name} fell back");
    }
}

/// Seed 002 with a conversation of `messages` messages of `words` words each.
fn long_conversation(messages: usize, words: usize) -> Value {
    let mut params = seed002_current();
    let conv = &mut params["request"]["scope"]["conversations"][0];
    let base = conv["messages"].as_array().unwrap().clone();
    let filler = vec!["lorem ipsum \u{e9}t\u{e9}"; words].join(" ");
    conv["messages"] = Value::Array(
        (0..messages)
            .map(|i| {
                let mut m = base[i % base.len()].clone();
                m["content"] = json!(format!("{} ({i}) {filler}", m["content"].as_str().unwrap()));
                m
            })
            .collect(),
    );
    params
}

#[test]
fn large_envelopes_and_the_size_limit() {
    let fits = text(&long_conversation(190, 20));
    assert!(
        fits.len() > 90_000 && fits.len() < 120_000,
        "{}",
        fits.len()
    );
    assert!(check_all(&fits, "~100 KB") > 0);
    let too_large = text(&long_conversation(270, 20));
    assert!(too_large.len() > 135_000, "{}", too_large.len());
    assert_eq!(check_all(&too_large, "~140 KB"), 0);
    let err = build_from_json(
        Action::Interaction,
        &too_large,
        &EnvelopeConfig::default(),
        &mut ids(SEED),
        NOW_MS,
    )
    .expect_err("too large");
    expect_code(err, ErrorCode::PayloadTooLarge);

    // Exactly at the limit and one byte over, for each config.
    for config in configs() {
        let sized = |pad: usize| {
            let mut params = seed002_current();
            params["request"]["attributes"]["content"] = json!("p".repeat(pad));
            text(&params)
        };
        let len_of = |pad: usize| {
            slow_from_json(Action::Interaction, &sized(pad), &config, &mut ids(SEED))
                .map(|o| o.text.len())
                .unwrap_or_else(|e| e.details["size"].as_u64().unwrap() as usize)
        };
        let pad = MAX_ENVELOPE_BYTES - len_of(0);
        assert_eq!(len_of(pad), MAX_ENVELOPE_BYTES);
        assert!(check_same(
            Action::Interaction,
            &sized(pad),
            &config,
            "at the limit"
        ));
        assert!(!check_same(
            Action::Interaction,
            &sized(pad + 1),
            &config,
            "over the limit"
        ));
    }
}

#[test]
fn config_fill_and_requirements() {
    let blank_config = EnvelopeConfig {
        organization_id: Some("   ".into()),
        session_id: Some(String::new()),
        ..Default::default()
    };
    let fill_config = EnvelopeConfig {
        organization_id: Some("org-cfg".into()),
        session_id: Some("sess-cfg".into()),
        strict: true,
        ..Default::default()
    };
    let cases = [
        with(|p| p["request"]["context"]["organizationId"] = json!("")),
        with(|p| p["request"]["context"]["organizationId"] = json!(" \u{a0} ")),
        with(|p| p["request"]["context"]["organizationId"] = json!(null)),
        with(|p| p["request"]["context"]["organizationId"] = json!(7)),
        with(|p| {
            p["request"]["context"]
                .as_object_mut()
                .unwrap()
                .remove("organizationId");
        }),
        with(|p| {
            p["request"].as_object_mut().unwrap().remove("context");
        }),
        with(|p| p["request"]["context"] = json!(null)),
        with(|p| p["request"]["context"] = json!("ctx")),
        with(|p| {
            p.as_object_mut().unwrap().remove("session");
        }),
        with(|p| p["session"] = json!({})),
        with(|p| p["session"]["sessionId"] = json!("  ")),
        with(|p| p["request"]["requestId"] = json!("  ")),
        with(|p| p["request"]["requestId"] = json!(" padded ")),
        with(|p| p["request"]["requestId"] = json!(5)),
        with(|p| {
            p["request"].as_object_mut().unwrap().remove("requestId");
        }),
        with(|p| p["request"]["connections"] = json!(null)),
        with(|p| p["request"]["scope"] = json!({ "conversations": [] })),
        with(|p| p["request"]["resources"]["offers"] = json!([{ "id": "o" }])),
        with(|p| {
            p["request"]["resources"]["offers"] = json!([{ "id": "o" }]);
            p["request"]["attributes"] =
                json!({ "content": "c", "instruction": "i", "variant": "b" });
            p["request"]["connections"]["parentId"] = json!("parent");
        }),
    ];
    for (i, params) in cases.iter().enumerate() {
        for config in [&blank_config, &fill_config] {
            for action in Action::ALL {
                check_same(action, params, config, &format!("fill case {i}"));
            }
        }
        check_all(params, &format!("fill case {i}"));
    }
}

// ---------------------------------------------------------------------------
// Timing (prints figures; run with
// `cargo test --release --test core_fast -- --ignored --nocapture`).

/// Median over 5 rounds of µs per call (after a warm-up round).
fn time_per_call(n: usize, mut f: impl FnMut()) -> f64 {
    let per_round = (n / 5).max(1);
    let mut rounds: Vec<f64> = (0..6)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_round {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / per_round as f64
        })
        .skip(1)
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

#[test]
#[ignore = "timing; prints figures"]
fn envelope_build_timing() {
    let config = EnvelopeConfig {
        organization_id: Some("org-cfg".into()),
        ..Default::default()
    };
    let inputs = [
        (
            "seed002, current spelling",
            text(&seed002_current()),
            10_000,
        ),
        (
            "seed002 fixture (legacy spelling: falls back)",
            text(&seed002()),
            10_000,
        ),
        (
            "200-message conversation",
            text(&long_conversation(200, 0)),
            2_000,
        ),
        (
            "~100 KB conversation",
            text(&long_conversation(190, 20)),
            500,
        ),
    ];
    for strict in [false, true] {
        let config = EnvelopeConfig {
            strict,
            ..config.clone()
        };
        for (name, params, n) in &inputs {
            let mut generator = ids(SEED);
            let new = time_per_call(*n, || {
                let out =
                    build_from_json(Action::Interaction, params, &config, &mut generator, NOW_MS);
                std::hint::black_box(out.unwrap());
            });
            let mut generator = ids(SEED);
            let old = time_per_call(*n, || {
                let out = slow_from_json(Action::Interaction, params, &config, &mut generator);
                std::hint::black_box(out.unwrap());
            });
            let parsed: Value = serde_json::from_str(params).unwrap();
            let mut generator = ids(SEED);
            let build_only = time_per_call(*n, || {
                let out = build(
                    Action::Interaction,
                    parsed.clone(),
                    &config,
                    &mut generator,
                    NOW_MS,
                );
                std::hint::black_box(out.unwrap());
            });
            println!(
                "{name} ({} B, strict {strict}): build_from_json {new:.2} µs/envelope; \
                 before (parse + build) {old:.2} µs; build(Value) incl. clone {build_only:.2} µs; \
                 speed-up {:.2}x",
                params.len(),
                old / new
            );
        }
    }
}

/// Every prefix of the seed 002 text (as published, legacy spellings and all)
/// and every single-byte replacement by a JSON-significant byte: the builder
/// never panics, and whatever it answers matches the slow path.
#[test]
fn truncated_and_corrupted_seed_text_never_panics_and_matches_the_slow_path() {
    let seed = fixture_text("seed002_interaction_params.json");
    let compact = text(&serde_json::from_str::<Value>(&seed).unwrap());
    let config = EnvelopeConfig::default();
    let mut answered = 0;
    for (source, step) in [(&seed, 5), (&compact, 1)] {
        for end in (0..source.len())
            .step_by(step)
            .filter(|i| source.is_char_boundary(*i))
        {
            let prefix = &source[..end];
            if check_same(Action::Interaction, prefix, &config, "prefix") {
                answered += 1;
            }
        }
    }
    let bytes = compact.as_bytes();
    for at in (0..bytes.len()).step_by(7) {
        for replacement in [b'"', b'{', b'}', b'[', b']', b',', b':', b'\\', b'0', b'n'] {
            let mut corrupted = bytes.to_vec();
            corrupted[at] = replacement;
            let Ok(corrupted) = String::from_utf8(corrupted) else {
                continue;
            };
            if check_same(Action::Interaction, &corrupted, &config, "corrupted") {
                answered += 1;
            }
        }
    }
    // Some corruptions only touch string contents: those are answered.
    assert!(answered > 100, "{answered}");
}
