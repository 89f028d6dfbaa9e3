//! The browser's `crypto.getRandomValues` (through `getrandom`) as the core's
//! [`RandomSource`].

use optave_core::ids::RandomSource;

/// Random bytes from `crypto.getRandomValues`.
#[derive(Debug, Default)]
pub struct CryptoRandom;

impl RandomSource for CryptoRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        // getrandom only fails where no crypto API exists; every browser and
        // worker that runs wasm has one. Should it fail, fall back to Math.random.
        if getrandom::fill(buf).is_err() {
            for byte in buf.iter_mut() {
                *byte = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
}
