//! Legacy inputs, accepted and normalised before the merge (protocol.md section 3).
//!
//! Each rewrite reports a [`Deprecation`]; the client warns once per kind.

use serde_json::{Map, Value};

/// A deprecated input or call that was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deprecation {
    /// `request.variation` was moved to `request.attributes.variant`.
    RequestVariation,
    /// `request.content` was moved to `request.attributes.content`.
    RequestContent,
    /// `request.scope.resources` was moved to `request.resources`.
    ScopeResources,
    /// A link's `expiresAt` was renamed `expires_at`.
    LinkExpiresAt,
    /// The `customerInteraction` action was used.
    CustomerInteraction,
    /// A listener was registered for the legacy `message` event.
    MessageEvent,
    /// `authTransport: 'query'` puts the token in the URL.
    QueryAuthTransport,
}

impl Deprecation {
    /// The one-time warning text.
    pub fn message(self) -> &'static str {
        match self {
            Self::RequestVariation => {
                "request.variation is deprecated: use request.attributes.variant"
            }
            Self::RequestContent => "request.content is deprecated: use request.attributes.content",
            Self::ScopeResources => {
                "request.scope.resources is deprecated: it was moved to request.resources"
            }
            Self::LinkExpiresAt => {
                "resources.links[].expiresAt is deprecated: it is sent as expires_at"
            }
            Self::CustomerInteraction => {
                "customerInteraction() is deprecated: use interaction() (sent as 'customerinteraction')"
            }
            Self::MessageEvent => {
                "the 'message' event is deprecated: listen to 'superpower.response' and 'superpower.error'"
            }
            Self::QueryAuthTransport => {
                "authTransport 'query' puts the token in the URL (logs, history): prefer 'subprotocol'"
            }
        }
    }
}

/// Rewrites the legacy spellings inside caller `params` (the whole params
/// object), returning what was rewritten. Nothing is dropped: a legacy value is
/// moved to its new place, and only discarded when the new place already holds
/// a non-empty value (the new spelling wins).
pub fn normalize(params: &mut Map<String, Value>) -> Vec<Deprecation> {
    let mut found = Vec::new();
    let Some(Value::Object(request)) = params.get_mut("request") else {
        return found;
    };
    for (legacy, new_key, kind) in [
        ("variation", "variant", Deprecation::RequestVariation),
        ("content", "content", Deprecation::RequestContent),
    ] {
        if request.contains_key(legacy) {
            found.push(kind);
            move_to_attributes(request, legacy, new_key);
        }
    }
    let scope_resources = match request.get_mut("scope") {
        Some(Value::Object(scope)) => scope.remove("resources"),
        _ => None,
    };
    if let Some(moved) = scope_resources {
        found.push(Deprecation::ScopeResources);
        match request.get_mut("resources") {
            Some(existing @ Value::Object(_)) => {
                let explicit = std::mem::replace(existing, moved);
                crate::core::merge::merge_into(existing, explicit);
            }
            _ => {
                request.insert("resources".to_owned(), moved);
            }
        }
    }
    if rename_link_expiry(request) {
        found.push(Deprecation::LinkExpiresAt);
    }
    found
}

/// Renames `expiresAt` to `expires_at` in `request.resources.links[]`.
fn rename_link_expiry(request: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(resources)) = request.get_mut("resources") else {
        return false;
    };
    let Some(Value::Array(links)) = resources.get_mut("links") else {
        return false;
    };
    let mut renamed = false;
    for link in links.iter_mut() {
        if let Value::Object(link) = link {
            if let Some(value) = link.remove("expiresAt") {
                renamed = true;
                if is_blank(link.get("expires_at")) {
                    link.insert("expires_at".to_owned(), value);
                }
            }
        }
    }
    renamed
}

/// Moves `request[legacy]` to `request.attributes[new_key]` unless that is
/// already non-blank. When `attributes` exists but is not an object the legacy
/// key stays where it is, so validation reports the real problem.
fn move_to_attributes(request: &mut Map<String, Value>, legacy: &str, new_key: &str) {
    let attributes = request
        .entry("attributes".to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(attributes) = attributes else {
        return;
    };
    let blank = is_blank(attributes.get(new_key));
    let Some(value) = request.remove(legacy) else {
        return;
    };
    if blank {
        if let Some(Value::Object(attributes)) = request.get_mut("attributes") {
            attributes.insert(new_key.to_owned(), value);
        }
    }
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}
