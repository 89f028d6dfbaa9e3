//! The outbound path (protocol.md sections 2–4): the caller's params, as the
//! JSON text `JSON.stringify` made of them, in; one envelope text out.
//!
//! params text → [`json::Doc`](crate::json::Doc) (indexed once) →
//! [`walk`] over the [`template`] (merge, legacy rewrites, strict kinds) →
//! [`checks`] (top level, headers, required fields, size) → the envelope, its
//! headers written from the [`crate::headers`] table. This is the only
//! implementation of these rules.

pub mod check;
pub mod checks;
mod leaf;
mod legacy;
pub mod template;
pub mod walk;

use alloc::string::String;
use alloc::vec::Vec;

use self::check::{Path, Seg};
use self::template::PAYLOAD;
use self::walk::Walk;
use crate::action::Action;
use crate::error::OptaveError;
use crate::headers::{Source, HEADERS};

/// The header that carries the idempotency key (protocol.md section 2).
const IDEMPOTENCY_KEY: &str = "idempotencyKey";
use crate::ids::{IdGenerator, RandomSource, UUID_LEN};
use crate::json::{self, Doc, Kind};
use crate::legacy::Deprecation;
use crate::text::Text;
use crate::time::iso_millis;

/// Maximum serialized envelope size: 128 KiB of UTF-8 (131,072 bytes).
pub const MAX_ENVELOPE_BYTES: usize = 131_072;

/// Params whose JSON text is longer than this, in UTF-16 code units (a lower
/// bound on its UTF-8 bytes), are refused before the text is copied into
/// wasm: the envelope can be shorter than the params only by legacy values
/// that a newer spelling replaces (protocol.md section 3), never by half.
pub const MAX_PARAMS_UNITS: usize = 2 * MAX_ENVELOPE_BYTES;

/// Refuses params whose JSON text has `units` UTF-16 code units when that is
/// over [`MAX_PARAMS_UNITS`], without looking at the text.
///
/// Errors: VALIDATION / `PAYLOAD_TOO_LARGE` (`details.size`: at least that
/// many bytes; `details.maxSize`: 131,072).
pub fn refuse_oversized(units: usize, now_ms: f64) -> Result<(), OptaveError> {
    if units <= MAX_PARAMS_UNITS {
        return Ok(());
    }
    Err(checks::too_large(units, &[], now_ms).suggest(
        "Send only the recent part of the conversation; the params were refused before being read",
    ))
}

/// Client-level settings that shape every envelope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvelopeConfig {
    /// Fills `request.context.organizationId` when the call leaves it blank.
    pub organization_id: Option<String>,
    /// Sent as `headers.tenantId`.
    pub tenant_id: Option<String>,
    /// Fills `session.sessionId` when the call leaves it blank.
    pub session_id: Option<String>,
    /// Type-check every known field (`strictValidation`).
    pub strict: bool,
    /// The socket is shared with other tabs (`crossTab`): a
    /// `request.requestId` is never the correlationId, since another tab
    /// may have the same one in flight; every request without its own
    /// `headers.correlationId` gets a fresh UUID v7 (docs/protocol.md,
    /// section 9).
    pub shared_socket: bool,
}

/// A built envelope, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    /// `headers.correlationId`.
    pub correlation_id: String,
    /// The serialized envelope (UTF-8 JSON), at most [`MAX_ENVELOPE_BYTES`].
    pub text: String,
    /// Legacy inputs that were accepted (the client warns once per kind).
    pub deprecations: Vec<Deprecation>,
    /// `request.requestId` when it was already in flight, so the envelope
    /// went out under a fresh UUID v7 `correlationId` instead (docs/protocol.md
    /// section 8); `None` when the usual rule applied.
    pub request_id_in_flight: Option<String>,
    /// What the REST transport needs of the same envelope (the one builder
    /// serves both transports).
    pub rest: RestParts,
}

impl Outbound {
    /// The warning for an envelope whose `request.requestId` was already in
    /// flight (protocol.md section 8): names the `requestId` and the
    /// correlationId the request went out under. `None` otherwise.
    pub fn in_flight_warning(&self) -> Option<String> {
        let request_id = self.request_id_in_flight.as_deref()?;
        Some(
            Text::new("request.requestId ")
                .q(request_id)
                .s(" is already in flight, so this request went out under correlationId ")
                .q(&self.correlation_id)
                .s(": give each request its own requestId, or leave it empty for a generated one")
                .into(),
        )
    }
}

/// The parts of a built envelope a REST request carries (protocol.md
/// section 1: `POST {restUrl}/message/{action}`, body = the payload).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestParts {
    /// The action's wire name (`headers.action`), the last URL segment.
    pub action: &'static str,
    /// `headers.idempotencyKey`, sent as the `Idempotency-Key` header.
    pub idempotency_key: String,
    /// Byte offset of the payload object in the envelope text; the payload
    /// runs from here to the envelope's last byte (excluded).
    pub payload_at: usize,
}

impl RestParts {
    /// The payload (the REST body) inside `envelope`, the text these parts
    /// were taken from; empty when `envelope` is not that text.
    pub fn payload<'a>(&self, envelope: &'a str) -> &'a str {
        envelope
            .get(self.payload_at..envelope.len().saturating_sub(1))
            .unwrap_or_default()
    }
}

/// Builds envelopes; keeps its index buffer between calls.
#[derive(Debug, Default)]
pub struct Builder {
    doc: Doc,
}

/// Builds one envelope with a fresh [`Builder`]. See [`Builder::build`].
pub fn build<R: RandomSource>(
    action: Action,
    params_json: &str,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Result<Outbound, OptaveError> {
    Builder::default().build(action, params_json, config, ids, now_ms)
}

impl Builder {
    /// [`Builder::build_for`] with no request in flight.
    pub fn build<R: RandomSource>(
        &mut self,
        action: Action,
        params_json: &str,
        config: &EnvelopeConfig,
        ids: &mut IdGenerator<R>,
        now_ms: f64,
    ) -> Result<Outbound, OptaveError> {
        self.build_for(action, params_json, config, ids, now_ms, |_| false)
    }

    /// Builds the envelope for `action` from the caller's params given as JSON
    /// text (what `JSON.stringify(params)` produced; `undefined` members are
    /// absent, `null` params count as `{}`). `now_ms` is Unix epoch ms.
    ///
    /// `headers.correlationId` is the caller's `headers.correlationId`, else
    /// the non-blank `request.requestId` (protocol.md section 2; not on a
    /// [`EnvelopeConfig::shared_socket`]), else a fresh UUID v7. When `in_flight` says that `request.requestId` is
    /// already the correlationId of a tracked request, the envelope gets a
    /// fresh UUID v7 instead, `payload.request.requestId` stays as given,
    /// and [`Outbound::request_id_in_flight`] names it (docs/protocol.md
    /// section 8). A caller's own `headers.correlationId` is never replaced.
    ///
    /// Ids are drawn from `ids` only once every check has passed.
    ///
    /// Errors (all VALIDATION, see [`checks`]): `PAYLOAD_SCHEMA_MISMATCH` (not
    /// JSON, not an object, a top-level key other than `session`, `request`,
    /// `headers`, a header that is unknown, SDK-owned or of the wrong kind, a
    /// `strictValidation` type error naming its path),
    /// `REQUIRED_FIELDS_MISSING` (naming every missing path),
    /// `PAYLOAD_TOO_LARGE` (over [`MAX_ENVELOPE_BYTES`], naming the largest parts).
    pub fn build_for<R: RandomSource>(
        &mut self,
        action: Action,
        params_json: &str,
        config: &EnvelopeConfig,
        ids: &mut IdGenerator<R>,
        now_ms: f64,
        in_flight: impl Fn(&str) -> bool,
    ) -> Result<Outbound, OptaveError> {
        self.doc
            .parse(params_json)
            .map_err(|e| checks::not_json(e, now_ms))?;
        let doc = &self.doc;
        let text = params_json;
        let root = checks::top_level(text, doc, now_ms)?;
        let overrides = match root.and_then(|r| doc.member(text, r, "headers")) {
            Some(h) => checks::header_overrides(text, doc, h, now_ms)?,
            None => [None; HEADERS.len()],
        };

        let request_id = root
            .and_then(|r| doc.member(text, r, "request"))
            .filter(|&r| doc.node(r).is_some_and(|n| n.kind == Kind::Obj))
            .and_then(|r| doc.member(text, r, "requestId"))
            .and_then(|i| doc.node(i))
            .filter(|n| n.kind == Kind::Str && !json::string(text, n).trim().is_empty());
        let given_correlation = overrides
            .first()
            .copied()
            .flatten()
            .and_then(|i| doc.node(i));
        // A requestId already in flight cannot be this envelope's
        // correlationId: it gets a generated one (the hole below).
        let in_flight_id = match (given_correlation, request_id) {
            (None, Some(n)) => Some(json::string(text, n)).filter(|id| in_flight(id)),
            _ => None,
        };
        let correlation_from = given_correlation
            .or(request_id.filter(|_| in_flight_id.is_none() && !config.shared_socket));

        // The headers, from the table; generated ids leave a hole until every
        // check has passed, so nothing is drawn for a refused envelope.
        let mut out = String::with_capacity(params_json.len() + 1536);
        out.push_str("{\"action\":\"message\",\"headers\":{");
        let mut holes = [0usize; 3];
        let mut hole_count = 0;
        let mut key_given = None;
        let mut key_hole = None;
        for (header, given) in HEADERS.iter().zip(overrides) {
            let given = given.and_then(|i| doc.node(i));
            let is_key = header.name == IDEMPOTENCY_KEY;
            if is_key {
                key_given = given.map(|n| String::from(json::string(text, n)));
            }
            let raw = match (given, header.source) {
                (Some(node), _) => Some(json::raw(text, node)),
                (None, Source::Correlation) => correlation_from.map(|n| json::raw(text, n)),
                _ => None,
            };
            let absent = match header.source {
                Source::CallerOnly => true,
                Source::Tenant => config.tenant_id.is_none(),
                _ => false,
            };
            if raw.is_none() && absent {
                continue;
            }
            if !out.ends_with('{') {
                out.push(',');
            }
            out.push('"');
            out.push_str(header.name);
            out.push_str("\":");
            if let Some(raw) = raw {
                out.push_str(raw);
                continue;
            }
            match header.source {
                Source::Correlation | Source::Uuid => {
                    out.push('"');
                    if let Some(hole) = holes.get_mut(hole_count) {
                        *hole = out.len();
                        if is_key {
                            key_hole = Some(out.len());
                        }
                        hole_count += 1;
                    }
                    out.push_str(UUID_HOLE);
                    out.push('"');
                }
                Source::Const(c) => json::push_string(&mut out, c),
                Source::Action => json::push_string(&mut out, action.wire_name()),
                Source::IssuedAt => json::push_string(&mut out, &iso_millis(now_ms)),
                Source::Tenant => {
                    json::push_string(&mut out, config.tenant_id.as_deref().unwrap_or_default())
                }
                Source::CallerOnly => out.push_str("null"),
            }
        }
        out.push_str("},\"payload\":");
        let payload_at = out.len();

        // The payload, in one walk.
        let path = Path {
            parent: None,
            seg: Seg::Name(""),
        };
        let layers: Vec<u32> = root.into_iter().collect();
        let mut walk = Walk::new(text, doc, config, &mut out);
        let walked = walk.object(PAYLOAD, &layers, true, &path);
        let (caps, sizes, mut deprecations) = (walk.caps, walk.sizes, walk.deprecations);
        walked.map_err(|m| checks::strict_mismatch(m, now_ms))?;
        checks::required(action, &caps, now_ms)?;
        out.push('}');
        let known = given_correlation
            .or(request_id)
            .map(|n| String::from(json::string(text, n)));
        if out.len() > MAX_ENVELOPE_BYTES {
            let err = checks::too_large(out.len(), &sizes, now_ms);
            return Err(match known {
                Some(id) => err.for_request(id),
                None => err,
            });
        }

        // Every check passed: draw the ids, in header order.
        let mut first_generated = None;
        for &at in holes.iter().take(hole_count) {
            let id = ids.uuid_v7(now_ms);
            if out.get(at..at + UUID_LEN).is_some() && id.len() == UUID_LEN {
                out.replace_range(at..at + UUID_LEN, &id);
            }
            first_generated.get_or_insert(id);
        }
        let correlation_id = match correlation_from {
            Some(node) => String::from(json::string(text, node)),
            None => first_generated.unwrap_or_default(),
        };
        if action.is_deprecated() {
            deprecations.push(Deprecation::CustomerInteraction);
        }
        let idempotency_key = key_given
            .or_else(|| key_hole.and_then(|at| out.get(at..at + UUID_LEN).map(String::from)))
            .unwrap_or_default();
        Ok(Outbound {
            correlation_id,
            text: out,
            deprecations,
            request_id_in_flight: in_flight_id.map(String::from),
            rest: RestParts {
                action: action.wire_name(),
                idempotency_key,
                payload_at,
            },
        })
    }
}

/// Written where a generated id goes once the size is known to fit.
const UUID_HOLE: &str = "000000000000000000000000000000000000";
