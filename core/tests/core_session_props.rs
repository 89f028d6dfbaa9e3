//! Properties of the session machine: the backoff's bounds over 10,000
//! seeded draws, and random sequences of every input, request call and
//! attempt number (current or stale) on random settings, with the machine's
//! invariants checked after every step.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;
mod session_ops;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashSet};

use common::SeededRandom;
use optave_core::connection::retry::{Next, Retry, RetryPolicy};
use optave_core::connection::{ConnectionState as S, Effect, Input, Session};
use optave_core::error::OptaveError;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use session::{envelope, lines, Door};
use session_ops::*;

fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

/// `random(0, min(maxDelayMs, minDelayMs * 2^attempt))` while down for less
/// than the TTL, exactly `maxDelayMs` (suspended) after; `maxAttempts`
/// draws, then `GiveUp`. 100 policies × 100 draws.
#[test]
fn backoff_bounds_over_10_000_seeded_draws() {
    let draws = Cell::new(0usize);
    let suspended = Cell::new(0usize);
    let policy = (
        1.0..5_000.0f64,
        1.0..1e6f64,
        0.0..200_000.0f64,
        any::<u64>(),
    );
    runner(100, 0x00BA_C0FF)
        .run(&policy, |(min, spread, ttl, seed)| {
            let policy = RetryPolicy {
                min_delay_ms: min,
                max_delay_ms: min + spread,
                max_attempts: Some(100),
                state_ttl_ms: ttl,
                stable_after_ms: 5_000.0,
            };
            let mut random = SeededRandom::new(seed);
            let mut retry = Retry::default();
            let t0 = 1_000_000.0;
            retry.lost(&policy, t0);
            let mut now = t0;
            for n in 0..100u32 {
                now += f64::from(n) * 37.0;
                let bound = (min * 2f64.powi(n as i32)).min(policy.max_delay_ms);
                match retry.next(&policy, now, &mut random) {
                    Next::Retry {
                        delay_ms,
                        suspended: true,
                    } => {
                        prop_assert!(now - t0 >= ttl, "suspended too soon");
                        prop_assert_eq!(delay_ms, policy.max_delay_ms);
                        suspended.set(suspended.get() + 1);
                    }
                    Next::Retry { delay_ms, .. } => {
                        prop_assert!(now - t0 < ttl, "not suspended after the TTL");
                        prop_assert!(
                            (0.0..bound).contains(&delay_ms),
                            "attempt {}: {} not in [0, {})",
                            n,
                            delay_ms,
                            bound
                        );
                    }
                    Next::GiveUp => prop_assert!(false, "gave up at {}", n),
                }
                draws.set(draws.get() + 1);
                prop_assert_eq!(retry.attempts(), n + 1);
            }
            prop_assert_eq!(retry.next(&policy, now, &mut random), Next::GiveUp);
            Ok(())
        })
        .unwrap();
    assert_eq!(draws.get(), 10_000);
    assert!(
        (1_000..9_000).contains(&suspended.get()),
        "{}",
        suspended.get()
    );
}

/// The run of one sequence: the session and what the test knows of it.
struct Drive {
    s: Session<u32>,
    random: SeededRandom,
    now: f64,
    latest: u32,
    next_waiter: u32,
    /// The promises the session holds: each comes out exactly once.
    held: HashSet<u32>,
    /// An `open` event was emitted and its `close` not yet.
    open: bool,
}

impl Drive {
    fn attempt(&self, which: Which) -> u32 {
        match which {
            Which::Current => self.latest,
            Which::Previous => self.latest.saturating_sub(1),
            Which::Next => self.latest + 1,
        }
    }

    fn release(&mut self, waiter: u32) -> Result<(), TestCaseError> {
        prop_assert!(self.held.remove(&waiter), "waiter {} settled twice", waiter);
        Ok(())
    }

    fn input(&mut self, op: &Op, dt: f64) -> Option<(usize, Input<u32>)> {
        let now = self.now;
        let input = match *op {
            Op::Connect(explicit_token) => Input::Connect {
                now_ms: now,
                explicit_token,
            },
            Op::Created(w) => Input::SocketCreated {
                attempt: self.attempt(w),
            },
            Op::Failed(w, f) => Input::AttemptFailed {
                attempt: self.attempt(w),
                error: OptaveError::websocket(FAILURES[f], "failed", now),
                now_ms: now,
            },
            Op::Open(w) => Input::SocketOpen {
                attempt: self.attempt(w),
                now_ms: now,
            },
            Op::SocketError(w) => Input::SocketError {
                attempt: self.attempt(w),
                now_ms: now,
            },
            Op::Closed(w, code, was_clean) => Input::SocketClosed {
                attempt: self.attempt(w),
                code,
                reason: "r".into(),
                was_clean,
                now_ms: now,
            },
            Op::Close => Input::Close { now_ms: now },
            Op::Tick(at_wakeup) => {
                if at_wakeup {
                    self.now = self.s.next_wakeup().map_or(now, |at| at.max(now));
                } else {
                    self.now += dt * 3.0;
                }
                Input::Tick { now_ms: self.now }
            }
            Op::Offline => Input::Offline { now_ms: now },
            Op::Online => Input::Online { now_ms: now },
            Op::Resume => Input::Resume { now_ms: now },
            Op::PageHide => Input::PageHide { now_ms: now },
            _ => return None,
        };
        let kind = match op {
            Op::Connect(_) => 0,
            Op::Created(_) => 1,
            Op::Failed(..) => 2,
            Op::Open(_) => 3,
            Op::SocketError(_) => 4,
            Op::Closed(..) => 5,
            Op::Close => 6,
            Op::Tick(_) => 7,
            Op::Offline => 8,
            Op::Online => 9,
            Op::Resume => 10,
            _ => 11,
        };
        Some((kind, input))
    }
}

/// Checks what one input did: the `stateChange`s chain from the state before
/// to the state after, a Transmit only follows the socket of the current
/// attempt opening, attempts only grow, every promise comes out once.
fn check_effects(
    d: &mut Drive,
    before: S,
    input: &Input<u32>,
    fx: &[Effect<u32>],
) -> Result<(), TestCaseError> {
    let mut state = before;
    let mut opened = false;
    for effect in fx {
        match effect {
            Effect::State(c) => {
                prop_assert_eq!(c.previous, state);
                prop_assert_ne!(c.current, c.previous);
                state = c.current;
                if let Some(delay) = c.retry_in_ms {
                    prop_assert!(delay.is_finite() && delay >= 0.0, "retry_in {}", delay);
                }
            }
            Effect::StartAttempt { attempt } => {
                prop_assert!(
                    *attempt > d.latest,
                    "attempt {} after {}",
                    attempt,
                    d.latest
                );
                d.latest = *attempt;
            }
            Effect::EmitOpen => {
                prop_assert!(!d.open, "a second open event before a close");
                d.open = true;
                opened = true;
            }
            Effect::SettleConnect(Ok(())) => prop_assert_eq!(d.s.state(), S::Connected),
            Effect::EmitClose { .. } => {
                // The socket closed, or the session let go of it in this
                // step (offline, pagehide, connect() while closing), so its
                // own close event will not come.
                let closed = matches!(input, Input::SocketClosed { .. });
                let released = fx.iter().any(|e| matches!(e, Effect::ReleaseSocket));
                prop_assert!(closed || released, "close event without a socket close");
                prop_assert!(d.open, "a close event without an open");
                d.open = false;
            }
            Effect::Transmit { .. } => {
                let from_open = matches!(input, Input::SocketOpen { .. });
                prop_assert!(from_open && opened && before == S::Connecting);
                prop_assert_eq!(state, S::Connected);
            }
            Effect::Reject(waiter, error) => {
                prop_assert!(error.correlation_id.is_some());
                d.release(*waiter)?;
            }
            _ => {}
        }
    }
    prop_assert_eq!(state, d.s.state(), "{:?}", lines(fx));
    Ok(())
}

/// Invariants that hold between any two steps.
fn check_state(d: &Drive, limit: usize) -> Result<(), TestCaseError> {
    let state = d.s.state();
    prop_assert_eq!(d.s.ready_state(), state.ready_state());
    if let Some(at) = d.s.next_wakeup() {
        prop_assert!(at.is_finite(), "next_wakeup {}", at);
    }
    prop_assert!(d.s.outbox().queued() <= limit);
    prop_assert_eq!(d.s.outbox().waiting(), d.held.len());
    if matches!(state, S::Closed | S::Closing) {
        prop_assert!(d.s.outbox().is_empty());
    }
    if state != S::Connecting {
        prop_assert!(!d.s.wants_socket(d.latest));
    }
    Ok(())
}

fn step(
    d: &mut Drive,
    op: &Op,
    dt: f64,
    limit: usize,
) -> Result<Option<(S, usize)>, TestCaseError> {
    d.now += dt;
    let before = d.s.state();
    let id = |i: usize| format!("r{i}");
    if let Some((kind, input)) = d.input(op, dt) {
        let fx = d.s.handle(input.clone(), &mut d.random);
        check_effects(d, before, &input, &fx)?;
        check_state(d, limit)?;
        return Ok(Some((before, kind)));
    }
    match *op {
        Op::Submit(i, is_async, timeout) => {
            let waiter = is_async.then(|| {
                d.next_waiter += 1;
                d.next_waiter
            });
            let queued_before = d.s.outbox().queued();
            // A stale connection found at send time queues the request for
            // the reconnect the overdue wake-up starts.
            let stale = d.s.stale_at().is_some_and(|at| d.now >= at);
            match d
                .s
                .submit(id(i), envelope(&id(i)), waiter, None, timeout, d.now)
            {
                Ok(Some(text)) => {
                    prop_assert_eq!(before, S::Connected);
                    prop_assert_eq!(&*text, envelope(&id(i)));
                    d.held.extend(waiter);
                }
                Ok(None) => {
                    prop_assert!(
                        matches!(before, S::Connecting | S::Disconnected | S::Suspended)
                            || (before == S::Connected && stale)
                    );
                    prop_assert_eq!(d.s.outbox().queued(), queued_before + 1);
                    d.held.extend(waiter);
                }
                Err((back, _)) => {
                    prop_assert_eq!(back, waiter);
                    prop_assert_eq!(d.s.outbox().queued(), queued_before);
                }
            }
        }
        Op::Frame(i, a, s) => {
            let out = d.s.frame(&id(i), ACTION_TYPES[a], STATES[s], d.now);
            if let Some(w) = out.waiter {
                prop_assert!(out.deliver);
                d.release(w)?;
            }
        }
        Op::Cancel(i) => {
            if let Some(w) = d.s.cancel(&id(i)) {
                d.release(w)?;
            }
        }
        Op::Forget(i) => {
            if let Some(w) = d.s.forget(&id(i)) {
                d.release(w)?;
            }
        }
        Op::CancelAll => {
            for (_, w) in d.s.cancel_all() {
                d.release(w)?;
            }
        }
        _ => unreachable!(),
    }
    prop_assert_eq!(d.s.state(), before, "a request call changed the state");
    check_state(d, limit)?;
    Ok(None)
}

/// Random sequences from every state: no panic, and the invariants above
/// after every step. Every (state, input) pair is reached.
#[test]
fn every_state_and_input_keeps_the_invariants() {
    let seen = RefCell::new(BTreeSet::new());
    let strategy = (
        config(),
        any::<u64>(),
        prop::collection::vec((op(), 0.0..3_000.0f64), 1..120),
    );
    runner(600, 0x5E55_10F5)
        .run(&strategy, |(config, seed, ops)| {
            let limit = config.queue_limit;
            let mut d = Drive {
                s: Session::new(config),
                random: SeededRandom::new(seed),
                now: 1_700_000_000_000.0,
                latest: 0,
                next_waiter: 0,
                held: HashSet::new(),
                open: false,
            };
            for (op, dt) in &ops {
                if let Some((state, kind)) = step(&mut d, op, *dt, limit)? {
                    seen.borrow_mut().insert((state.as_str(), INPUTS[kind]));
                }
            }
            Ok(())
        })
        .unwrap();
    let seen = seen.into_inner();
    let states = [
        S::Initialized,
        S::Connecting,
        S::Connected,
        S::Disconnected,
        S::Suspended,
        S::Closing,
        S::Closed,
        S::Failed,
    ];
    let missing: Vec<_> = states
        .iter()
        .flat_map(|s| INPUTS.iter().map(move |i| (s.as_str(), *i)))
        .filter(|pair| !seen.contains(pair))
        .collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}
