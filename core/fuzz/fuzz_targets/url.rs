//! libFuzzer target: the websocketUrl rule (property: `core/tests/fuzz`, `check_url`).
#![no_main]

include!("shared.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_url(data));
