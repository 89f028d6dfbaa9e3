//! libFuzzer target: the client option parser (property: `core/tests/fuzz`, `check_options`).
#![no_main]

include!("shared.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_options(data));
