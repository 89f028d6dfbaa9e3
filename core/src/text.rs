//! Building message text from static parts, without `core::fmt`.
//!
//! Error messages are joined from `&'static str` pieces, quoted values and
//! integers; nothing here formats through `Display`, so the wasm build carries
//! no formatting machinery (see BENCHMARKS.md, "Size").

use alloc::string::String;

/// A message under construction.
#[derive(Debug, Default, Clone)]
pub struct Text(String);

impl Text {
    /// Starts with `part`.
    pub fn new(part: &str) -> Self {
        Self(String::from(part))
    }

    /// Appends `part` as is.
    pub fn s(mut self, part: &str) -> Self {
        self.0.push_str(part);
        self
    }

    /// Appends `value` between double quotes, shortened to 80 characters.
    pub fn q(mut self, value: &str) -> Self {
        push_quoted(&mut self.0, value);
        self
    }

    /// Appends an unsigned integer in decimal.
    pub fn n(mut self, value: u64) -> Self {
        push_u64(&mut self.0, value);
        self
    }

    /// Appends the items separated by `", "`.
    pub fn list(mut self, items: &[&str]) -> Self {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push_str(", ");
            }
            self.0.push_str(item);
        }
        self
    }

    /// The finished text.
    pub fn done(self) -> String {
        self.0
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

/// Appends `value` in decimal.
pub fn push_u64(out: &mut String, value: u64) {
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(value));
}

/// Appends `value` between double quotes; longer than 80 characters, it is cut
/// and ends with `…`. Control characters are shown as `?`.
pub fn push_quoted(out: &mut String, value: &str) {
    out.push('"');
    for (i, c) in value.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '?' } else { c });
    }
    out.push('"');
}

/// Splits `text` around the first `needle` (a plain byte search: the
/// standard library's substring searcher brings its panic paths along).
pub fn split_once<'t>(text: &'t str, needle: &str) -> Option<(&'t str, &'t str)> {
    let at = text
        .as_bytes()
        .windows(needle.len().max(1))
        .position(|w| w == needle.as_bytes())?;
    Some((text.get(..at)?, text.get(at + needle.len()..)?))
}

/// True when `text` contains the ASCII byte `b`.
pub fn has_byte(text: &str, b: u8) -> bool {
    text.as_bytes().contains(&b)
}

/// `text` with credentials taken out: every occurrence of `secret` (a token
/// of at least 4 characters) and the value of every `Authorization=` query
/// parameter become `[redacted]`. For browser error messages, which quote
/// the URL or the subprotocols they refused.
pub fn redact(text: &str, secret: Option<&str>) -> String {
    const KEY: &str = "Authorization=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = split_once(rest, KEY) {
        out.push_str(before);
        out.push_str(KEY);
        out.push_str("[redacted]");
        let end = after
            .bytes()
            .position(|b| matches!(b, b'&' | b'#' | b'\'' | b'"' | b' ' | b'\t' | b'\n'))
            .unwrap_or(after.len());
        rest = after.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    match secret.filter(|s| s.len() >= 4) {
        Some(secret) => {
            let mut cleaned = String::with_capacity(out.len());
            let mut rest = out.as_str();
            while let Some((before, after)) = split_once(rest, secret) {
                cleaned.push_str(before);
                cleaned.push_str("[redacted]");
                rest = after;
            }
            cleaned.push_str(rest);
            cleaned
        }
        None => out,
    }
}
