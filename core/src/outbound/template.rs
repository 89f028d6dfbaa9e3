//! The default payload and its schema, as one table (protocol.md section 3).
//!
//! Each object of the default payload is a list of [`Slot`]s: the key, the
//! [`Ty`] a value must have (`strictValidation`), its default pre-serialized,
//! and a [`Tag`] when the builder treats it specially (captured for a
//! required-field check, filled from the client config, rewritten from a
//! legacy spelling, measured for `PAYLOAD_TOO_LARGE`). Objects of the schema
//! that are not merged (conversation items...) use the same slots without
//! defaults. A native test checks the defaults against seed 002's expected
//! payload.

/// The type a value must have.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An integer from 0 to 4,294,967,295.
    U32,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An object with these known members (others allowed).
    Obj(&'static [Slot]),
    /// An array of this type.
    Arr(&'static Ty),
    /// An array of anything.
    AnyArr,
    /// An object of anything.
    AnyObj,
}

/// The default of a slot.
#[derive(Debug, Clone, Copy)]
pub enum Def {
    /// None: written only when the caller gives it.
    None,
    /// This JSON text.
    Text(&'static str),
    /// The object of the slot's [`Ty::Obj`] members' defaults.
    Obj,
}

/// What the builder does with a slot beyond the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Nothing.
    None,
    /// `session.sessionId`: filled from the client's session id when blank.
    SessionId,
    /// `request.requestId`: becomes the correlationId when non-blank.
    RequestId,
    /// `request.context.organizationId`: filled from the client option when blank; required.
    OrganizationId,
    /// `request.connections.threadId`: required.
    ThreadId,
    /// `request.connections.parentId`: required by elevate and adjust.
    ParentId,
    /// `request.attributes.content`: required by elevate and adjust; also
    /// the target of the legacy `request.content`.
    Content,
    /// `request.attributes.instruction`: required by adjust.
    Instruction,
    /// `request.attributes.variant`: sent upper-cased; target of the legacy `request.variation`.
    Variant,
    /// `request.scope.conversations`: required; measured.
    Conversations,
    /// `request.resources.offers`: required by recommend; measured.
    Offers,
    /// `request.scope.interactions`: measured.
    Interactions,
    /// `session.channel.metadata`: measured.
    Metadata,
    /// `request.resources`: merged from `request.scope.resources` (legacy) too.
    Resources,
    /// `request.resources.links`: an item's `expiresAt` is the legacy `expires_at`; measured.
    Links,
    /// `request.scope.resources` (legacy): moved to `request.resources`.
    ScopeResources,
    /// `request.variation` (legacy): moved to `request.attributes.variant`.
    LegacyVariation,
    /// `request.content` (legacy): moved to `request.attributes.content`.
    LegacyContent,
    /// `request`: where the legacy spellings are looked for.
    Request,
    /// `params.headers`: the header overrides, not part of the payload.
    Headers,
}

impl Tag {
    /// Tags whose merged value is captured, in [`Tag::capture`] order.
    pub const CAPTURED: [Tag; 9] = [
        Tag::SessionId,
        Tag::RequestId,
        Tag::OrganizationId,
        Tag::ThreadId,
        Tag::ParentId,
        Tag::Content,
        Tag::Instruction,
        Tag::Conversations,
        Tag::Offers,
    ];

    /// The index of this tag's capture in [`Tag::CAPTURED`], when captured.
    pub fn capture(self) -> Option<usize> {
        Some(match self {
            Tag::SessionId => 0,
            Tag::RequestId => 1,
            Tag::OrganizationId => 2,
            Tag::ThreadId => 3,
            Tag::ParentId => 4,
            Tag::Content => 5,
            Tag::Instruction => 6,
            Tag::Conversations => 7,
            Tag::Offers => 8,
            _ => return None,
        })
    }

    /// Tags whose written size is measured for `PAYLOAD_TOO_LARGE`, with their paths.
    pub const MEASURED: [(Tag, &'static str); 6] = [
        (Tag::Conversations, "request.scope.conversations"),
        (Tag::Offers, "request.resources.offers"),
        (Tag::Metadata, "session.channel.metadata"),
        (Tag::Interactions, "request.scope.interactions"),
        (Tag::Links, "request.resources.links"),
        (Tag::Content, "request.attributes.content"),
    ];

    /// The index of this tag in [`Tag::MEASURED`].
    pub fn measured(self) -> Option<usize> {
        Some(match self {
            Tag::Conversations => 0,
            Tag::Offers => 1,
            Tag::Metadata => 2,
            Tag::Interactions => 3,
            Tag::Links => 4,
            Tag::Content => 5,
            _ => return None,
        })
    }
}

/// One known member of an object.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Wire name.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Its default.
    pub def: Def,
    /// Its special treatment.
    pub tag: Tag,
}

const fn s(name: &'static str, ty: Ty, def: Def) -> Slot {
    Slot {
        name,
        ty,
        def,
        tag: Tag::None,
    }
}
const fn t(name: &'static str, ty: Ty, def: Def, tag: Tag) -> Slot {
    Slot { name, ty, def, tag }
}
/// A string member defaulting to `""`.
const fn e(name: &'static str) -> Slot {
    s(name, Str, Text("\"\""))
}
/// A string member without a default.
const fn o(name: &'static str) -> Slot {
    s(name, Str, Def::None)
}
/// An array member of anything, defaulting to `[]`.
const fn a(name: &'static str) -> Slot {
    s(name, AnyArr, Text("[]"))
}

use Def::Text;
use Ty::{AnyArr, AnyObj, Arr, Bool, Enum, Obj, Str, U32};

const CHANNEL: &[Slot] = &[
    e("browser"),
    e("deviceInfo"),
    e("deviceType"),
    e("language"),
    e("location"),
    s(
        "medium",
        Enum(&["chat", "voice", "email"]),
        Text("\"chat\""),
    ),
    t("metadata", AnyArr, Text("[]"), Tag::Metadata),
    e("section"),
];
const INTERFACE: &[Slot] = &[
    e("appVersion"),
    e("category"),
    e("language"),
    e("name"),
    e("type"),
];
const SESSION: &[Slot] = &[
    t("sessionId", Str, Text("\"\""), Tag::SessionId),
    s("channel", Obj(CHANNEL), Def::Obj),
    s("interface", Obj(INTERFACE), Def::Obj),
];
const ATTRIBUTES: &[Slot] = &[
    t("content", Str, Text("\"\""), Tag::Content),
    t("instruction", Str, Text("\"\""), Tag::Instruction),
    t("variant", Str, Text("\"A\""), Tag::Variant),
];
const CONNECTIONS: &[Slot] = &[
    e("journeyId"),
    t("parentId", Str, Text("\"\""), Tag::ParentId),
    t("threadId", Str, Text("\"\""), Tag::ThreadId),
];
const CONTEXT: &[Slot] = &[
    e("caseId"),
    e("departmentId"),
    e("operatorId"),
    t("organizationId", Str, Text("\"\""), Tag::OrganizationId),
    e("tenantId"),
    e("userId"),
];
const REFERENCE_ID: &[Slot] = &[o("name"), o("value")];
const REFERENCE: &[Slot] = &[
    s(
        "ids",
        Arr(&Obj(REFERENCE_ID)),
        Text("[{\"name\":\"\",\"value\":\"\"}]"),
    ),
    s("labels", Arr(&Str), Text("[]")),
    s("tags", Arr(&Str), Text("[]")),
];
const CODE: &[Slot] = &[o("id"), o("label"), o("type"), o("value")];
/// A link item. Its legacy `expiresAt` (seed 002) is not listed: it is
/// checked, as `expires_at`, only when it is the value sent (see `legacy.rs`).
pub const LINK: &[Slot] = &[
    o("expires_at"),
    s("html", Bool, Def::None),
    o("id"),
    o("label"),
    o("type"),
    o("url"),
];
const RESOURCES: &[Slot] = &[
    s(
        "codes",
        Arr(&Obj(CODE)),
        Text("[{\"id\":\"\",\"label\":\"\",\"type\":\"\",\"value\":\"\"}]"),
    ),
    t(
        "links",
        Arr(&Obj(LINK)),
        Text("[{\"expires_at\":\"\",\"html\":false,\"id\":\"\",\"label\":\"\",\"type\":\"\",\"url\":\"\"}]"),
        Tag::Links,
    ),
    t("offers", AnyArr, Text("[]"), Tag::Offers),
];
const PARTICIPANT: &[Slot] = &[
    o("participantId"),
    o("displayName"),
    s("role", Enum(&["user", "operator", "bot"]), Def::None),
];
const MESSAGE: &[Slot] = &[o("content"), o("participantId"), o("timestamp")];
const CONVERSATION: &[Slot] = &[
    o("conversationId"),
    s("participants", Arr(&Obj(PARTICIPANT)), Def::None),
    s("messages", Arr(&Obj(MESSAGE)), Def::None),
    s("metadata", AnyObj, Def::None),
];
const INTERACTION: &[Slot] = &[o("content"), o("id"), o("name"), o("role"), o("timestamp")];
const SCOPE: &[Slot] = &[
    a("accounts"),
    a("appointments"),
    a("assets"),
    a("bookings"),
    a("cases"),
    t(
        "conversations",
        Arr(&Obj(CONVERSATION)),
        Text("[]"),
        Tag::Conversations,
    ),
    a("documents"),
    a("events"),
    t(
        "interactions",
        Arr(&Obj(INTERACTION)),
        Text("[]"),
        Tag::Interactions,
    ),
    a("items"),
    a("locations"),
    a("offers"),
    a("operators"),
    a("orders"),
    a("organizations"),
    a("persons"),
    a("policies"),
    a("properties"),
    a("services"),
    a("subscriptions"),
    a("tickets"),
    a("transactions"),
    a("users"),
    s("products", AnyArr, Text("[{\"id\":\"\"}]")),
    t("resources", Obj(RESOURCES), Def::None, Tag::ScopeResources),
];
const SETTINGS: &[Slot] = &[
    s("disableBrowsing", Bool, Text("false")),
    s("disableSearch", Bool, Text("false")),
    s("disableSources", Bool, Text("false")),
    s("disableStream", Bool, Text("true")),
    s("disableTools", Bool, Text("false")),
    s("maxResponseLength", U32, Text("0")),
    e("overrideInterfaceLanguage"),
    e("overrideOutputLanguage"),
    e("overrideChannelMedium"),
];
const A2A: &[Slot] = &[o("id"), o("name"), o("type")];
const CURSOR: &[Slot] = &[e("since"), e("until")];
const REQUEST: &[Slot] = &[
    t("requestId", Str, Text("\"\""), Tag::RequestId),
    s("attributes", Obj(ATTRIBUTES), Def::Obj),
    s("connections", Obj(CONNECTIONS), Def::Obj),
    s("context", Obj(CONTEXT), Def::Obj),
    s("reference", Obj(REFERENCE), Def::Obj),
    t("resources", Obj(RESOURCES), Def::Obj, Tag::Resources),
    s("scope", Obj(SCOPE), Def::Obj),
    s("settings", Obj(SETTINGS), Def::Obj),
    s(
        "a2a",
        Arr(&Obj(A2A)),
        Text("[{\"id\":\"\",\"name\":\"\",\"type\":\"\"}]"),
    ),
    s("cursor", Obj(CURSOR), Def::Obj),
    t("variation", Str, Def::None, Tag::LegacyVariation),
    t("content", Str, Def::None, Tag::LegacyContent),
];

/// The params: the payload `{ session, request }`, plus `headers` (the
/// overrides of [`crate::headers`], not part of the payload).
pub const PAYLOAD: &[Slot] = &[
    s("session", Obj(SESSION), Def::Obj),
    t("request", Obj(REQUEST), Def::Obj, Tag::Request),
    t("headers", AnyObj, Def::None, Tag::Headers),
];

/// The slot named `name` in `slots`.
pub fn find<'a>(slots: &'a [Slot], name: &str) -> Option<&'a Slot> {
    slots.iter().find(|s| s.name == name)
}
