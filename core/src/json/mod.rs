//! The JSON text of the caller's params, indexed once.
//!
//! [`Doc::parse`] checks the text against RFC 8259 and records every value as
//! a [`Node`]: its kind, its byte span, its key's span and where its subtree
//! ends. Nothing is copied or decoded: the builder walks the nodes and copies
//! the caller's text through, so strings (lone-surrogate escapes included) and
//! numbers reach the wire exactly as `JSON.stringify` wrote them. Nesting
//! deeper than [`MAX_DEPTH`] is refused rather than followed.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

mod parse;
use parse::Parser;

/// Deepest nesting accepted (objects and arrays).
pub const MAX_DEPTH: usize = 128;

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Num,
    /// A string.
    Str,
    /// An array.
    Arr,
    /// An object.
    Obj,
}

impl Kind {
    /// The kind's name in messages: `null`, `boolean`, `number`, `string`,
    /// `array`, `object`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "boolean",
            Self::Num => "number",
            Self::Str => "string",
            Self::Arr => "array",
            Self::Obj => "object",
        }
    }
}

/// One value of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Its kind.
    pub kind: Kind,
    /// A string with at least one escape.
    pub escaped: bool,
    /// The member's key has at least one escape.
    pub key_escaped: bool,
    /// Byte span of the value (quotes included for strings).
    pub start: u32,
    /// End of the value's span (exclusive).
    pub end: u32,
    /// Byte span of the member's key, quotes included (`0..0` outside objects).
    pub key_start: u32,
    /// End of the key's span (exclusive).
    pub key_end: u32,
    /// Index of the first node after this value's subtree (its next sibling).
    pub after: u32,
    /// Number of members or items (containers).
    pub len: u32,
}

/// Why the text is not a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON at this byte offset.
    Syntax(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// An indexed JSON document. Keep one and reuse it: its node buffer is kept.
#[derive(Debug, Default)]
pub struct Doc {
    nodes: Vec<Node>,
    stack: Vec<u32>,
}

impl Doc {
    /// Indexes `text` (one JSON value, white space around it allowed).
    ///
    /// Errors: [`ParseError`] for anything RFC 8259 refuses, and nesting
    /// deeper than [`MAX_DEPTH`].
    pub fn parse(&mut self, text: &str) -> Result<(), ParseError> {
        self.nodes.clear();
        self.stack.clear();
        let mut p = Parser {
            b: text.as_bytes(),
            i: 0,
        };
        p.ws();
        let mut key = (0u32, 0u32);
        let mut key_escaped = false;
        loop {
            // A value starts here.
            let idx = self.nodes.len() as u32;
            if let Some(&parent) = self.stack.last() {
                if let Some(node) = self.nodes.get_mut(parent as usize) {
                    node.len += 1;
                }
            }
            let start = p.i as u32;
            let (kind, escaped) = p.scalar_or_open()?;
            self.nodes.push(Node {
                kind,
                escaped,
                start,
                end: p.i as u32,
                key_start: key.0,
                key_end: key.1,
                key_escaped,
                after: idx + 1,
                len: 0,
            });
            let mut opened = false;
            if matches!(kind, Kind::Arr | Kind::Obj) {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep);
                }
                self.stack.push(idx);
                opened = true;
            }
            p.ws();
            // Close containers, or find the next member.
            loop {
                let Some(&top) = self.stack.last() else {
                    return if p.i == p.b.len() {
                        Ok(())
                    } else {
                        Err(p.err())
                    };
                };
                let top_kind = self.nodes.get(top as usize).map_or(Kind::Null, |n| n.kind);
                let close = if top_kind == Kind::Obj { b'}' } else { b']' };
                let first = opened;
                opened = false;
                if p.peek() == Some(close) {
                    p.i += 1;
                    self.stack.pop();
                    let after = self.nodes.len() as u32;
                    if let Some(node) = self.nodes.get_mut(top as usize) {
                        node.end = p.i as u32;
                        node.after = after;
                    }
                    p.ws();
                    continue;
                }
                if !first {
                    p.expect(b',')?;
                    p.ws();
                }
                if top_kind == Kind::Obj {
                    let ks = p.i as u32;
                    key_escaped = p.string()?;
                    key = (ks, p.i as u32);
                    p.ws();
                    p.expect(b':')?;
                    p.ws();
                } else {
                    key = (0, 0);
                    key_escaped = false;
                }
                break;
            }
        }
    }

    /// The nodes, in document order (the root first).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Node `i`.
    #[inline(always)]
    pub fn node(&self, i: u32) -> Option<&Node> {
        self.nodes.get(i as usize)
    }

    /// The children of container `i`, as node indices.
    pub fn children(&self, i: u32) -> Children<'_> {
        let (next, left) = match self.node(i) {
            Some(n) if matches!(n.kind, Kind::Arr | Kind::Obj) => (i + 1, n.len),
            _ => (0, 0),
        };
        Children {
            doc: self,
            next,
            left,
        }
    }

    /// The member `key` of object `i` (the last one, when repeated).
    pub fn member(&self, text: &str, i: u32, key: &str) -> Option<u32> {
        self.children(i)
            .filter(|&c| self.node(c).is_some_and(|n| key_is(text, n, key)))
            .last()
    }
}

/// Iterator over the children of a container.
#[derive(Debug)]
pub struct Children<'a> {
    doc: &'a Doc,
    next: u32,
    left: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;
    #[inline(always)]
    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        let i = self.next;
        self.left -= 1;
        self.next = self.doc.node(i).map_or(u32::MAX, |n| n.after);
        Some(i)
    }
}

/// The text of `start..end`.
#[inline(always)]
pub fn slice(text: &str, start: u32, end: u32) -> &str {
    text.get(start as usize..end as usize).unwrap_or_default()
}

/// The raw key of `node`, quotes included.
#[inline(always)]
pub fn raw_key<'t>(text: &'t str, node: &Node) -> &'t str {
    slice(text, node.key_start, node.key_end)
}

/// The raw value of `node`.
#[inline(always)]
pub fn raw<'t>(text: &'t str, node: &Node) -> &'t str {
    slice(text, node.start, node.end)
}

/// True when `node`'s key equals `key` (keys with escapes are decoded first).
#[inline(always)]
pub fn key_is(text: &str, node: &Node, key: &str) -> bool {
    if node.key_escaped {
        return decode(raw_key(text, node)) == key;
    }
    let inner = (node.key_start as usize + 1)..(node.key_end as usize).saturating_sub(1);
    inner.len() == key.len() && text.as_bytes().get(inner) == Some(key.as_bytes())
}

/// The decoded key of `node`.
pub fn key<'t>(text: &'t str, node: &Node) -> Cow<'t, str> {
    decode(raw_key(text, node))
}

/// The decoded string value of `node` (`""` when not a string).
pub fn string<'t>(text: &'t str, node: &Node) -> Cow<'t, str> {
    if node.kind != Kind::Str {
        return Cow::Borrowed("");
    }
    decode(raw(text, node))
}

/// Decodes a raw JSON string (quotes included). A lone surrogate escape
/// becomes U+FFFD; the wire keeps the caller's escape.
pub fn decode(raw: &str) -> Cow<'_, str> {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    if !crate::text::has_byte(inner, b'\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let unit = match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('u') => {
                let hi = hex4(&mut chars);
                if (0xD800..0xDC00).contains(&hi) {
                    let mut ahead = chars.clone();
                    if ahead.next() == Some('\\') && ahead.next() == Some('u') {
                        let lo = hex4(&mut ahead);
                        if (0xDC00..0xE000).contains(&lo) {
                            chars = ahead;
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            continue;
                        }
                    }
                }
                char::from_u32(hi).unwrap_or('\u{FFFD}')
            }
            Some(other) => other,
            None => break,
        };
        out.push(unit);
    }
    Cow::Owned(out)
}

fn hex4(chars: &mut core::str::Chars<'_>) -> u32 {
    (0..4).fold(0, |acc, _| {
        acc * 16 + chars.next().and_then(|c| c.to_digit(16)).unwrap_or(0)
    })
}

/// Appends `value` as a JSON string (quotes included), escaping what RFC 8259 requires.
pub fn push_string(out: &mut String, value: &str) {
    out.push('"');
    let mut from = 0;
    for (i, b) in value.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(value.get(from..i).unwrap_or_default());
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(value.get(from..).unwrap_or_default());
    out.push('"');
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n & 15), 16).unwrap_or('0')
}
