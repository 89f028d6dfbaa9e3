//! `request.scope`: the conversations, system interactions and business
//! objects a request is about (protocol.md section 3; seeds 000 to 004).

use alloc::collections::BTreeMap as Map;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::AnyJson as Value;
use tsify::Tsify;

use super::request::{string_fields, Resources};

/// Declares `Scope` with its typed members plus the open business-object arrays.
macro_rules! scope {
    ($($(#[$fdoc:meta])* $field:ident,)*) => {
        /// `request.scope`. Every array defaults to `[]` (`products` to `[{ id: "" }]`).
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
        #[serde(rename_all = "camelCase")]
        pub struct Scope {
            /// The conversations to analyse (required by every action).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub conversations: Option<Vec<Conversation>>,
            /// System events such as `ticket_created`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub interactions: Option<Vec<Interaction>>,
            /// @deprecated Seed 002 places resources here; they are moved to
            /// `request.resources` (warns once), never dropped.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub resources: Option<Resources>,
            $(
                $(#[$fdoc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[tsify(optional, type = "unknown[]")]
                pub $field: Option<Vec<Value>>,
            )*
        }
    };
}

scope! {
    /// Accounts in scope (open objects).
    accounts,
    /// Appointments in scope (open objects).
    appointments,
    /// Assets in scope (open objects).
    assets,
    /// Bookings in scope (open objects).
    bookings,
    /// Cases in scope (open objects).
    cases,
    /// Documents in scope (open objects).
    documents,
    /// Events in scope (open objects).
    events,
    /// Items in scope (open objects).
    items,
    /// Locations in scope (open objects).
    locations,
    /// Offers in scope (open objects).
    offers,
    /// Operators in scope (open objects).
    operators,
    /// Orders in scope (open objects).
    orders,
    /// Organisations in scope (open objects).
    organizations,
    /// Persons in scope (open objects).
    persons,
    /// Policies in scope (open objects).
    policies,
    /// Products in scope (open objects; default `[{ id: "" }]`).
    products,
    /// Properties in scope (open objects).
    properties,
    /// Services in scope (open objects).
    services,
    /// Subscriptions in scope (open objects).
    subscriptions,
    /// Tickets in scope (open objects).
    tickets,
    /// Transactions in scope (open objects).
    transactions,
    /// Users in scope (open objects).
    users,
}

/// One conversation: its participants and messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// Conversation id (may be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub conversation_id: Option<String>,
    /// Who takes part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub participants: Option<Vec<Participant>>,
    /// The messages, oldest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub messages: Option<Vec<Message>>,
    /// Free-form metadata (default `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub metadata: Option<Map<String, Value>>,
}

/// A participant's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The customer.
    User,
    /// A human agent.
    Operator,
    /// An automated agent.
    Bot,
}

/// A participant of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// Id that messages refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub participant_id: Option<String>,
    /// Name shown to people, e.g. `"John Doe"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub display_name: Option<String>,
    /// `user`, `operator` or `bot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub role: Option<Role>,
}

string_fields! {
    /// One message of a conversation.
    Message {
        /// The text.
        content,
        /// Who wrote it (a `participantId`).
        participant_id,
        /// When it was written, ISO 8601.
        timestamp,
    }
}

string_fields! {
    /// A system event, e.g. `{ name: "ticket_created", role: "system" }`.
    Interaction {
        /// What happened, in words.
        content,
        /// Event id.
        id,
        /// Event name, e.g. `"ticket_created"`.
        name,
        /// Who raised it, e.g. `"system"`.
        role,
        /// When, ISO 8601.
        timestamp,
    }
}
