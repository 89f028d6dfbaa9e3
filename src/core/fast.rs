//! One-pass envelope building for the common case (protocol.md sections 2–4,
//! seed 002).
//!
//! [`envelope::build`](super::envelope::build) parses the caller's params into
//! a `serde_json::Value`, clones the default payload, merges, walks the result
//! (strict types, required fields) and serializes it again. [`try_build`] does
//! the same work in one pass over the caller's JSON text: a small lexer reads
//! the params, merges them key by key onto a template built once from
//! [`DEFAULT_PAYLOAD_JSON`] and [`schema::PAYLOAD`], and writes the payload as it
//! goes (caller values copied through, default keys the caller did not give
//! written from pre-serialized text).
//!
//! It is an accelerator with an exact fallback, never a second implementation
//! of the rules: whenever the input is anything but the plain common case
//! (invalid or unusual JSON, a legacy attribute spelling, a header that does not parse, a
//! strict type error, a missing required field, an envelope over the size
//! limit...) it returns `None` before drawing any id, and `build_from_json`
//! takes the slow path, which stays the single source of every error and every
//! legacy rewrite. When it does answer, the envelope is the slow path's: the
//! same headers in the same order, the same payload value and the same length
//! in bytes (strings with escapes and unusual numbers are re-encoded exactly as
//! `serde_json` writes them); only the order of keys inside payload objects may
//! differ (the caller's keys first, then the defaults it left out).
//! `tests/core_fast.rs` checks this against the slow path on the seed params,
//! single-field mutations of them and malformed inputs.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::action::{Action, Requirement};
use super::defaults::DEFAULT_PAYLOAD_JSON;
use super::envelope::{EnvelopeConfig, Outbound, SCHEMA_REF, SDK_VERSION};
use super::error::OptaveError;
use super::ids::{IdGenerator, RandomSource};
use super::legacy::{self, Deprecation};
use super::model::HeaderOverrides;
use super::schema::{self, Field, Kind};
use super::time::iso_millis;
use super::validate;

/// Deepest nesting followed before falling back (`serde_json` refuses past 128).
const MAX_DEPTH: usize = 100;
/// Length of a hyphenated UUID, the only kind of id the generator produces.
const UUID_LEN: usize = 36;
/// Written where a generated id will go once the size is known to fit.
const UUID_HOLE: &str = "000000000000000000000000000000000000";

/// Role indices with a behaviour of their own (the requirement paths follow).
const SESSION_ID: usize = 0;
const ORGANIZATION_ID: usize = 1;
const REQUEST_ID: usize = 2;
const FIXED_ROLES: [&str; 3] = [
    "session.sessionId",
    "request.context.organizationId",
    "request.requestId",
];

/// Keys handled specially, as (parent path, key): the top-level `headers` is
/// not part of the payload, the legacy attribute spellings are left to the
/// slow path, the legacy resources spellings are rewritten ([`legacy_resources`]).
const SPECIALS: [(&str, &str, Special); 7] = [
    ("", "headers", Special::Headers),
    ("request", "variation", Special::Legacy),
    ("request", "content", Special::Legacy),
    ("request", "resources", Special::Resources),
    ("request.scope", "resources", Special::ScopeResources),
    ("request.resources", "links", Special::Links),
    ("request.attributes", "variant", Special::Variant),
];
/// Objects with more keys than this fall back (duplicate keys are looked for
/// pairwise).
const MAX_KEYS: usize = 64;

/// Builds the envelope for `action` from the caller's params given as JSON text
/// (`JSON.stringify(params)`), in one pass, when the input is the plain common
/// case.
///
/// Returns `None` when the slow path must run instead: the text is not a JSON
/// object with only `session`/`request`/`headers` objects at the top, or it
/// has a duplicate key, a key with an escape, a lone surrogate escape, an
/// object of more than 64 keys or nesting deeper than 100; it uses
/// a legacy attribute spelling (`request.variation`, `request.content`), its
/// `headers` are refused, `config.strict` finds a type error, a field required
/// by `action` (protocol.md section 4) is missing, or the envelope would be over
/// [`validate::MAX_ENVELOPE_BYTES`]. No id is drawn from `ids` in any of these
/// cases.
///
/// The legacy spellings under `request.resources` (`request.scope.resources`,
/// a link's `expiresAt`), which seed 002 itself uses, are rewritten here: that
/// subtree alone goes through [`legacy::normalize`] and is then walked like
/// the rest, and the deprecations are reported as the slow path reports them.
///
/// Otherwise returns `Some(Ok(outbound))`, equal to what
/// [`envelope::build`](super::envelope::build) returns for the parsed params
/// with the same `ids` state and `now_ms` (Unix epoch milliseconds): same
/// correlation id, deprecations and ids drawn, and an envelope text of the same
/// length whose parsed value is equal. Errors are never built here, so
/// `Some(Err(_))` does not occur today; the type leaves room for it.
pub fn try_build<R: RandomSource>(
    action: Action,
    params_json: &str,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Option<Result<Outbound, OptaveError>> {
    let template = template()?;
    if config.strict && !template.defaults_pass_strict {
        return None;
    }
    // Legacy spellings under `request.resources` are rare outside seed 002:
    // only a walk that meets one pays for rewriting that subtree and walking again.
    let rewritten;
    let mut deprecations = Vec::new();
    let walker = match walk(params_json, config, template, None) {
        Ok(walker) => walker,
        Err(Stop::Fallback) => return None,
        Err(Stop::LegacyResources) => {
            rewritten = legacy_resources(params_json)?;
            deprecations.clone_from(&rewritten.deprecations);
            walk(params_json, config, template, Some(&rewritten.text)).ok()?
        }
    };
    let Walker {
        out: mut payload,
        captures,
        headers,
        ..
    } = walker;

    let overrides = match headers {
        Some((start, end)) => {
            let value: Value = serde_json::from_str(params_json.get(start..end)?).ok()?;
            validate::parse_headers(Some(value), now_ms).ok()?
        }
        None => HeaderOverrides::default(),
    };
    for req in action.requirements() {
        let role = template.roles.iter().position(|r| *r == req.path())?;
        let satisfied = match (req, captures.get(role)?) {
            (Requirement::NonEmptyString(_), Info::Str(s)) => !s.trim().is_empty(),
            (Requirement::NonEmptyArray(_), Info::Arr(n)) => *n > 0,
            _ => false,
        };
        if !satisfied {
            return None;
        }
    }
    let request_id = match captures.get(REQUEST_ID) {
        Some(Info::Str(s)) if !s.trim().is_empty() => Some(s.as_ref()),
        _ => None,
    };
    let known_correlation = overrides
        .correlation_id
        .clone()
        .or_else(|| request_id.map(str::to_owned));

    // The headers, in the slow path's order; generated ids leave a hole until
    // the size is known to fit, so nothing is drawn for an envelope that falls back.
    let mut text = String::with_capacity(512);
    text.push_str(r#"{"action":"message","headers":{"correlationId":"#);
    let correlation_hole = write_id(&mut text, known_correlation.as_deref());
    text.push_str(r#","action":"#);
    write_escaped(&mut text, action.wire_name());
    text.push_str(r#","schemaRef":"#);
    write_escaped(&mut text, SCHEMA_REF);
    text.push_str(r#","sdkVersion":"#);
    write_escaped(&mut text, SDK_VERSION);
    text.push_str(r#","identifier":"message","traceId":"#);
    let trace_hole = write_id(&mut text, overrides.trace_id.as_deref());
    text.push_str(r#","idempotencyKey":"#);
    let key_hole = write_id(&mut text, overrides.idempotency_key.as_deref());
    text.push_str(r#","issuedAt":"#);
    write_escaped(&mut text, &iso_millis(now_ms));
    if let Some(ts) = &overrides.timestamp {
        text.push_str(r#","timestamp":"#);
        write_escaped(&mut text, ts);
    }
    if let Some(tenant) = overrides
        .tenant_id
        .as_deref()
        .or(config.tenant_id.as_deref())
    {
        text.push_str(r#","tenantId":"#);
        write_escaped(&mut text, tenant);
    }
    if let Some(ms) = overrides.network_latency_ms {
        text.push_str(r#","networkLatencyMs":"#);
        text.push_str(&serde_json::to_string(&Value::from(ms)).ok()?);
    }
    text.push_str(r#"},"payload":"#);
    // The payload buffer has room for the headers in front (see `Walker::new`).
    payload.insert_str(0, &text);
    payload.push('}');
    let mut text = payload;
    if text.len() > validate::MAX_ENVELOPE_BYTES {
        return None;
    }

    // Same draws, in the same order, as the slow path.
    let correlation_id = known_correlation.unwrap_or_else(|| ids.uuid_v7(now_ms));
    let trace_id = trace_hole.map(|_| ids.uuid_v7(now_ms));
    let key = key_hole.map(|_| ids.uuid_v7(now_ms));
    // Filled from the last hole back, so earlier offsets stay valid.
    for (hole, id) in [
        (key_hole, key.as_deref()),
        (trace_hole, trace_id.as_deref()),
        (correlation_hole, Some(correlation_id.as_str())),
    ] {
        if let (Some(start), Some(id)) = (hole, id) {
            let end = start + UUID_LEN;
            text.get(start..end)?;
            text.replace_range(start..end, id);
        }
    }
    if text.len() > validate::MAX_ENVELOPE_BYTES {
        return None;
    }
    if action.is_deprecated() {
        deprecations.push(Deprecation::CustomerInteraction);
    }
    Some(Ok(Outbound {
        correlation_id,
        text,
        deprecations,
    }))
}

/// Why a walk stopped.
enum Stop {
    /// Take the slow path.
    Fallback,
    /// A legacy spelling under `request.resources` was met: walk again with
    /// that subtree rewritten ([`legacy_resources`]).
    LegacyResources,
}

/// Walks the params once; `resources` is the rewritten `request.resources`.
fn walk<'a>(
    params: &'a str,
    config: &'a EnvelopeConfig,
    template: &'static Template,
    resources: Option<&'a str>,
) -> Result<Walker<'a>, Stop> {
    let mut walker = Walker::new(params, config, template);
    walker.resources = resources;
    match walker.params(&template.root) {
        Some(()) => Ok(walker),
        None if walker.legacy_resources && resources.is_none() => Err(Stop::LegacyResources),
        None => Err(Stop::Fallback),
    }
}

/// Writes `id` as a JSON string, or a placeholder of [`UUID_LEN`] characters
/// whose offset is returned when the id is still to be generated.
fn write_id(text: &mut String, id: Option<&str>) -> Option<usize> {
    match id {
        Some(id) => {
            write_escaped(text, id);
            None
        }
        None => {
            text.push('"');
            let start = text.len();
            text.push_str(UUID_HOLE);
            text.push('"');
            Some(start)
        }
    }
}

// ---------------------------------------------------------------------------
// The template: the default payload as a tree of objects, each with its
// ordered fields, their schema kind and their default pre-serialized.

/// What a path needs beyond the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    None,
    /// `params.headers`: parsed by `validate::parse_headers`, not part of the payload.
    Headers,
    /// A legacy spelling: the slow path rewrites it.
    Legacy,
    /// `request.resources`: walked from the normalised text when the params
    /// use a legacy spelling under it (see [`legacy_resources`]).
    Resources,
    /// `request.scope.resources` (legacy): moved into `request.resources`.
    ScopeResources,
    /// `request.resources.links`: an item with `expiresAt` is legacy.
    Links,
    /// `request.attributes.variant`: sent upper-cased.
    Variant,
}

/// An object of the default payload.
struct Node {
    /// Default keys in default order, then schema-only and special keys (no default).
    slots: Vec<Slot>,
    /// Bit set of the roles at or under this node's slots.
    roles_below: u64,
    /// The params object itself: unknown keys and non-object members are refused.
    closed: bool,
}

/// One known key of a [`Node`].
struct Slot {
    name: String,
    /// Schema kind (`Kind::Any` when the schema does not list the key).
    kind: Kind,
    /// The default value serialized, `None` when the defaults lack the key.
    default: Option<String>,
    /// The default is `null` or a blank string (a config value fills it).
    default_blank: bool,
    /// The node of an object default (merged key by key).
    child: Option<Node>,
    /// Index into `Template::roles` when the merged value is looked at.
    role: Option<usize>,
    special: Special,
}

struct Template {
    root: Node,
    /// Paths whose merged value is captured: [`FIXED_ROLES`], then every
    /// requirement path of every action.
    roles: Vec<&'static str>,
    /// The value at each role path in the default payload.
    initial: Vec<Initial>,
    /// The default payload passes `strictValidation` (else strict calls fall back).
    defaults_pass_strict: bool,
}

/// A role's value in the default payload.
enum Initial {
    Absent,
    Str(String),
    Arr(usize),
    Other,
}

fn template() -> Option<&'static Template> {
    static TEMPLATE: OnceLock<Option<Template>> = OnceLock::new();
    TEMPLATE.get_or_init(build_template).as_ref()
}

fn build_template() -> Option<Template> {
    let mut defaults: Value = serde_json::from_str(DEFAULT_PAYLOAD_JSON).ok()?;
    // The slow path upper-cases the merged variant; a default one is written as such.
    if let Some(Value::String(variant)) = defaults.pointer_mut("/request/attributes/variant") {
        variant.make_ascii_uppercase();
    }
    let mut roles: Vec<&'static str> = FIXED_ROLES.to_vec();
    for action in Action::ALL {
        for req in action.requirements() {
            if !roles.contains(&req.path()) {
                roles.push(req.path());
            }
        }
    }
    if roles.len() > 64 {
        return None;
    }
    let Value::Object(map) = &defaults else {
        return None;
    };
    let mut initial: Vec<Initial> = roles.iter().map(|_| Initial::Absent).collect();
    let mut root = build_node(map, schema::PAYLOAD, "", &roles, &mut initial)?;
    root.closed = true;
    let defaults_pass_strict = schema::check(&defaults, schema::PAYLOAD, false).is_ok();
    Some(Template {
        root,
        roles,
        initial,
        defaults_pass_strict,
    })
}

/// The node of the default object `map` at `path` (dotted, `""` for the
/// payload), whose schema fields are `fields`; records the defaults of the
/// role paths under it in `initial`.
fn build_node(
    map: &Map<String, Value>,
    fields: &'static [Field],
    path: &str,
    roles: &[&'static str],
    initial: &mut [Initial],
) -> Option<Node> {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    let new_slot = |name: &str, kind: Kind, child_path: &str| Slot {
        name: name.to_owned(),
        kind,
        default: None,
        default_blank: false,
        child: None,
        role: roles.iter().position(|r| *r == child_path),
        special: SPECIALS
            .iter()
            .find(|(parent, key, _)| *parent == path && *key == name)
            .map_or(Special::None, |(_, _, s)| *s),
    };
    let mut slots = Vec::new();
    for (name, value) in map {
        let kind = fields
            .iter()
            .find(|f| f.name == name)
            .map_or(Kind::Any, |f| f.kind);
        let child_path = join(name);
        let mut slot = new_slot(name, kind, &child_path);
        if let Value::Object(inner) = value {
            let inner_fields = match kind {
                Kind::Obj(f) => f,
                _ => &[],
            };
            slot.child = Some(build_node(
                inner,
                inner_fields,
                &child_path,
                roles,
                initial,
            )?);
        }
        if let Some(at) = slot.role.and_then(|role| initial.get_mut(role)) {
            *at = match value {
                Value::String(s) => Initial::Str(s.clone()),
                Value::Array(a) => Initial::Arr(a.len()),
                _ => Initial::Other,
            };
        }
        slot.default = Some(serde_json::to_string(value).ok()?);
        slot.default_blank = match value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        };
        slots.push(slot);
    }
    for field in fields {
        if !slots.iter().any(|s| s.name == field.name) {
            slots.push(new_slot(field.name, field.kind, &join(field.name)));
        }
    }
    for (parent, name, _) in SPECIALS {
        if parent == path && !slots.iter().any(|s| s.name == name) {
            slots.push(new_slot(name, Kind::Any, &join(name)));
        }
    }
    if slots.len() > 64 {
        return None;
    }
    let mut roles_below = 0u64;
    for slot in &slots {
        if let Some(role) = slot.role {
            roles_below |= 1u64.checked_shl(u32::try_from(role).ok()?)?;
        }
        if let Some(child) = &slot.child {
            roles_below |= child.roles_below;
        }
    }
    Some(Node {
        slots,
        roles_below,
        closed: false,
    })
}

// ---------------------------------------------------------------------------
// The walk.

/// What was read for a value (kept for the role paths).
#[derive(Debug, Clone)]
enum Info<'a> {
    /// Not in the merged payload (its parent was replaced by a non-object).
    Absent,
    Null,
    /// A string, decoded.
    Str(Cow<'a, str>),
    /// An array of this many items.
    Arr(usize),
    Other,
}

/// Where a value sits, for the `expiresAt` legacy check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Plain,
    /// `request.resources.links`.
    Links,
    /// An item of it.
    LinkItem,
}

/// Reads the params text and writes the merged payload into `out`.
struct Walker<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    out: String,
    /// Type-check known fields (`config.strict`).
    strict: bool,
    depth: usize,
    /// Keys of the objects being read (duplicate detection).
    keys: Vec<&'a str>,
    /// The merged value at each role path.
    captures: Vec<Info<'a>>,
    /// Byte range of `params.headers`.
    headers: Option<(usize, usize)>,
    fill_session: Option<&'a str>,
    fill_organization: Option<&'a str>,
    /// Roles whose default is replaced by a config value.
    dynamic: u64,
    /// `request.resources` after the legacy rewrites, walked in place of the
    /// caller's; `request.scope.resources` is then skipped.
    resources: Option<&'a str>,
    /// The walk stopped at a legacy spelling under `request.resources`.
    legacy_resources: bool,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str, config: &'a EnvelopeConfig, template: &'static Template) -> Self {
        let captures = template
            .initial
            .iter()
            .map(|initial| match initial {
                Initial::Absent => Info::Absent,
                Initial::Str(s) => Info::Str(Cow::Borrowed(s.as_str())),
                Initial::Arr(n) => Info::Arr(*n),
                Initial::Other => Info::Other,
            })
            .collect();
        let fill_session = config.session_id.as_deref();
        let fill_organization = config.organization_id.as_deref();
        let mut dynamic = 0;
        if fill_session.is_some() {
            dynamic |= 1 << SESSION_ID;
        }
        if fill_organization.is_some() {
            dynamic |= 1 << ORGANIZATION_ID;
        }
        Self {
            text,
            src: text.as_bytes(),
            pos: 0,
            // Room for the defaults the caller leaves out and for the headers,
            // inserted in front at the end.
            out: String::with_capacity(text.len() + DEFAULT_PAYLOAD_JSON.len() + 1024),
            strict: config.strict,
            depth: 0,
            keys: Vec::new(),
            captures,
            headers: None,
            fill_session,
            fill_organization,
            dynamic,
            resources: None,
            legacy_resources: false,
        }
    }

    /// The whole text: one object, nothing after it.
    fn params(&mut self, root: &'static Node) -> Option<()> {
        self.skip_ws();
        if self.peek() != Some(b'{') {
            return None;
        }
        self.merge_object(root)?;
        self.skip_ws();
        (self.pos == self.src.len()).then_some(())
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then_some(())
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn kind(&self, kind: Kind) -> Kind {
        if self.strict {
            kind
        } else {
            Kind::Any
        }
    }

    fn fill(&self, role: usize) -> Option<&'a str> {
        match role {
            SESSION_ID => self.fill_session,
            ORGANIZATION_ID => self.fill_organization,
            _ => None,
        }
    }

    fn capture(&mut self, role: usize, info: Info<'a>) {
        if let Some(slot) = self.captures.get_mut(role) {
            *slot = info;
        }
    }

    fn separator(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
    }

    fn write_key(&mut self, key: &str) {
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    /// An object key without escapes (a key with one falls back), then `:`.
    fn key(&mut self) -> Option<&'a str> {
        self.skip_ws();
        self.eat(b'"')?;
        let start = self.pos;
        let end = start + string_stop(self.src.get(start..)?)?;
        if self.src.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        self.skip_ws();
        self.eat(b':')?;
        self.text.get(start..end)
    }

    /// After a member: `,` (more follow) or the closing byte.
    fn member_end(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        match self.next_byte()? {
            b',' => Some(true),
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// Fails on a duplicate among the keys pushed since `base`, then drops them.
    fn check_keys(&mut self, base: usize) -> Option<()> {
        let keys = self.keys.get(base..)?;
        if keys.len() > MAX_KEYS {
            return None;
        }
        let duplicate = keys
            .iter()
            .enumerate()
            .any(|(i, k)| keys.iter().skip(i + 1).any(|other| other == k));
        self.keys.truncate(base);
        (!duplicate).then_some(())
    }

    /// Merges the caller's object (at `{`) onto `node`'s defaults.
    fn merge_object(&mut self, node: &'static Node) -> Option<()> {
        self.enter()?;
        self.pos += 1;
        self.out.push('{');
        let base = self.keys.len();
        let mut seen = 0u64;
        let mut first = true;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.key()?;
                match node.slots.iter().position(|s| s.name == key) {
                    Some(i) => {
                        let bit = 1u64.checked_shl(u32::try_from(i).ok()?)?;
                        if seen & bit != 0 {
                            return None;
                        }
                        seen |= bit;
                        self.merge_slot(node, node.slots.get(i)?, &mut first)?;
                    }
                    None if node.closed => return None,
                    None => {
                        self.keys.push(key);
                        self.separator(&mut first);
                        self.write_key(key);
                        self.copy_value(Kind::Any, Ctx::Plain)?;
                    }
                }
                if !self.member_end(b'}')? {
                    break;
                }
            }
        }
        self.check_keys(base)?;
        for (i, slot) in node.slots.iter().enumerate() {
            let given = u32::try_from(i)
                .ok()
                .and_then(|i| 1u64.checked_shl(i))
                .is_some_and(|bit| seen & bit != 0);
            if !given {
                if slot.special == Special::Resources && self.resources.is_some() {
                    self.merge_rewritten_resources(node, slot, &mut first)?;
                } else {
                    self.write_default_slot(slot, &mut first);
                }
            }
        }
        self.out.push('}');
        self.depth -= 1;
        Some(())
    }

    /// The caller's value for a known key of `node`.
    fn merge_slot(&mut self, node: &Node, slot: &'static Slot, first: &mut bool) -> Option<()> {
        match slot.special {
            Special::Legacy => return None,
            Special::ScopeResources if self.resources.is_some() => {
                self.skip_ws();
                // Moved into `request.resources` (walked from the rewritten text).
                let mark = self.out.len();
                self.copy_value(Kind::Any, Ctx::Plain)?;
                self.out.truncate(mark);
                return Some(());
            }
            Special::ScopeResources => {
                self.legacy_resources = true;
                return None;
            }
            Special::Resources if self.resources.is_some() => {
                // The caller's value is part of the rewritten one: skip it.
                let mark = self.out.len();
                self.copy_value(Kind::Any, Ctx::Plain)?;
                self.out.truncate(mark);
                return self.merge_rewritten_resources(node, slot, first);
            }
            Special::Headers => {
                self.skip_ws();
                if self.peek() != Some(b'{') {
                    return None;
                }
                let mark = self.out.len();
                let start = self.pos;
                self.copy_value(Kind::Any, Ctx::Plain)?;
                self.out.truncate(mark);
                self.headers = Some((start, self.pos));
                return Some(());
            }
            _ => {}
        }
        self.merge_value(node, slot, first)
    }

    /// `request.resources` walked from the text [`legacy_resources`] rewrote,
    /// in place of the caller's params text.
    fn merge_rewritten_resources(
        &mut self,
        node: &Node,
        slot: &'static Slot,
        first: &mut bool,
    ) -> Option<()> {
        let rewritten = self.resources?;
        let saved = (self.text, self.src, self.pos);
        self.text = rewritten;
        self.src = rewritten.as_bytes();
        self.pos = 0;
        let merged = self.merge_value(node, slot, first);
        self.skip_ws();
        let whole = self.pos == self.src.len();
        (self.text, self.src, self.pos) = saved;
        merged?;
        whole.then_some(())
    }

    /// The caller's value (at the current position) merged onto `slot`.
    fn merge_value(&mut self, node: &Node, slot: &'static Slot, first: &mut bool) -> Option<()> {
        self.separator(first);
        self.write_key(&slot.name);
        self.skip_ws();
        let kind = self.kind(slot.kind);
        if let Some(child) = &slot.child {
            if self.peek() == Some(b'{') {
                return self.merge_object(child);
            }
            if node.closed {
                return None;
            }
            // Replaced whole: nothing under it is in the merged payload.
            for (role, capture) in self.captures.iter_mut().enumerate() {
                let below = u32::try_from(role)
                    .ok()
                    .and_then(|r| 1u64.checked_shl(r))
                    .is_some_and(|bit| child.roles_below & bit != 0);
                if below {
                    *capture = Info::Absent;
                }
            }
            let info = self.copy_value(kind, Ctx::Plain)?;
            if let Some(role) = slot.role {
                self.capture(role, info);
            }
            return Some(());
        }
        let mark = self.out.len();
        let ctx = if slot.special == Special::Links {
            Ctx::Links
        } else {
            Ctx::Plain
        };
        let mut info = self.copy_value(kind, ctx)?;
        if slot.special == Special::Variant {
            if let Info::Str(s) = &info {
                if s.bytes().any(|b| b.is_ascii_lowercase()) {
                    let upper = s.to_ascii_uppercase();
                    self.out.truncate(mark);
                    write_escaped(&mut self.out, &upper);
                }
            }
        }
        if let Some(role) = slot.role {
            if let Some(fill) = self.fill(role) {
                let blank = match &info {
                    Info::Null => true,
                    Info::Str(s) => s.trim().is_empty(),
                    _ => false,
                };
                if blank {
                    self.out.truncate(mark);
                    write_escaped(&mut self.out, fill);
                    info = Info::Str(Cow::Borrowed(fill));
                }
            }
            self.capture(role, info);
        }
        Some(())
    }

    /// A default the caller left out (nothing for keys without a default).
    fn write_default_slot(&mut self, slot: &'static Slot, first: &mut bool) {
        let Some(default) = &slot.default else {
            return;
        };
        self.separator(first);
        self.write_key(&slot.name);
        if let Some(child) = &slot.child {
            if child.roles_below & self.dynamic != 0 {
                self.write_default_node(child);
                return;
            }
        }
        if let (Some(role), true) = (slot.role, slot.default_blank) {
            if let Some(fill) = self.fill(role) {
                write_escaped(&mut self.out, fill);
                self.capture(role, Info::Str(Cow::Borrowed(fill)));
                return;
            }
        }
        self.out.push_str(default);
    }

    /// An object default written key by key (a config value goes under it).
    fn write_default_node(&mut self, node: &'static Node) {
        self.out.push('{');
        let mut first = true;
        for slot in &node.slots {
            self.write_default_slot(slot, &mut first);
        }
        self.out.push('}');
    }

    /// Copies one value of the caller's, minified, checking it against `kind`
    /// (always `Kind::Any` unless strict).
    fn copy_value(&mut self, kind: Kind, ctx: Ctx) -> Option<Info<'a>> {
        self.skip_ws();
        match self.peek()? {
            b'{' => {
                let fields = match kind {
                    Kind::Obj(fields) => fields,
                    Kind::Any | Kind::AnyObj => &[],
                    _ => return None,
                };
                self.copy_object(fields, ctx == Ctx::LinkItem)?;
                Some(Info::Other)
            }
            b'[' => {
                let item = match kind {
                    Kind::Arr(item) => *item,
                    Kind::Any | Kind::AnyArr => Kind::Any,
                    _ => return None,
                };
                let n = self.copy_array(item, ctx == Ctx::Links)?;
                Some(Info::Arr(n))
            }
            b'"' => {
                let s = self.copy_string()?;
                let ok = match kind {
                    Kind::Any | Kind::Str => true,
                    Kind::Enum(options) => options.contains(&s.as_ref()),
                    _ => false,
                };
                ok.then_some(Info::Str(s))
            }
            b't' | b'f' => {
                if !matches!(kind, Kind::Any | Kind::Bool) {
                    return None;
                }
                let word = if self.peek() == Some(b't') {
                    "true"
                } else {
                    "false"
                };
                self.literal(word)?;
                Some(Info::Other)
            }
            b'n' => {
                self.literal("null")?;
                Some(Info::Null)
            }
            b'-' | b'0'..=b'9' => {
                let small = self.copy_number()?;
                let ok = match kind {
                    Kind::Any | Kind::Num => true,
                    Kind::U32 => small,
                    _ => false,
                };
                ok.then_some(Info::Other)
            }
            _ => None,
        }
    }

    /// A caller object copied through; `fields` gives the kinds of known keys.
    fn copy_object(&mut self, fields: &'static [Field], link_item: bool) -> Option<()> {
        self.enter()?;
        self.pos += 1;
        self.out.push('{');
        let base = self.keys.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            let mut first = true;
            loop {
                let key = self.key()?;
                if link_item && key == "expiresAt" {
                    self.legacy_resources = true;
                    return None;
                }
                self.keys.push(key);
                self.separator(&mut first);
                self.write_key(key);
                let kind = fields
                    .iter()
                    .find(|f| f.name == key)
                    .map_or(Kind::Any, |f| f.kind);
                self.copy_value(kind, Ctx::Plain)?;
                if !self.member_end(b'}')? {
                    break;
                }
            }
        }
        self.check_keys(base)?;
        self.out.push('}');
        self.depth -= 1;
        Some(())
    }

    /// A caller array copied through; returns its length.
    fn copy_array(&mut self, item: Kind, links: bool) -> Option<usize> {
        self.enter()?;
        self.pos += 1;
        self.out.push('[');
        self.skip_ws();
        let mut n = 0;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            let ctx = if links { Ctx::LinkItem } else { Ctx::Plain };
            loop {
                if n > 0 {
                    self.out.push(',');
                }
                self.copy_value(item, ctx)?;
                n += 1;
                if !self.member_end(b']')? {
                    break;
                }
            }
        }
        self.out.push(']');
        self.depth -= 1;
        Some(n)
    }

    fn literal(&mut self, word: &'static str) -> Option<()> {
        let end = self.pos + word.len();
        if self.src.get(self.pos..end)? != word.as_bytes() {
            return None;
        }
        self.pos = end;
        self.out.push_str(word);
        Some(())
    }

    /// A string (at `"`): copied as is when it has no escape, else decoded and
    /// re-escaped as `serde_json` writes it. Returns the decoded text.
    fn copy_string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos + 1;
        let end = start + string_stop(self.src.get(start..)?)?;
        match self.src.get(end)? {
            b'"' => {
                let s = self.text.get(start..end)?;
                self.pos = end + 1;
                self.out.push('"');
                self.out.push_str(s);
                self.out.push('"');
                Some(Cow::Borrowed(s))
            }
            b'\\' => {
                let decoded = self.decode_string(start)?;
                write_escaped(&mut self.out, &decoded);
                Some(Cow::Owned(decoded))
            }
            _ => None,
        }
    }

    /// Decodes the string whose contents start at `start`; a raw control
    /// character, an unknown escape or a lone surrogate fails.
    fn decode_string(&mut self, start: usize) -> Option<String> {
        let mut s = String::new();
        let mut i = start;
        loop {
            let len = string_stop(self.src.get(i..)?)?;
            s.push_str(self.text.get(i..i + len)?);
            i += len;
            match self.src.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    return Some(s);
                }
                b'\\' => {
                    let escape = *self.src.get(i + 1)?;
                    i += 2;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4(i)?;
                            i += 4;
                            if (0xD800..0xDC00).contains(&high) {
                                if self.src.get(i..i + 2)? != b"\\u" {
                                    return None;
                                }
                                let low = self.hex4(i + 2)?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return None;
                                }
                                i += 6;
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                            } else {
                                // A lone low surrogate is not a char: falls back.
                                char::from_u32(high)?
                            }
                        }
                        _ => return None,
                    };
                    s.push(c);
                }
                _ => return None,
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.src.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |acc, &b| {
            let d = char::from(b).to_digit(16)?;
            Some(acc * 16 + d)
        })
    }

    /// A number: copied as is when `serde_json` would write the same text (an
    /// integer that fits `u64`/`i64`, not `-0`), else parsed and written by
    /// `serde_json` (out of range fails, as it does there). Returns whether it
    /// is an integer from 0 to `u32::MAX` (`Kind::U32`).
    fn copy_number(&mut self) -> Option<bool> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return None,
        }
        let int_end = self.pos;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits()?;
        }
        let text = self.text.get(start..self.pos)?;
        if integer {
            let magnitude = self
                .src
                .get(int_start..int_end)?
                .iter()
                .try_fold(0u64, |acc, &b| {
                    acc.checked_mul(10)?
                        .checked_add(u64::from(b.checked_sub(b'0')?))
                });
            match (negative, magnitude) {
                (false, Some(n)) => {
                    self.out.push_str(text);
                    return Some(n <= u64::from(u32::MAX));
                }
                (true, Some(n)) if (1..=1u64 << 63).contains(&n) => {
                    self.out.push_str(text);
                    return Some(false);
                }
                _ => {}
            }
        }
        let value: Value = serde_json::from_str(text).ok()?;
        self.out.push_str(&serde_json::to_string(&value).ok()?);
        Some(value.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)))
    }

    /// One or more ASCII digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

/// The offset of the first `"`, `\\` or control character in `bytes` (where
/// a string's plain run stops), eight bytes at a time.
fn string_stop(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero when a byte of `w` is below `n` (n <= 128).
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if below(w, 0x20) | below(w ^ (ONES * 0x22), 1) | below(w ^ (ONES * 0x5c), 1) != 0 {
            break;
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    let at = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    Some(i + at)
}

/// `request.resources` after the legacy rewrites (protocol.md section 3), for
/// params that spell it the old way: `request.scope.resources` (moved into
/// `request.resources`, the explicit value winning key by key) or a link's
/// `expiresAt` (renamed `expires_at`).
struct LegacyResources {
    /// The rewritten `request.resources`, as JSON text.
    text: String,
    /// What was rewritten (`ScopeResources`, `LinkExpiresAt`).
    deprecations: Vec<Deprecation>,
}

/// Looks for the legacy spellings under `request.resources` and rewrites just
/// that subtree with [`legacy::normalize`], the slow path's own rules.
/// `None`: fall back (nothing to rewrite after all, a key with an escape,
/// text that does not parse).
fn legacy_resources(params: &str) -> Option<LegacyResources> {
    let src = params.as_bytes();
    let (request, _) = member(src, 0, "request")??;
    let explicit = member(src, request, "resources")?;
    let moved = match member(src, request, "scope")? {
        Some((scope, _)) => member(src, scope, "resources")?,
        None => None,
    };
    let explicit_legacy = explicit
        .and_then(|(start, end)| params.get(start..end))
        .is_some_and(|text| text.contains("\"expiresAt\""));
    if moved.is_none() && !explicit_legacy {
        return None;
    }
    let parse = |range: (usize, usize)| -> Option<Value> {
        serde_json::from_str(params.get(range.0..range.1)?).ok()
    };
    let mut request = Map::new();
    if let Some(range) = explicit {
        request.insert("resources".to_owned(), parse(range)?);
    }
    if let Some(range) = moved {
        let mut scope = Map::new();
        scope.insert("resources".to_owned(), parse(range)?);
        request.insert("scope".to_owned(), Value::Object(scope));
    }
    let mut params = Map::new();
    params.insert("request".to_owned(), Value::Object(request));
    let deprecations = legacy::normalize(&mut params);
    let resources = params.get("request").and_then(|r| r.get("resources"))?;
    let text = serde_json::to_string(resources).ok()?;
    Some(LegacyResources { text, deprecations })
}

/// The byte range of member `key`'s value in the object starting at `at`
/// (after white space). `Some(None)` when `at` is not an object or has no such
/// key; `None` for a key with an escape or text that ends early.
fn member(src: &[u8], at: usize, key: &str) -> Option<Option<(usize, usize)>> {
    let mut pos = skip_ws(src, at);
    if src.get(pos) != Some(&b'{') {
        return Some(None);
    }
    pos = skip_ws(src, pos + 1);
    if src.get(pos) == Some(&b'}') {
        return Some(None);
    }
    loop {
        if src.get(pos) != Some(&b'"') {
            return None;
        }
        let end = skip_string(src, pos)?;
        let name = src.get(pos + 1..end - 1)?;
        if name.contains(&b'\\') {
            return None;
        }
        pos = skip_ws(src, end);
        if src.get(pos) != Some(&b':') {
            return None;
        }
        let start = skip_ws(src, pos + 1);
        let value_end = skip_value(src, start)?;
        if name == key.as_bytes() {
            return Some(Some((start, value_end)));
        }
        pos = skip_ws(src, value_end);
        match src.get(pos) {
            Some(b',') => pos = skip_ws(src, pos + 1),
            Some(b'}') => return Some(None),
            _ => return None,
        }
    }
}

fn skip_ws(src: &[u8], mut pos: usize) -> usize {
    while src
        .get(pos)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        pos += 1;
    }
    pos
}

/// The end (exclusive) of the string starting at `at` (a `"`).
fn skip_string(src: &[u8], at: usize) -> Option<usize> {
    let mut pos = at + 1;
    loop {
        match src.get(pos)? {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
}

/// The end (exclusive) of the value starting at `at`; not validated (the walk
/// or `serde_json` reads it properly).
fn skip_value(src: &[u8], at: usize) -> Option<usize> {
    match src.get(at)? {
        b'"' => skip_string(src, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut pos = at;
            loop {
                match src.get(pos)? {
                    b'"' => {
                        pos = skip_string(src, pos)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(pos + 1);
                        }
                    }
                    _ => {}
                }
                pos += 1;
            }
        }
        _ => {
            let mut pos = at;
            while src
                .get(pos)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                pos += 1;
            }
            (pos > at).then_some(pos)
        }
    }
}

/// Writes `s` as a JSON string exactly as `serde_json` does: `"` and `\`
/// escaped, control characters as `\b \f \n \r \t` or `\u00xx`, nothing else.
fn write_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            for nibble in [b >> 4, b & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}
