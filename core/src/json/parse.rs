//! The RFC 8259 scanner behind [`Doc::parse`](super::Doc::parse): values,
//! strings (escapes checked, runs of plain bytes skipped at once) and numbers.

use super::{Kind, ParseError};

pub(super) struct Parser<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
}

impl Parser<'_> {
    #[inline(always)]
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(super) fn err(&self) -> ParseError {
        ParseError::Syntax(self.i)
    }

    #[inline(always)]
    pub(super) fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    pub(super) fn expect(&mut self, c: u8) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    pub(super) fn literal(&mut self, word: &[u8]) -> Result<(), ParseError> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err())
        }
    }

    /// A scalar (consumed), or the opening bracket of a container.
    pub(super) fn scalar_or_open(&mut self) -> Result<(Kind, bool), ParseError> {
        match self.peek() {
            Some(b'{') => {
                self.i += 1;
                self.ws();
                Ok((Kind::Obj, false))
            }
            Some(b'[') => {
                self.i += 1;
                self.ws();
                Ok((Kind::Arr, false))
            }
            Some(b'"') => self.string().map(|esc| (Kind::Str, esc)),
            Some(b't') => self.literal(b"true").map(|()| (Kind::Bool, false)),
            Some(b'f') => self.literal(b"false").map(|()| (Kind::Bool, false)),
            Some(b'n') => self.literal(b"null").map(|()| (Kind::Null, false)),
            Some(b'-' | b'0'..=b'9') => self.number().map(|()| (Kind::Num, false)),
            _ => Err(self.err()),
        }
    }

    /// A string; returns whether it has escapes.
    pub(super) fn string(&mut self) -> Result<bool, ParseError> {
        self.expect(b'"')?;
        let mut escaped = false;
        loop {
            // Skip the plain run in one go.
            // Eight bytes at a time while none of them can end the run
            // (a quote, a backslash or a control character), then one by one.
            while let Some(word) = self
                .b
                .get(self.i..self.i + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
            {
                if may_stop(u64::from_le_bytes(word)) {
                    break;
                }
                self.i += 8;
            }
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    escaped = true;
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            let hex = self.b.get(self.i + 1..self.i + 5).ok_or(self.err())?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return Err(self.err());
                            }
                            self.i += 5;
                        }
                        _ => return Err(self.err()),
                    }
                }
                _ => return Err(self.err()),
            }
        }
    }

    pub(super) fn digits(&mut self) -> usize {
        let from = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - from
    }

    pub(super) fn number(&mut self) -> Result<(), ParseError> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err()),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err());
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err());
            }
        }
        Ok(())
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// True when a byte of `word` may be `"`, `\\` or below 0x20 (never false
/// when one is; the byte loop then finds which).
#[inline(always)]
fn may_stop(word: u64) -> bool {
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control != 0
}
