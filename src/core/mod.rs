//! The protocol core: pure Rust, no browser APIs.
//!
//! Payload model, defaults and merge, envelope building, validation, inbound
//! classification, errors, and the connection and request state machines.
//! Time (`now_ms`) and randomness ([`ids::RandomSource`]) are passed in, so
//! everything here runs and is tested natively with `cargo test`.

pub mod action;
pub mod connection;
pub mod defaults;
pub mod envelope;
pub mod error;
pub mod events;
pub mod fast;
pub mod ids;
pub mod inbound;
pub mod legacy;
pub mod merge;
pub mod model;
pub mod options;
pub mod requests;
pub mod schema;
pub mod time;
pub mod validate;
