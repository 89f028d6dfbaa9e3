//! libFuzzer target: the envelope builder (property: `core/tests/fuzz`, `check_outbound`).
#![no_main]

include!("shared.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_outbound(data));
