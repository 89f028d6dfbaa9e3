//! `strictValidation`: the type of one value against its [`Ty`], and the
//! field paths that errors name.

use alloc::string::String;

use super::template::{Slot, Ty};
use crate::json::{self, Doc, Kind};
use crate::text::{push_quoted, push_u64};

/// One step of a field path.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// A member name.
    Name(&'a str),
    /// An array index.
    Index(u32),
}

/// A field path as a chain on the stack (no allocation until an error renders it).
#[derive(Debug, Clone, Copy)]
pub struct Path<'p> {
    /// The step before, `None` at the payload.
    pub parent: Option<&'p Path<'p>>,
    /// This step.
    pub seg: Seg<'p>,
}

impl<'p> Path<'p> {
    /// The path one step further.
    pub fn child(&'p self, seg: Seg<'p>) -> Path<'p> {
        Path {
            parent: Some(self),
            seg,
        }
    }

    /// `request.scope.conversations[0].participants[1].role`.
    pub fn render(&self) -> String {
        let mut out = match self.parent {
            Some(parent) => parent.render(),
            None => String::new(),
        };
        match self.seg {
            Seg::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Seg::Index(i) => {
                out.push('[');
                push_u64(&mut out, u64::from(i));
                out.push(']');
            }
        }
        out
    }
}

/// A type mismatch: the rendered path and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Dotted path with array indices.
    pub path: String,
    /// What went wrong, e.g. `expected one of "user", "operator", "bot", got "admin"`.
    pub message: String,
}

/// Checks node `i` against `ty`. `null` counts as absent; unknown members are ignored.
pub fn check(text: &str, doc: &Doc, i: u32, ty: Ty, path: &Path<'_>) -> Result<(), Mismatch> {
    let Some(node) = doc.node(i) else {
        return Ok(());
    };
    let ok = match (ty, node.kind) {
        (_, Kind::Null) => true,
        (Ty::Str, Kind::Str) | (Ty::Bool, Kind::Bool) => true,
        (Ty::AnyArr, Kind::Arr) | (Ty::AnyObj, Kind::Obj) => true,
        (Ty::U32, Kind::Num) => is_u32(json::raw(text, node)),
        (Ty::Enum(options), Kind::Str) => options.contains(&&*json::string(text, node)),
        (Ty::Obj(slots), Kind::Obj) => return check_members(text, doc, i, slots, path),
        (Ty::Arr(item), Kind::Arr) => {
            for (n, child) in doc.children(i).enumerate() {
                check(text, doc, child, *item, &path.child(Seg::Index(n as u32)))?;
            }
            return Ok(());
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let mut message = String::from("expected ");
    match ty {
        Ty::Str => message.push_str("a string"),
        Ty::Bool => message.push_str("a boolean"),
        Ty::U32 => message.push_str("an integer from 0 to 4294967295"),
        Ty::Enum(options) => {
            message.push_str("one of ");
            for (n, option) in options.iter().enumerate() {
                if n > 0 {
                    message.push_str(", ");
                }
                push_quoted(&mut message, option);
            }
        }
        Ty::Obj(_) | Ty::AnyObj => message.push_str("an object"),
        Ty::Arr(_) | Ty::AnyArr => message.push_str("an array"),
    }
    message.push_str(", got ");
    if node.kind == Kind::Str {
        push_quoted(&mut message, &json::string(text, node));
    } else {
        message.push_str(node.kind.name());
    }
    Err(Mismatch {
        path: path.render(),
        message,
    })
}

/// Checks the known members of object `i` against `slots`.
pub fn check_members(
    text: &str,
    doc: &Doc,
    i: u32,
    slots: &'static [Slot],
    path: &Path<'_>,
) -> Result<(), Mismatch> {
    for child in doc.children(i) {
        let Some(node) = doc.node(child) else {
            continue;
        };
        if let Some(slot) = slots.iter().find(|s| json::key_is(text, node, s.name)) {
            check(text, doc, child, slot.ty, &path.child(Seg::Name(slot.name)))?;
        }
    }
    Ok(())
}

/// An integer token from 0 to 4,294,967,295 (`JSON.stringify` writes integers
/// below 1e21 in plain digits).
fn is_u32(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= 10
        && raw.bytes().all(|b| b.is_ascii_digit())
        && raw.parse::<u64>().is_ok_and(|n| n <= u64::from(u32::MAX))
}
