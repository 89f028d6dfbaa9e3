//! # optave-client
//!
//! Browser SDK for the Optave OCO message API (schema `optave.message.v3`).
//!
//! - [`core`]: the protocol, pure Rust, tested natively.
//! - `wasm` (only on `wasm32`): the `OptaveClient` class exported to JavaScript.
#![deny(missing_docs, missing_debug_implementations)]
// `OptaveError` carries the whole error model (message, details, suggestions);
// it travels only on the cold path, so it is returned unboxed.
#![allow(clippy::result_large_err)]

pub mod core;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use wasm::OptaveClient;
