// The modules every libFuzzer target of this crate shares, pasted into each
// target's root with `include!`: the native tests' helpers, the properties
// (core/tests/fuzz) and the parts of the reference model they use, where the
// properties look for them (`crate::common`, `crate::oracle::...`).

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fuzz/mod.rs"]
mod props;
#[path = "../../tests/oracle/inbound.rs"]
mod oracle_inbound;
// Each target uses only part of the reader.
#[allow(dead_code)]
#[path = "../../tests/oracle/json.rs"]
mod oracle_json;
mod oracle {
    pub(crate) use super::oracle_inbound as inbound;
    pub(crate) use super::oracle_json as json;
}
