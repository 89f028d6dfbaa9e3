//! libFuzzer target: the websocketUrl rule (property: `core/tests/fuzz/mod.rs`, `check_url`).
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_url(data));
