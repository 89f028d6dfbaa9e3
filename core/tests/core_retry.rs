//! The reconnection backoff (`optave_core::connection::retry`): full-jitter
//! bounds over 10,000 seeded draws, the slow `suspended` pace after the state
//! TTL, the stable-period reset and `maxAttempts`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::SeededRandom;
use optave_core::connection::retry::{Next, Retry, RetryPolicy};

const T0: f64 = 1_000_000.0;

fn delay(next: Next) -> (f64, bool) {
    match next {
        Next::Retry {
            delay_ms,
            suspended,
        } => (delay_ms, suspended),
        Next::GiveUp => panic!("gave up"),
    }
}

#[test]
fn defaults_are_the_documented_ones() {
    let p = RetryPolicy::default();
    assert_eq!(p.min_delay_ms, 500.0);
    assert_eq!(p.max_delay_ms, 20_000.0);
    assert_eq!(p.max_attempts, None);
    assert_eq!(p.state_ttl_ms, 120_000.0);
    assert_eq!(p.stable_after_ms, 5_000.0);
}

/// `random(0, min(maxDelayMs, minDelayMs * 2^attempt))`: every draw inside
/// its bound, and the draws spread over it (not stuck at one end).
#[test]
fn full_jitter_bounds_over_10_000_seeded_draws() {
    let policy = RetryPolicy::default();
    let mut random = SeededRandom::new(7);
    let mut per_attempt: Vec<Vec<f64>> = vec![Vec::new(); 8];
    for _ in 0..1_250 {
        let mut retry = Retry::default();
        retry.lost(&policy, T0);
        for (attempt, draws) in per_attempt.iter_mut().enumerate() {
            let cap = (500.0 * f64::from(1u32 << attempt)).min(20_000.0);
            let (d, suspended) = delay(retry.next(&policy, T0 + 1.0, &mut random));
            assert!(!suspended);
            assert!(
                (0.0..cap).contains(&d),
                "attempt {attempt}: {d} not in [0, {cap})"
            );
            draws.push(d / cap);
        }
    }
    let total: usize = per_attempt.iter().map(Vec::len).sum();
    assert_eq!(total, 10_000);
    for (attempt, draws) in per_attempt.iter().enumerate() {
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!(
            (0.45..0.55).contains(&mean),
            "attempt {attempt}: mean {mean}"
        );
        let low = draws.iter().filter(|f| **f < 0.1).count();
        let high = draws.iter().filter(|f| **f > 0.9).count();
        assert!(
            low > 60 && high > 60,
            "attempt {attempt}: {low} low, {high} high"
        );
    }
}

#[test]
fn the_cap_stops_at_max_delay() {
    let policy = RetryPolicy::default();
    let mut random = SeededRandom::new(3);
    let mut retry = Retry::default();
    retry.lost(&policy, T0);
    for _ in 0..100 {
        let (d, _) = delay(retry.next(&policy, T0, &mut random));
        assert!(d < 20_000.0);
    }
    assert_eq!(retry.attempts(), 100);
}

/// Down for `connectionStateTtlMs`: `suspended`, one attempt every
/// `maxDelayMs`; a connection that opens ends it.
#[test]
fn state_ttl_leads_to_suspended() {
    let policy = RetryPolicy {
        state_ttl_ms: 3_000.0,
        ..RetryPolicy::default()
    };
    let mut random = SeededRandom::new(11);
    let mut retry = Retry::default();
    retry.lost(&policy, T0);
    assert!(!delay(retry.next(&policy, T0 + 2_999.0, &mut random)).1);
    // Further failed attempts do not move the start of the outage.
    retry.lost(&policy, T0 + 2_999.5);
    assert_eq!(
        retry.next(&policy, T0 + 3_000.0, &mut random),
        Next::Retry {
            delay_ms: 20_000.0,
            suspended: true
        }
    );
    retry.opened(T0 + 4_000.0);
    retry.lost(&policy, T0 + 4_100.0);
    assert!(!delay(retry.next(&policy, T0 + 4_200.0, &mut random)).1);
}

/// A connection that stayed open 5 s resets the counter; one that dropped
/// sooner does not, so a flapping server backs off further each time.
#[test]
fn the_counter_resets_only_after_a_stable_period() {
    let policy = RetryPolicy::default();
    let mut random = SeededRandom::new(5);
    let mut retry = Retry::default();
    retry.lost(&policy, T0);
    for _ in 0..4 {
        retry.next(&policy, T0, &mut random);
    }
    assert_eq!(retry.attempts(), 4);
    retry.opened(T0 + 10_000.0);
    retry.lost(&policy, T0 + 14_999.0);
    assert_eq!(retry.attempts(), 4, "open for less than 5 s");
    retry.next(&policy, T0 + 15_000.0, &mut random);
    assert_eq!(retry.attempts(), 5);
    retry.opened(T0 + 20_000.0);
    retry.lost(&policy, T0 + 25_000.0);
    assert_eq!(retry.attempts(), 0, "open for 5 s");
    retry.reset();
    assert_eq!(retry, Retry::default());
}

#[test]
fn max_attempts_gives_up() {
    let policy = RetryPolicy {
        max_attempts: Some(3),
        ..RetryPolicy::default()
    };
    let mut random = SeededRandom::new(9);
    let mut retry = Retry::default();
    retry.lost(&policy, T0);
    for _ in 0..3 {
        delay(retry.next(&policy, T0, &mut random));
    }
    assert_eq!(retry.next(&policy, T0, &mut random), Next::GiveUp);
    assert_eq!(retry.next(&policy, T0, &mut random), Next::GiveUp);
}
