//! The default payload every request is merged onto (protocol.md section 3).
//!
//! Kept as JSON text, parsed once per page and cloned per request: cheaper in
//! code size than building the value in code, and cheaper per call.

use std::sync::OnceLock;

use serde_json::Value;

/// The default payload: every string `""` unless protocol.md section 3 says
/// otherwise (`medium` `"chat"`, `variant` `"A"`, `disableStream` `true`,
/// `maxResponseLength` `0`, `products` `[{ id: "" }]`...).
pub const DEFAULT_PAYLOAD_JSON: &str = r#"{"session":{"sessionId":"","channel":{"browser":"","deviceInfo":"","deviceType":"","language":"","location":"","medium":"chat","metadata":[],"section":""},"interface":{"appVersion":"","category":"","language":"","name":"","type":""}},"request":{"requestId":"","attributes":{"content":"","instruction":"","variant":"A"},"connections":{"journeyId":"","parentId":"","threadId":""},"context":{"caseId":"","departmentId":"","operatorId":"","organizationId":"","tenantId":"","userId":""},"reference":{"ids":[{"name":"","value":""}],"labels":[],"tags":[]},"resources":{"codes":[{"id":"","label":"","type":"","value":""}],"links":[{"expires_at":"","html":false,"id":"","label":"","type":"","url":""}],"offers":[]},"scope":{"accounts":[],"appointments":[],"assets":[],"bookings":[],"cases":[],"conversations":[],"documents":[],"events":[],"interactions":[],"items":[],"locations":[],"offers":[],"operators":[],"orders":[],"organizations":[],"persons":[],"policies":[],"properties":[],"services":[],"subscriptions":[],"tickets":[],"transactions":[],"users":[],"products":[{"id":""}]},"settings":{"disableBrowsing":false,"disableSearch":false,"disableSources":false,"disableStream":true,"disableTools":false,"maxResponseLength":0,"overrideInterfaceLanguage":"","overrideOutputLanguage":"","overrideChannelMedium":""},"a2a":[{"id":"","name":"","type":""}],"cursor":{"since":"","until":""}}}"#;

/// A fresh copy of the default payload.
pub fn default_payload() -> Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED
        // The text is a constant checked by the tests; should it ever fail to
        // parse, an empty object keeps the merge and validation working.
        .get_or_init(|| {
            serde_json::from_str(DEFAULT_PAYLOAD_JSON)
                .unwrap_or_else(|_| Value::Object(Default::default()))
        })
        .clone()
}
