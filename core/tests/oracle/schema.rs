//! The schema table of the payload and the header overrides, and the walker
//! that type-checks a JSON value against it (`strictValidation` and
//! `params.headers`), as the serde path had them. Unknown keys are ignored and
//! `null` counts as absent, except where a table is `closed`.

use serde_json::Value;

/// The type a field must have.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// Any finite number.
    Num,
    /// An integer from 0 to 4,294,967,295.
    U32,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An object with these known fields (others allowed).
    Obj(&'static [Field]),
    /// An array of this kind.
    Arr(&'static Kind),
    /// An array of anything.
    AnyArr,
    /// An object of anything.
    AnyObj,
    /// Anything.
    Any,
}

/// A known field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Wire name.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

use Kind::{AnyArr, AnyObj, Arr, Bool, Enum, Num, Obj, Str, U32};

const CHANNEL: &[Field] = &[
    f("browser", Str),
    f("deviceInfo", Str),
    f("deviceType", Str),
    f("language", Str),
    f("location", Str),
    f("medium", Enum(&["chat", "voice", "email"])),
    f("metadata", AnyArr),
    f("section", Str),
];
const INTERFACE: &[Field] = &[
    f("appVersion", Str),
    f("category", Str),
    f("language", Str),
    f("name", Str),
    f("type", Str),
];
const SESSION: &[Field] = &[
    f("sessionId", Str),
    f("channel", Obj(CHANNEL)),
    f("interface", Obj(INTERFACE)),
];
const ATTRIBUTES: &[Field] = &[f("content", Str), f("instruction", Str), f("variant", Str)];
const CONNECTIONS: &[Field] = &[f("journeyId", Str), f("parentId", Str), f("threadId", Str)];
const CONTEXT: &[Field] = &[
    f("caseId", Str),
    f("departmentId", Str),
    f("operatorId", Str),
    f("organizationId", Str),
    f("tenantId", Str),
    f("userId", Str),
];
const REFERENCE_ID: &[Field] = &[f("name", Str), f("value", Str)];
const REFERENCE: &[Field] = &[
    f("ids", Arr(&Obj(REFERENCE_ID))),
    f("labels", Arr(&Str)),
    f("tags", Arr(&Str)),
];
const CODE: &[Field] = &[
    f("id", Str),
    f("label", Str),
    f("type", Str),
    f("value", Str),
];
const LINK: &[Field] = &[
    f("expires_at", Str),
    f("expiresAt", Str),
    f("html", Bool),
    f("id", Str),
    f("label", Str),
    f("type", Str),
    f("url", Str),
];
const RESOURCES: &[Field] = &[
    f("codes", Arr(&Obj(CODE))),
    f("links", Arr(&Obj(LINK))),
    f("offers", AnyArr),
];
const PARTICIPANT: &[Field] = &[
    f("participantId", Str),
    f("displayName", Str),
    f("role", Enum(&["user", "operator", "bot"])),
];
const MESSAGE: &[Field] = &[
    f("content", Str),
    f("participantId", Str),
    f("timestamp", Str),
];
const CONVERSATION: &[Field] = &[
    f("conversationId", Str),
    f("participants", Arr(&Obj(PARTICIPANT))),
    f("messages", Arr(&Obj(MESSAGE))),
    f("metadata", AnyObj),
];
const INTERACTION: &[Field] = &[
    f("content", Str),
    f("id", Str),
    f("name", Str),
    f("role", Str),
    f("timestamp", Str),
];
const SCOPE: &[Field] = &[
    f("conversations", Arr(&Obj(CONVERSATION))),
    f("interactions", Arr(&Obj(INTERACTION))),
    f("resources", Obj(RESOURCES)),
    f("accounts", AnyArr),
    f("appointments", AnyArr),
    f("assets", AnyArr),
    f("bookings", AnyArr),
    f("cases", AnyArr),
    f("documents", AnyArr),
    f("events", AnyArr),
    f("items", AnyArr),
    f("locations", AnyArr),
    f("offers", AnyArr),
    f("operators", AnyArr),
    f("orders", AnyArr),
    f("organizations", AnyArr),
    f("persons", AnyArr),
    f("policies", AnyArr),
    f("products", AnyArr),
    f("properties", AnyArr),
    f("services", AnyArr),
    f("subscriptions", AnyArr),
    f("tickets", AnyArr),
    f("transactions", AnyArr),
    f("users", AnyArr),
];
const SETTINGS: &[Field] = &[
    f("disableBrowsing", Bool),
    f("disableSearch", Bool),
    f("disableSources", Bool),
    f("disableStream", Bool),
    f("disableTools", Bool),
    f("maxResponseLength", U32),
    f("overrideInterfaceLanguage", Str),
    f("overrideOutputLanguage", Str),
    f("overrideChannelMedium", Str),
];
const A2A: &[Field] = &[f("id", Str), f("name", Str), f("type", Str)];
const CURSOR: &[Field] = &[f("since", Str), f("until", Str)];
const REQUEST: &[Field] = &[
    f("requestId", Str),
    f("attributes", Obj(ATTRIBUTES)),
    f("connections", Obj(CONNECTIONS)),
    f("context", Obj(CONTEXT)),
    f("reference", Obj(REFERENCE)),
    f("resources", Obj(RESOURCES)),
    f("scope", Obj(SCOPE)),
    f("settings", Obj(SETTINGS)),
    f("a2a", Arr(&Obj(A2A))),
    f("cursor", Obj(CURSOR)),
    f("variation", Str),
    f("content", Str),
];

/// The payload: `{ session, request }` (mirrors `model::Payload`).
pub const PAYLOAD: &[Field] = &[f("session", Obj(SESSION)), f("request", Obj(REQUEST))];

/// `params.headers` (mirrors `model::HeaderOverrides`; closed: other keys are refused).
pub const HEADERS: &[Field] = &[
    f("correlationId", Str),
    f("traceId", Str),
    f("idempotencyKey", Str),
    f("timestamp", Str),
    f("networkLatencyMs", Num),
    f("tenantId", Str),
];

/// A type mismatch: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Dotted path with array indices, e.g. `request.scope.conversations[0].participants[1].role`.
    pub path: String,
    /// What went wrong, e.g. `expected one of "user", "operator", "bot", got "admin"`.
    pub message: String,
}

/// Checks the known fields of `value` (an object) against `fields`. With
/// `closed`, keys not in `fields` are refused too (top level only). Returns
/// the first mismatch: unknown keys first, then the fields in table order.
pub fn check(value: &Value, fields: &[Field], closed: bool) -> Result<(), Mismatch> {
    match check_all(value, fields, closed).into_iter().next() {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

/// Every mismatch of `value`, in the order [`check`] meets them.
pub fn check_all(value: &Value, fields: &[Field], closed: bool) -> Vec<Mismatch> {
    let mut found = Vec::new();
    if let Value::Object(map) = value {
        if closed {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            for key in map.keys().filter(|k| !names.contains(&k.as_str())) {
                found.push(Mismatch {
                    path: key.clone(),
                    message: format!(
                        "unknown field `{key}`, expected one of {}",
                        names.join(", ")
                    ),
                });
            }
        }
    }
    walk_fields(value, fields, &mut String::new(), &mut found);
    found
}

fn walk_fields(value: &Value, fields: &[Field], path: &mut String, found: &mut Vec<Mismatch>) {
    let Value::Object(map) = value else {
        return mismatch(path, "an object", value, found);
    };
    for field in fields {
        let Some(child) = map.get(field.name) else {
            continue;
        };
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field.name);
        walk(child, field.kind, path, found);
        path.truncate(len);
    }
}

fn walk(value: &Value, kind: Kind, path: &mut String, found: &mut Vec<Mismatch>) {
    if value.is_null() {
        return;
    }
    match kind {
        Kind::Any => {}
        Str if value.is_string() => {}
        Bool if value.is_boolean() => {}
        Num if value.is_number() => {}
        U32 if value.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {}
        AnyArr if value.is_array() => {}
        AnyObj if value.is_object() => {}
        Enum(options) => match value.as_str() {
            Some(s) if options.contains(&s) => {}
            _ => {
                let list: Vec<String> = options.iter().map(|o| format!("{o:?}")).collect();
                mismatch(path, &format!("one of {}", list.join(", ")), value, found)
            }
        },
        Obj(fields) => walk_fields(value, fields, path, found),
        Arr(item) => {
            let Value::Array(items) = value else {
                return mismatch(path, "an array", value, found);
            };
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                walk(child, *item, path, found);
                path.truncate(len);
            }
        }
        Str => mismatch(path, "a string", value, found),
        Bool => mismatch(path, "a boolean", value, found),
        Num => mismatch(path, "a number", value, found),
        U32 => mismatch(path, "an integer from 0 to 4294967295", value, found),
        AnyArr => mismatch(path, "an array", value, found),
        AnyObj => mismatch(path, "an object", value, found),
    }
}

fn mismatch(path: &str, expected: &str, got: &Value, found: &mut Vec<Mismatch>) {
    let got = match got {
        Value::String(s) => format!("{s:?}"),
        other => kind(other).to_owned(),
    };
    found.push(Mismatch {
        path: path.to_owned(),
        message: format!("expected {expected}, got {got}"),
    });
}

/// The JSON kind of a value, for messages (`string`, `array`, ...).
pub use crate::common::kind;
