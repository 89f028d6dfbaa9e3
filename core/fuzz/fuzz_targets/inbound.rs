//! libFuzzer target: the inbound router and the unreadable-frame errors (property: `core/tests/fuzz`, `check_inbound`).
#![no_main]

include!("shared.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_inbound(data));
