//! libFuzzer target: the outbound builder (property: `core/tests/fuzz/mod.rs`, `check_outbound`).
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_outbound(data));
