//! Deprecated inputs and calls that are still accepted (protocol.md
//! section 3). The outbound walk rewrites the legacy spellings
//! ([`crate::outbound::walk`]); each kind is reported once per client.

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
    /// Every kind, in declaration order.
    pub const ALL: [Deprecation; 7] = [
        Self::RequestVariation,
        Self::RequestContent,
        Self::ScopeResources,
        Self::LinkExpiresAt,
        Self::CustomerInteraction,
        Self::MessageEvent,
        Self::QueryAuthTransport,
    ];

    /// A distinct bit per kind (for a once-per-client set).
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

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
