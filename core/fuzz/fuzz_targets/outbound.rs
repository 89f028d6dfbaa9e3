//! libFuzzer target: the outbound builder (property: `core/tests/fuzz/mod.rs`, `check_outbound`).
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;
#[path = "../../tests/oracle/inbound.rs"]
mod oracle_inbound;
/// The reference model of the inbound router, where the shared properties
/// look for it (`crate::oracle::inbound`).
mod oracle {
    pub(crate) use super::oracle_inbound as inbound;
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_outbound(data));
