//! # optave-client
//!
//! The browser facade of the Optave OCO message API SDK: the `OptaveClient`
//! class exported to JavaScript. The protocol itself lives in the pure core,
//! [`optave_core`]; this crate turns browser events and page calls into core
//! inputs and carries out what the core returns (send this text, arm this
//! timer, emit this event). Without its default `std` feature (the shipped
//! wasm) it links no `std` and brings its own panic handler and allocator (see BENCHMARKS.md, "Size").
//!
//! One file per job: [`OptaveClient`] (`client.rs`, the class),
//! `options.rs` (the constructor), `runtime.rs` (state), `effects.rs` (the effect loop), `connect.rs` (token, then
//! socket), `frames.rs` (inbound delivery), `socket.rs` (the WebSocket and
//! its reader), `browser.rs` (owned timers and listeners), `events.rs` (the
//! page's listeners), `js_error.rs` (errors as JS `Error`s), `logger.rs`,
//! `random.rs`, `typescript.rs` (the `.d.ts`), and `js/api.js` (the named
//! senders and aliases) and `js/entry.js` (`create()`, the start-up errors,
//! the `OptaveError` export), shipped in the package.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs, missing_debug_implementations)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::result_large_err)]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod connect;
#[cfg(target_arch = "wasm32")]
mod crosstab;
#[cfg(target_arch = "wasm32")]
mod effects;
#[cfg(target_arch = "wasm32")]
mod events;
#[cfg(target_arch = "wasm32")]
mod frames;
#[cfg(target_arch = "wasm32")]
mod js_error;
#[cfg(target_arch = "wasm32")]
mod logger;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod random;
#[cfg(target_arch = "wasm32")]
mod reader;
#[cfg(target_arch = "wasm32")]
mod requests;
#[cfg(target_arch = "wasm32")]
mod rest;
#[cfg(target_arch = "wasm32")]
mod runtime;
#[cfg(target_arch = "wasm32")]
mod signals;
#[cfg(target_arch = "wasm32")]
mod socket;
#[cfg(target_arch = "wasm32")]
mod typescript;
#[cfg(target_arch = "wasm32")]
mod waiter;

#[cfg(target_arch = "wasm32")]
pub use client::OptaveClient;

/// The panic handler and allocator of the shipped wasm (built without `std`).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod bare {
    /// talc, a small, fast allocator for wasm (about a fifth of dlmalloc's
    /// code; see BENCHMARKS.md, "Size").
    #[global_allocator]
    static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

    /// Nothing here can panic on outside input (the panic lints are on); a
    /// panic that happens anyway traps without formatting a message.
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}
