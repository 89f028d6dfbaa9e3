//! libFuzzer target: the inbound router and the unreadable-frame errors
//! (property: `core/tests/fuzz/inbound.rs`, `check_inbound`).
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;
/// The reference model the router is compared with.
mod oracle {
    #[path = "../../../tests/oracle/inbound.rs"]
    pub mod inbound;
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_inbound(data));
