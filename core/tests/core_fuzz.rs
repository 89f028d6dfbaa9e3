//! The stable short run of the fuzz targets (the properties are in
//! `tests/fuzz/mod.rs`; the long runs are libFuzzer's, `scripts/fuzz.sh`).
//!
//! For each target: every file of its committed corpus (`core/fuzz/corpus/<target>`),
//! then a fixed number of proptest cases, each a corpus entry mutated as a
//! fuzzer would (bit flips, byte changes, deletions, tokens of the target's
//! libFuzzer dictionary `core/fuzz/dict/<target>.dict`, splices from other
//! entries, repeats, truncation, a large insertion), from a fixed seed.
#![cfg(not(target_arch = "wasm32"))]
// Errors travel unboxed, as in the crate (they are the cold path).
#![allow(clippy::result_large_err)]

mod common;
mod fuzz;
mod oracle;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;

/// Proptest cases per target.
const CASES: u32 = 2000;
/// Fewest corpus files a target must have (an emptied corpus directory
/// must not pass as a run).
const MIN_CORPUS: usize = 20;

fn fuzz_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz"))
}

/// The files of `core/fuzz/corpus/<target>`, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, data)
        })
        .collect()
}

/// The tokens of `core/fuzz/dict/<target>.dict` (libFuzzer's format: one
/// `"token"` or `name="token"` a line, `\\`, `\"` and `\xHH` escapes, `#`
/// comments).
fn dictionary(target: &str) -> Vec<Vec<u8>> {
    let path = fuzz_dir().join("dict").join(format!("{target}.dict"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut tokens = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let quoted = line
            .find('"')
            .and_then(|at| line.get(at + 1..line.len() - 1))
            .filter(|_| line.ends_with('"'))
            .unwrap_or_else(|| panic!("{}: bad line {line:?}", path.display()));
        let b = quoted.as_bytes();
        let mut token = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) => {
                    let hex = quoted.get(i + 2..i + 4).expect("two hex digits");
                    token.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                    i += 4;
                }
                (b'\\', Some(&c)) => {
                    token.push(c);
                    i += 2;
                }
                (c, _) => {
                    token.push(c);
                    i += 1;
                }
            }
        }
        tokens.push(token);
    }
    assert!(!tokens.is_empty(), "{}: no tokens", path.display());
    tokens
}

/// Runs `check` on every corpus file of `target`; fails naming every file
/// that violated a property.
fn run_corpus(target: &str, check: fn(&[u8])) {
    let files = corpus(target);
    assert!(
        files.len() >= MIN_CORPUS,
        "{target}: only {} corpus files",
        files.len()
    );
    let failed: Vec<&str> = files
        .iter()
        .filter(|(_, data)| catch_unwind(AssertUnwindSafe(|| check(data))).is_err())
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: properties violated by {failed:?}"
    );
}

/// One fuzzer-like change to an input.
#[derive(Debug, Clone)]
enum Edit {
    /// Flips one bit of a byte.
    Flip(Index, u8),
    /// Sets a byte.
    Set(Index, u8),
    /// Deletes up to this many bytes.
    Delete(Index, u8),
    /// Inserts a dictionary token.
    Token(Index, Index),
    /// Inserts a dictionary token, escaped, into a string value (one that
    /// follows a `:"`), keeping JSON valid; where there is none, as [`Edit::Token`].
    InString(Index, Index),
    /// Inserts part of another corpus entry (from, length).
    Splice(Index, Index, Index, u16),
    /// Repeats a slice of up to this many bytes this many times.
    Repeat(Index, u8, u8),
    /// Cuts the input here.
    Truncate(Index),
    /// Inserts 140,000 bytes (over the envelope limit in a string).
    Inflate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = any::<Index>;
    prop_oneof![
        4 => (i(), 0..8u8).prop_map(|(at, bit)| Edit::Flip(at, bit)),
        4 => (i(), any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        3 => (i(), 1..16u8).prop_map(|(at, n)| Edit::Delete(at, n)),
        6 => (i(), i()).prop_map(|(at, t)| Edit::Token(at, t)),
        6 => (i(), i()).prop_map(|(at, t)| Edit::InString(at, t)),
        3 => (i(), i(), i(), 1..512u16).prop_map(|(at, e, from, n)| Edit::Splice(at, e, from, n)),
        1 => (i(), 1..32u8, 1..8u8).prop_map(|(at, n, k)| Edit::Repeat(at, n, k)),
        1 => i().prop_map(Edit::Truncate),
        1 => i().prop_map(Edit::Inflate),
    ]
}

/// The inputs of one target and what its mutations draw on.
struct Seeds {
    entries: Vec<Vec<u8>>,
    tokens: Vec<Vec<u8>>,
    /// Bytes at the front that are settings, not text (kept out of splices).
    prefix: usize,
}

impl Seeds {
    fn load(target: &str, prefix: usize) -> Arc<Self> {
        Arc::new(Self {
            entries: corpus(target).into_iter().map(|(_, data)| data).collect(),
            tokens: dictionary(target),
            prefix,
        })
    }

    /// `base` with `edits` applied to its text (after the setting bytes),
    /// and `settings`, when given, in place of its own.
    fn apply(&self, base: &[u8], edits: &[Edit], settings: Option<&[u8]>) -> Vec<u8> {
        let split = self.prefix.min(base.len());
        let mut data = base[split..].to_vec();
        let at = |i: &Index, data: &[u8]| i.index(data.len() + 1);
        for e in edits {
            match e {
                Edit::Flip(i, bit) if !data.is_empty() => {
                    let n = i.index(data.len());
                    data[n] ^= 1 << bit;
                }
                Edit::Set(i, b) if !data.is_empty() => {
                    let n = i.index(data.len());
                    data[n] = *b;
                }
                Edit::Delete(i, len) => {
                    let from = at(i, &data);
                    let to = (from + usize::from(*len)).min(data.len());
                    data.drain(from..to);
                }
                Edit::Token(i, t) => {
                    let token = &self.tokens[t.index(self.tokens.len())];
                    let n = at(i, &data);
                    data.splice(n..n, token.iter().copied());
                }
                Edit::InString(i, t) => {
                    let token = &self.tokens[t.index(self.tokens.len())];
                    let starts: Vec<usize> = data
                        .windows(2)
                        .enumerate()
                        .filter(|(_, w)| w == b":\"")
                        .map(|(n, _)| n + 2)
                        .collect();
                    if starts.is_empty() {
                        let n = at(i, &data);
                        data.splice(n..n, token.iter().copied());
                        continue;
                    }
                    // A place in the string value: not inside an escape
                    // sequence nor a UTF-8 sequence.
                    let start = starts[i.index(starts.len())];
                    let mut places = vec![start];
                    let mut n = start;
                    while let Some(&b) = data.get(n) {
                        match (b, data.get(n + 1)) {
                            (b'"', _) => break,
                            (b'\\', Some(b'u')) => n += 6,
                            (b'\\', _) => n += 2,
                            _ => n += 1,
                        }
                        if data.get(n).is_some_and(|&b| b & 0xC0 != 0x80) {
                            places.push(n);
                        }
                    }
                    let n = places[t.index(places.len())];
                    let text = serde_json::to_string(&String::from_utf8_lossy(token))
                        .expect("a string serializes");
                    data.splice(n..n, text.as_bytes()[1..text.len() - 1].iter().copied());
                }
                Edit::Splice(i, e, from, len) => {
                    let other = &self.entries[e.index(self.entries.len())];
                    let other = other.get(self.prefix..).unwrap_or_default();
                    let start = from.index(other.len() + 1);
                    let end = (start + usize::from(*len)).min(other.len());
                    let n = at(i, &data);
                    data.splice(n..n, other[start..end].iter().copied());
                }
                Edit::Repeat(i, len, times) if !data.is_empty() => {
                    let start = i.index(data.len());
                    let end = (start + usize::from(*len)).min(data.len());
                    let slice = data[start..end].to_vec();
                    for _ in 0..*times {
                        data.splice(end..end, slice.iter().copied());
                    }
                }
                Edit::Truncate(i) => {
                    let n = at(i, &data);
                    data.truncate(n);
                }
                Edit::Inflate(i) => {
                    let n = at(i, &data);
                    data.splice(n..n, std::iter::repeat_n(b'a', 140_000));
                }
                _ => {}
            }
        }
        let mut out = settings.unwrap_or(&base[..split]).to_vec();
        out.append(&mut data);
        out
    }
}

/// Inputs for `target`: mostly corpus entries under a few edits (one or two
/// in three cases of four, up to six otherwise; new setting bytes half of
/// the time, when the target has any), sometimes raw bytes.
fn mutants(target: &str, prefix: usize) -> impl Strategy<Value = Vec<u8>> {
    let seeds = Seeds::load(target, prefix);
    let mutated = (
        any::<Index>(),
        prop_oneof![
            3 => prop::collection::vec(edit(), 1..3),
            1 => prop::collection::vec(edit(), 0..7),
        ],
        prop::option::of(prop::collection::vec(any::<u8>(), prefix)),
    )
        .prop_map(move |(entry, edits, settings)| {
            let base = &seeds.entries[entry.index(seeds.entries.len())];
            seeds.apply(base, &edits, settings.as_deref())
        });
    prop_oneof![
        12 => mutated,
        1 => prop::collection::vec(any::<u8>(), 0..96),
    ]
}

#[test]
fn outbound_corpus() {
    run_corpus("outbound", fuzz::check_outbound);
}

#[test]
fn url_corpus() {
    run_corpus("url", fuzz::check_url);
}

#[test]
fn options_corpus() {
    run_corpus("options", fuzz::check_options);
}

#[test]
fn inbound_corpus() {
    run_corpus("inbound", fuzz::check_inbound);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x0F7A_5EED),
        ..ProptestConfig::default()
    })]

    #[test]
    fn outbound_mutants(data in mutants("outbound", 2)) {
        fuzz::check_outbound(&data);
    }

    #[test]
    fn url_mutants(data in mutants("url", 0)) {
        fuzz::check_url(&data);
    }

    #[test]
    fn options_mutants(data in mutants("options", 0)) {
        fuzz::check_options(&data);
    }

    #[test]
    fn inbound_mutants(data in mutants("inbound", 0)) {
        fuzz::check_inbound(&data);
    }
}

/// The URL property is not vacuous: it refuses what the rule must refuse.
#[test]
fn the_url_property_refuses_bad_urls() {
    for url in [
        "ws://evil.example/",
        "ws://10.0.0.1/",
        "ws://[::2]/",
        "wss://user:pass@x.tech/",
        "wss://x.tech/#",
        "https://x.tech/",
        "ws://127.0.0.1/\t",
        "wss://",
    ] {
        let refused = catch_unwind(|| fuzz::assert_url_ok(url, url)).is_err();
        assert!(refused, "{url:?} passes the URL property");
    }
    for url in [
        "ws://127.1/",
        "ws://LOCALHOST:1/",
        "ws://[0::1]/",
        "wss://x.tech/?a=1",
    ] {
        fuzz::assert_url_ok(url, url);
    }
}
