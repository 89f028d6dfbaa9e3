//! libFuzzer target: the websocketUrl rule (property: `core/tests/fuzz/mod.rs`, `check_url`).
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;
#[path = "../../tests/oracle/inbound.rs"]
mod oracle_inbound;
#[path = "../../tests/oracle/json.rs"]
mod oracle_json;
/// The parts of the reference model the shared properties use, where they
/// look for them (`crate::oracle::...`).
mod oracle {
    pub(crate) use super::oracle_inbound as inbound;
    pub(crate) use super::oracle_json as json;
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_url(data));
