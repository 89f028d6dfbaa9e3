//! The refusals of the outbound path, each a VALIDATION [`OptaveError`] that
//! names the field(s) (protocol.md sections 2 and 4): not JSON, the top-level
//! shape, the header overrides, `strictValidation`, required fields, size.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::check::Mismatch;
use super::template::Tag;
use super::walk::Cap;
use super::MAX_ENVELOPE_BYTES;
use crate::action::{Action, Need};
use crate::error::{Detail, ErrorCode, OptaveError};
use crate::headers::{self, HeaderKind, Owner, HEADERS};
use crate::json::{self, Doc, Kind, ParseError};
use crate::text::Text;
use crate::time::is_iso_timestamp;

/// The only keys allowed at the top level of a caller's params.
pub const TOP_LEVEL_KEYS: [&str; 3] = ["session", "request", "headers"];

fn mismatch(message: impl Into<String>, details: Detail, now_ms: f64) -> OptaveError {
    OptaveError::validation(ErrorCode::PayloadSchemaMismatch, message, now_ms).with_details(details)
}

fn path_detail(path: impl Into<Cow<'static, str>>) -> Detail {
    Detail::Map(alloc::vec![("path", Detail::Str(path.into()))])
}

/// The params text is not JSON (only a caller bypassing `JSON.stringify` gets here).
pub fn not_json(error: ParseError, now_ms: f64) -> OptaveError {
    let message = match error {
        ParseError::Syntax(at) => Text::new("params are not JSON (at byte ")
            .n(at as u64)
            .s(")"),
        ParseError::TooDeep => Text::new("params are nested deeper than ")
            .n(json::MAX_DEPTH as u64)
            .s(" levels"),
    };
    mismatch(message.done(), path_detail("params"), now_ms)
        .suggest("Pass plain objects, arrays, strings, numbers and booleans")
}

/// The params object (`None` for `null`, which counts as `{}`): an object
/// whose keys are among [`TOP_LEVEL_KEYS`], each an object.
///
/// Errors: `PAYLOAD_SCHEMA_MISMATCH`.
pub fn top_level(text: &str, doc: &Doc, now_ms: f64) -> Result<Option<u32>, OptaveError> {
    let kind = doc.node(0).map_or(Kind::Null, |n| n.kind);
    match kind {
        Kind::Obj => {}
        Kind::Null => return Ok(None),
        other => {
            let details = Detail::Map(alloc::vec![
                ("path", Detail::str("params")),
                ("expected", Detail::str("object")),
                ("actual", Detail::str(other.name())),
            ]);
            let message = Text::new("params must be an object, got ").s(other.name());
            return Err(mismatch(message.done(), details, now_ms));
        }
    }
    let mut unknown: Vec<String> = Vec::new();
    for child in doc.children(0) {
        let Some(node) = doc.node(child) else {
            continue;
        };
        let key = json::key(text, node);
        if !TOP_LEVEL_KEYS.contains(&&*key) {
            unknown.push(key.into_owned());
            continue;
        }
        if node.kind != Kind::Obj {
            let path: &'static str = TOP_LEVEL_KEYS
                .iter()
                .find(|k| **k == key)
                .copied()
                .unwrap_or("params");
            let details = Detail::Map(alloc::vec![
                ("path", Detail::str(path)),
                ("expected", Detail::str("object")),
                ("actual", Detail::str(node.kind.name())),
            ]);
            let message = Text::new("params.")
                .s(path)
                .s(" must be an object, got ")
                .s(node.kind.name());
            return Err(mismatch(message.done(), details, now_ms));
        }
    }
    if unknown.is_empty() {
        return Ok(Some(0));
    }
    let names: Vec<&str> = unknown.iter().map(String::as_str).collect();
    let message = Text::new("unknown top-level key(s) in params: ")
        .list(&names)
        .s("; only session, request and headers are allowed");
    let details = Detail::Map(alloc::vec![
        (
            "unknownKeys",
            Detail::List(unknown.iter().map(|k| Detail::str(k.clone())).collect())
        ),
        ("allowed", Detail::strs(&TOP_LEVEL_KEYS)),
    ]);
    Err(mismatch(message.done(), details, now_ms)
        .suggest("Move payload fields under params.session or params.request")
        .suggest("Put header overrides under params.headers"))
}

/// The caller's header overrides (`params.headers`, node `headers`), as the
/// node of each [`HEADERS`] entry the caller set (`null` counts as absent).
///
/// Errors: `PAYLOAD_SCHEMA_MISMATCH` for an unknown or SDK-owned header, a
/// wrong type, a blank id, a non-ISO `timestamp` or a negative `networkLatencyMs`.
pub fn header_overrides(
    text: &str,
    doc: &Doc,
    headers: u32,
    now_ms: f64,
) -> Result<[Option<u32>; HEADERS.len()], OptaveError> {
    let mut found = [None; HEADERS.len()];
    for child in doc.children(headers) {
        let Some(node) = doc.node(child) else {
            continue;
        };
        let key = json::key(text, node);
        let index = headers::index_of(&key);
        let header = index
            .and_then(|i| HEADERS.get(i))
            .filter(|h| h.owner == Owner::Caller);
        let (Some(index), Some(header)) = (index, header) else {
            let why = if index.is_some() {
                " is set by the SDK"
            } else {
                " is not a header"
            };
            let path = Text::new("headers.").s(&key).done();
            return Err(
                mismatch(Text::new(&path).s(why).done(), path_detail(path), now_ms).suggest(
                    Text::new("Only ")
                        .s(headers::CALLER_HEADERS)
                        .s(" can be set in params.headers")
                        .done(),
                ),
            );
        };
        if node.kind == Kind::Null {
            continue;
        }
        let path = Text::new("headers.").s(header.name);
        let wrong = match (header.kind, node.kind) {
            (HeaderKind::Ms, Kind::Num) => {
                is_negative(json::raw(text, node)).then_some(" must be a number >= 0")
            }
            (HeaderKind::Ms, _) => Some(" must be a number >= 0"),
            (_, Kind::Str) => None,
            _ => Some(" must be a string"),
        };
        let wrong = wrong.or_else(|| match header.kind {
            HeaderKind::Id if json::string(text, node).trim().is_empty() => {
                Some(" must not be empty; omit it to let the SDK generate one")
            }
            HeaderKind::Iso if !is_iso_timestamp(&json::string(text, node)) => {
                Some(" must be an ISO 8601 UTC timestamp")
            }
            _ => None,
        });
        if let Some(why) = wrong {
            let path = path.done();
            let mut message = Text::new(&path).s(why);
            let mut details = alloc::vec![("path", Detail::str(path))];
            if node.kind == Kind::Str && header.kind == HeaderKind::Iso {
                let actual = json::string(text, node).into_owned();
                message = message.s(", got ").q(&actual);
                details.push(("actual", Detail::str(actual)));
            }
            let mut err = mismatch(message.done(), Detail::Map(details), now_ms);
            if header.kind == HeaderKind::Iso {
                err = err.suggest("Use new Date(eventTime).toISOString()");
            }
            return Err(err);
        }
        if let Some(slot) = found.get_mut(index) {
            *slot = Some(child);
        }
    }
    Ok(found)
}

/// A number token below zero (`-0` is not).
fn is_negative(raw: &str) -> bool {
    raw.starts_with('-')
        && raw
            .bytes()
            .take_while(|b| *b != b'e' && *b != b'E')
            .any(|b| (b'1'..=b'9').contains(&b))
}

/// A `strictValidation` type error.
pub fn strict_mismatch(m: Mismatch, now_ms: f64) -> OptaveError {
    let message = Text::new("payload.")
        .s(&m.path)
        .s(": ")
        .s(&m.message)
        .done();
    mismatch(message, path_detail(m.path), now_ms)
        .suggest("Check the field against the generated TypeScript types (RequestParams)")
}

/// The fields `action` requires, checked on the captures of the walk.
///
/// Errors: `REQUIRED_FIELDS_MISSING`, naming every missing path in the
/// message and in `details.missing`.
pub fn required(action: Action, caps: &[Cap], now_ms: f64) -> Result<(), OptaveError> {
    let missing: Vec<&(Tag, &str, Need, &str)> = action
        .requirements()
        .iter()
        .filter(|(tag, _, need, _)| {
            let cap = tag
                .capture()
                .and_then(|i| caps.get(i))
                .copied()
                .unwrap_or(Cap::Missing);
            !matches!(
                (need, cap),
                (Need::Text, Cap::Str(_) | Cap::Filled) | (Need::Items, Cap::NonEmptyArr)
            )
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let paths: Vec<&str> = missing.iter().map(|r| r.1).collect();
    let message = Text::new(action.method_name())
        .s(" requires non-empty ")
        .list(&paths);
    let details = Detail::Map(alloc::vec![
        ("action", Detail::str(action.method_name())),
        (
            "missing",
            Detail::List(missing.iter().map(|r| Detail::str(r.1)).collect())
        ),
    ]);
    let mut err = OptaveError::validation(ErrorCode::RequiredFieldsMissing, message.done(), now_ms)
        .with_details(details);
    for r in missing {
        err = err.suggest(r.3);
    }
    Err(err)
}

/// `PAYLOAD_TOO_LARGE`: the size and the limit in bytes, and the largest parts
/// (`sizes` as [`Tag::MEASURED`]; empty when the params were not read).
pub fn too_large(size: usize, sizes: &[usize], now_ms: f64) -> OptaveError {
    let mut parts: Vec<(&str, usize)> = Tag::MEASURED
        .iter()
        .zip(sizes)
        .map(|((_, path), len)| (*path, *len))
        .filter(|(_, len)| *len > 2)
        .collect();
    // Largest first (six entries: a selection sort keeps the sort code out of the wasm).
    for i in 0..parts.len() {
        let largest = (i..parts.len()).max_by_key(|&j| parts.get(j).map_or(0, |p| p.1));
        if let Some(j) = largest {
            parts.swap(i, j);
        }
    }
    let message = Text::new("envelope is ")
        .n(size as u64)
        .s(" bytes, over the ")
        .n(MAX_ENVELOPE_BYTES as u64)
        .s("-byte limit");
    let largest = parts
        .iter()
        .map(|(path, len)| {
            Detail::Map(alloc::vec![
                ("path", Detail::str(*path)),
                ("bytes", Detail::Num(*len as f64))
            ])
        })
        .collect();
    let details = Detail::Map(alloc::vec![
        ("size", Detail::Num(size as f64)),
        ("maxSize", Detail::Num(MAX_ENVELOPE_BYTES as f64)),
        ("largestParts", Detail::List(largest)),
    ]);
    let mut err = OptaveError::validation(ErrorCode::PayloadTooLarge, message.done(), now_ms)
        .with_details(details);
    for (path, len) in parts.iter().take(3) {
        let tip = Text::new("Shorten ")
            .s(path)
            .s(" (")
            .n(*len as u64)
            .s(" bytes), e.g. send only the recent history");
        err = err.suggest(tip.done());
    }
    err
}
