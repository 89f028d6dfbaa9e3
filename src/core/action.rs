//! The nine request actions, their wire names and what each requires
//! (protocol.md section 4).

use serde::Serialize;
use tsify::Tsify;

/// A request action, named as the SDK method is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
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

/// A field an action requires, as a dotted path into the merged payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// A string that must be non-empty.
    NonEmptyString(&'static str),
    /// An array that must be non-empty.
    NonEmptyArray(&'static str),
}

impl Requirement {
    /// The dotted path, e.g. `request.connections.threadId`.
    pub fn path(self) -> &'static str {
        match self {
            Self::NonEmptyString(p) | Self::NonEmptyArray(p) => p,
        }
    }
}

const THREAD: Requirement = Requirement::NonEmptyString("request.connections.threadId");
const ORG: Requirement = Requirement::NonEmptyString("request.context.organizationId");
const CONVERSATIONS: Requirement = Requirement::NonEmptyArray("request.scope.conversations");
const OFFERS: Requirement = Requirement::NonEmptyArray("request.resources.offers");
const CONTENT: Requirement = Requirement::NonEmptyString("request.attributes.content");
const INSTRUCTION: Requirement = Requirement::NonEmptyString("request.attributes.instruction");
const PARENT: Requirement = Requirement::NonEmptyString("request.connections.parentId");

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
