//! `payload.session`: who is talking, on which channel, through which interface
//! (protocol.md section 3; seed 002 "Default Payload Overview").

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::AnyJson as Value;
use tsify::Tsify;

/// `session`: lasts for the duration of a chat session or a call.
///
/// Keys this type does not know are still sent on the wire unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Identifier of the chat session or call; the client's `sessionId` fills it when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub session_id: Option<String>,
    /// The customer's channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub channel: Option<Channel>,
    /// The front-end the agent uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub interface: Option<Interface>,
}

/// The medium of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Medium {
    /// Text chat (the default).
    Chat,
    /// A voice call.
    Voice,
    /// E-mail.
    Email,
}

/// `session.channel`: the customer's channel and device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// Browser name and version, e.g. `"Safari 17.0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub browser: Option<String>,
    /// Device description, e.g. `"iOS/18.2, iPhone15,3"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub device_info: Option<String>,
    /// Device type, e.g. `"mobile"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub device_type: Option<String>,
    /// BCP 47 language tag, e.g. `"en-US"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub language: Option<String>,
    /// `"lat,long"`, e.g. `"45.42,-75.69"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub location: Option<String>,
    /// `chat` (default), `voice` or `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub medium: Option<Medium>,
    /// Free-form channel metadata (default `[]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "unknown[]")]
    pub metadata: Option<Vec<Value>>,
    /// Page or section, e.g. `"support_page"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub section: Option<String>,
}

/// `session.interface`: the agent's application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Interface {
    /// The application's version, e.g. `"2.1.0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub app_version: Option<String>,
    /// e.g. `"crm"`, `"widget"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub category: Option<String>,
    /// The interface language, e.g. `"en-US"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub language: Option<String>,
    /// e.g. `"salesforce"`, `"zendesk"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub name: Option<String>,
    /// e.g. `"custom_components"`, `"marketplace"`, `"channel"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string")]
    pub r#type: Option<String>,
}
