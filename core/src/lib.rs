//! # optave-core
//!
//! The Optave OCO message protocol (schema `optave.message.v3`, spec 3.2.3) in
//! pure Rust: no browser APIs, no wasm-bindgen, `no_std` with `alloc`. The
//! browser facade (`optave-client`) feeds it inputs and carries out what it
//! returns; everything here runs and is tested natively with `cargo test`.
//! Time (`now_ms`) and randomness ([`ids::RandomSource`]) are passed in.
//!
//! The outbound path, params to wire text:
//! [`json`] (index the caller's JSON text once) → [`outbound::template`] (the
//! default payload and its schema, one table) → [`outbound::build`] (merge,
//! legacy rewrites, strict kinds, required fields, size limit, in one walk)
//! → [`headers`] (the header table) → the envelope text.
//!
//! The inbound path, frame to delivery: the facade reads the [`inbound::Routing`]
//! fields off the page's `JSON.parse` → [`inbound::route`] decides → the facade
//! delivers.
#![no_std]
#![deny(missing_docs, missing_debug_implementations)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// `OptaveError` carries the whole error model; it travels only on the cold
// path, so it is returned unboxed.
#![allow(clippy::result_large_err)]

extern crate alloc;

pub mod action;
pub mod connection;
pub mod crosstab;
pub mod error;
pub mod headers;
pub mod ids;
pub mod inbound;
pub mod json;
pub mod legacy;
pub mod options;
pub mod outbound;
pub mod text;
pub mod time;
pub mod url;

#[cfg(feature = "ts")]
pub mod model;

/// `schemaRef` of request envelopes.
pub const SCHEMA_REF: &str = "optave.message.v3";
/// The spec version this SDK implements.
pub const SPEC_VERSION: &str = "3.2.3";
/// The SDK version sent as `headers.sdkVersion`.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
