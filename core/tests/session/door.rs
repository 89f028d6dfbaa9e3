//! The request calls of the scenarios as they read best (`s.submit(..)`,
//! `s.frame(..)`, `s.cancel(..)`), each made through the session's one door,
//! `Session::handle`, and read back from the effects it returns.

// The refusal hands back the waiter and the error, as the scenarios read it.
#![allow(clippy::result_large_err)]

use std::rc::Rc;

use optave_core::connection::outbox::FrameOutcome;
use optave_core::connection::{Effect, Fetch, Input, Request, SendKind, Session};
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::outbound::RestParts;

use super::{Fx, T0};
use crate::common::SeededRandom;

/// Where a submitted request went, read from the effects of
/// [`Input::Submit`].
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// [`Effect::Transmit`]: sent on the socket now.
    Send(Rc<str>),
    /// No effect: queued.
    Held,
    /// [`Effect::Fetch`]: a REST call.
    Fetch(Fetch),
}

/// The request calls the scenarios make, each through the one door
/// (`Session::handle`) and read back from its effects: the waiter handed
/// back with a refusal is the one passed in.
pub trait Door {
    /// [`Input::Submit`] of a WebSocket-only request.
    fn submit(
        &mut self,
        id: String,
        text: impl Into<String>,
        waiter: Option<u32>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Option<Rc<str>>, (Option<u32>, OptaveError)>;
    /// [`Input::Submit`] of a request with its REST parts.
    #[allow(clippy::too_many_arguments)]
    fn submit_via(
        &mut self,
        id: String,
        text: String,
        rest: RestParts,
        waiter: Option<u32>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Submitted, (Option<u32>, OptaveError)>;
    /// [`Input::Frame`]: delivered (with its waiter) or not.
    fn frame(&mut self, id: &str, action_type: &str, state: &str, now_ms: f64)
        -> FrameOutcome<u32>;
    /// [`Input::Cancel`]: the waiter rejected, if any.
    fn cancel(&mut self, id: &str) -> Option<u32>;
    /// [`Input::CancelAll`]: the waiters rejected, with their correlationIds.
    fn cancel_all(&mut self) -> Vec<(String, u32)>;
    /// [`Input::Unreadable`] naming `id`: its waiter, rejected.
    fn forget(&mut self, id: &str) -> Option<u32>;
}

fn request(
    id: String,
    text: String,
    rest: Option<RestParts>,
    waiter: Option<u32>,
    settle_ms: Option<f64>,
    timeout_ms: f64,
) -> Request<u32> {
    Request {
        correlation_id: id,
        text,
        rest,
        waiter,
        settle_ms,
        timeout_ms,
    }
}

impl Door for Session<u32> {
    fn submit(
        &mut self,
        id: String,
        text: impl Into<String>,
        waiter: Option<u32>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Option<Rc<str>>, (Option<u32>, OptaveError)> {
        let request = request(id, text.into(), None, waiter, settle_ms, timeout_ms);
        match self.submit_via_request(request, now_ms)? {
            Submitted::Send(text) => Ok(Some(text)),
            Submitted::Held => Ok(None),
            Submitted::Fetch(f) => panic!("a WebSocket-only request went over REST: {f:?}"),
        }
    }

    fn submit_via(
        &mut self,
        id: String,
        text: String,
        rest: RestParts,
        waiter: Option<u32>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Submitted, (Option<u32>, OptaveError)> {
        let request = request(id, text, Some(rest), waiter, settle_ms, timeout_ms);
        self.submit_via_request(request, now_ms)
    }

    fn frame(
        &mut self,
        id: &str,
        action_type: &str,
        state: &str,
        now_ms: f64,
    ) -> FrameOutcome<u32> {
        let input = Input::Frame {
            correlation_id: Some(id.into()),
            action_type: Some(action_type.into()),
            state: Some(state.into()),
            now_ms,
        };
        match self.handle(input, &mut SeededRandom::new(0)).as_slice() {
            [] => FrameOutcome {
                deliver: false,
                waiter: None,
            },
            [Effect::Frame { waiter }] => FrameOutcome {
                deliver: true,
                waiter: *waiter,
            },
            other => panic!("a frame's effects: {other:?}"),
        }
    }

    fn cancel(&mut self, id: &str) -> Option<u32> {
        let input = Input::Cancel {
            correlation_id: id.into(),
            now_ms: T0,
        };
        rejected_ids(self.handle(input, &mut SeededRandom::new(0)))
            .into_iter()
            .map(|(_, w)| w)
            .next()
    }

    fn cancel_all(&mut self) -> Vec<(String, u32)> {
        rejected_ids(self.handle(Input::CancelAll { now_ms: T0 }, &mut SeededRandom::new(0)))
    }

    fn forget(&mut self, id: &str) -> Option<u32> {
        let error =
            OptaveError::validation(ErrorCode::InvalidArgument, "unreadable", T0).for_request(id);
        match self
            .handle(Input::Unreadable { error }, &mut SeededRandom::new(0))
            .as_slice()
        {
            [Effect::Fail { waiter, .. }] => *waiter,
            other => panic!("an unreadable frame's effects: {other:?}"),
        }
    }
}

/// The waiters an input's effects reject, with the correlationIds.
fn rejected_ids(fx: Fx) -> Vec<(String, u32)> {
    fx.into_iter()
        .filter_map(|e| match e {
            Effect::Reject(w, err) => Some((err.correlation_id.unwrap_or_default(), w)),
            _ => None,
        })
        .collect()
}

trait SubmitRequest {
    fn submit_via_request(
        &mut self,
        request: Request<u32>,
        now_ms: f64,
    ) -> Result<Submitted, (Option<u32>, OptaveError)>;
}

impl SubmitRequest for Session<u32> {
    fn submit_via_request(
        &mut self,
        request: Request<u32>,
        now_ms: f64,
    ) -> Result<Submitted, (Option<u32>, OptaveError)> {
        let waiter = request.waiter;
        let fx = self.handle(Input::Submit { request, now_ms }, &mut SeededRandom::new(0));
        match fx.as_slice() {
            [] => Ok(Submitted::Held),
            [Effect::Transmit {
                text,
                kind: SendKind::Direct,
                ..
            }] => Ok(Submitted::Send(text.clone())),
            [Effect::Fetch(f)] => Ok(Submitted::Fetch(f.clone())),
            [Effect::Refused(e)] => Err((waiter, e.clone())),
            other => panic!("a submit's effects: {other:?}"),
        }
    }
}
