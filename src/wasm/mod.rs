//! The wasm-bindgen facade: the `OptaveClient` class and its TypeScript surface.
//!
//! Thin by design: browser events go into the core (`crate::core`), core
//! effects come back out as browser calls and listener deliveries.

mod actions;
mod client;
mod events;
mod js_error;
mod logger;
mod random;
mod runtime;
mod socket;
mod typescript;

pub use client::OptaveClient;
