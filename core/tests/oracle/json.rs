//! Reading JSON text into `serde_json::Value`s the way RFC 8259 (and the
//! page's `JSON.parse`) reads it.
//!
//! `serde_json` refuses two things the grammar of RFC 8259 allows and
//! `JSON.stringify` can write: a lone surrogate escape (`"\ud800"`, written for
//! a string holding an unpaired UTF-16 surrogate) and a number too large for
//! an `f64` (`1e400`). [`parse`] reads the first as U+FFFD (what the builder
//! decodes it to) and the second as `±f64::MAX`, and has no nesting limit;
//! everything else is `serde_json`'s own reading. [`MAX_DEPTH`] is the
//! nesting the builder accepts in params.

use serde_json::Value;

/// Deepest nesting of objects and arrays accepted in params (the builder's
/// `json::MAX_DEPTH`; `serde_json` refused from 128 levels on).
pub const MAX_DEPTH: usize = 128;

/// Parses `text` as RFC 8259 reads it (see the module docs).
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    parse_strict(&rewrite(text))
}

/// Parses `text` with `serde_json`'s own rules, without its nesting limit.
pub fn parse_strict(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Nesting depth of `value` (a scalar is 0, `[]` is 1).
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// True when `text` is exactly what `serde_json` writes for the value it
/// holds: compact, keys unique, strings and numbers in its spelling. The
/// builder copies the caller's spelling through, so the envelope has the
/// reference model's length exactly for such inputs.
pub fn is_canonical(text: &str) -> bool {
    parse_strict(text).is_ok_and(|v| serde_json::to_string(&v).is_ok_and(|t| t == text))
}

/// `text` with lone surrogate escapes replaced by `\ufffd` and numbers
/// beyond `f64` by `±1.7976931348623157e308`. Everything else is copied, so
/// whatever is not JSON stays not JSON.
fn rewrite(text: &str) -> String {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_string = false;
    let hex4 = |at: usize| -> Option<u32> {
        let digits = b.get(at..at + 4)?;
        let s = std::str::from_utf8(digits).ok()?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(s, 16).ok()
    };
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'"' => {
                    in_string = false;
                    out.push(c);
                    i += 1;
                }
                b'\\' if b.get(i + 1) == Some(&b'u') => {
                    let Some(unit) = hex4(i + 2) else {
                        out.push(c);
                        i += 1;
                        continue;
                    };
                    let is_high = (0xD800..0xDC00).contains(&unit);
                    let is_low = (0xDC00..0xE000).contains(&unit);
                    let paired = is_high
                        && b.get(i + 6) == Some(&b'\\')
                        && b.get(i + 7) == Some(&b'u')
                        && hex4(i + 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo));
                    if paired {
                        out.extend_from_slice(&b[i..i + 12]);
                        i += 12;
                    } else if is_high || is_low {
                        out.extend_from_slice(b"\\ufffd");
                        i += 6;
                    } else {
                        out.extend_from_slice(&b[i..i + 6]);
                        i += 6;
                    }
                }
                b'\\' => {
                    let end = (i + 2).min(b.len());
                    out.extend_from_slice(&b[i..end]);
                    i = end;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                out.push(c);
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let end = b[i..]
                    .iter()
                    .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .map_or(b.len(), |n| i + n);
                let token = &text[i..end];
                match token.parse::<f64>() {
                    Ok(v) if is_number(token) && v.is_infinite() => {
                        let sign = if v < 0.0 { "-" } else { "" };
                        out.extend_from_slice(format!("{sign}1.7976931348623157e308").as_bytes());
                    }
                    _ => out.extend_from_slice(token.as_bytes()),
                }
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("only ASCII was rewritten")
}

/// A number token of RFC 8259: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_number(token: &str) -> bool {
    let b = token.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// True when some object of `text` (read as [`parse`] reads it) repeats a
/// key. `JSON.parse` keeps the last; `JSON.stringify` never writes one.
pub fn has_repeated_keys(text: &str) -> bool {
    let rewritten = rewrite(text);
    let mut de = serde_json::Deserializer::from_str(&rewritten);
    de.disable_recursion_limit();
    <Probe as serde::Deserialize>::deserialize(&mut de).is_ok_and(|p| p.0)
}

/// Whether a value repeats a key somewhere.
struct Probe(bool);

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> serde::de::Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_unit<E>(self) -> Result<Probe, E> {
        Ok(Probe(false))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        let mut repeated = false;
        while let Some(Probe(r)) = seq.next_element()? {
            repeated |= r;
        }
        Ok(Probe(repeated))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut keys = std::collections::HashSet::new();
        let mut repeated = false;
        while let Some(key) = map.next_key::<String>()? {
            repeated |= !keys.insert(key);
            let Probe(r) = map.next_value()?;
            repeated |= r;
        }
        Ok(Probe(repeated))
    }
}
