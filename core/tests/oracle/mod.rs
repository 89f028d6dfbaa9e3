//! The reference model of the protocol rules, for the tests only: the outbound
//! rules (merge onto the default payload, legacy rewrites, client-config
//! fills, variant upper-casing, `strictValidation`, required fields, size
//! limit) and the inbound classification, written step by step on
//! `serde_json::Value`s, as the SDK implemented them before the one-pass
//! builder. The tests compare `optave_core` with it input by input.
#![allow(dead_code)]
// Errors travel unboxed, as in the crate (they are the cold path).
#![allow(clippy::result_large_err)]

pub mod inbound;
pub mod json;
pub mod outbound;
pub mod schema;
