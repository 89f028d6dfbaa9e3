//! The nine request actions, their wire names and what each requires
//! (protocol.md section 4).

use crate::outbound::template::Tag;

/// A request action, named as the SDK method is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `interaction(params)`: analyse a customer interaction.
    Interaction,
    /// `reception(params)`: intake and routing of a new contact (seed 001).
    Reception,
    /// `elevate(params)`: escalate to a human agent.
    Elevate,
    /// `adjust(params)`: rewrite a suggestion following an instruction.
    Adjust,
    /// `summarize(params)`: summarise the conversation.
    Summarize,
    /// `translate(params)`: translate the conversation.
    Translate,
    /// `recommend(params)`: rank `request.resources.offers` (seed 004).
    Recommend,
    /// `insights(params)`: agent performance and sentiment (seed 003).
    Insights,
    /// `customerInteraction(params)`: deprecated alias of `interaction` (seed 000).
    CustomerInteraction,
}

/// What a required field must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A non-blank string.
    Text,
    /// A non-empty array.
    Items,
}

/// A required field: the slot, its path, what it needs, and the suggestion
/// given when it is missing.
pub type Requirement = (Tag, &'static str, Need, &'static str);

const THREAD: Requirement = (Tag::ThreadId, "request.connections.threadId", Need::Text,
    "Set request.connections.threadId to the id of the ticket, case or conversation; keep it the same for every request about it");
const ORG: Requirement = (
    Tag::OrganizationId,
    "request.context.organizationId",
    Need::Text,
    "Pass request.context.organizationId, or set the organizationId option once on the client",
);
const CONVERSATIONS: Requirement = (
    Tag::Conversations,
    "request.scope.conversations",
    Need::Items,
    "Add at least one conversation (participants and messages) to request.scope.conversations",
);
const OFFERS: Requirement = (
    Tag::Offers,
    "request.resources.offers",
    Need::Items,
    "recommend ranks offers: add at least one to request.resources.offers",
);
const CONTENT: Requirement = (
    Tag::Content,
    "request.attributes.content",
    Need::Text,
    "Set request.attributes.content to the text the request is about",
);
const INSTRUCTION: Requirement = (
    Tag::Instruction,
    "request.attributes.instruction",
    Need::Text,
    "Set request.attributes.instruction, e.g. 'make it more empathetic'",
);
const PARENT: Requirement = (
    Tag::ParentId,
    "request.connections.parentId",
    Need::Text,
    "Set request.connections.parentId to the correlationId of the request this one follows up",
);

impl Action {
    /// Every action, in the order of protocol.md section 4.
    pub const ALL: [Action; 9] = [
        Self::Interaction,
        Self::Reception,
        Self::Insights,
        Self::Summarize,
        Self::Translate,
        Self::Recommend,
        Self::Elevate,
        Self::Adjust,
        Self::CustomerInteraction,
    ];

    /// The SDK method name (`customerInteraction` for the alias).
    pub fn method_name(self) -> &'static str {
        match self {
            Self::Interaction => "interaction",
            Self::Reception => "reception",
            Self::Elevate => "elevate",
            Self::Adjust => "adjust",
            Self::Summarize => "summarize",
            Self::Translate => "translate",
            Self::Recommend => "recommend",
            Self::Insights => "insights",
            Self::CustomerInteraction => "customerInteraction",
        }
    }

    /// The `headers.action` value on the wire. The deprecated alias is sent as
    /// `customerinteraction`, lower case, as seed 000 and the schema spell it.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::CustomerInteraction => "customerinteraction",
            other => other.method_name(),
        }
    }

    /// Looks an action up by method name or wire name (case-sensitive, except
    /// that both spellings of the deprecated alias are accepted).
    pub fn from_name(name: &str) -> Option<Action> {
        Self::ALL
            .into_iter()
            .find(|a| a.method_name() == name || a.wire_name() == name)
    }

    /// True for the deprecated `customerInteraction` alias.
    pub fn is_deprecated(self) -> bool {
        self == Self::CustomerInteraction
    }

    /// Fields required after the merge (protocol.md section 4), in reporting order.
    pub fn requirements(self) -> &'static [Requirement] {
        match self {
            Self::Recommend => &[THREAD, ORG, CONVERSATIONS, OFFERS],
            Self::Elevate => &[THREAD, ORG, CONVERSATIONS, CONTENT, PARENT],
            Self::Adjust => &[THREAD, ORG, CONVERSATIONS, CONTENT, INSTRUCTION, PARENT],
            _ => &[THREAD, ORG, CONVERSATIONS],
        }
    }
}
