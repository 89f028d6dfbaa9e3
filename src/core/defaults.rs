//! The default payload every request is merged onto (protocol.md section 3).

use serde_json::{json, Value};

/// Names of the open `request.scope` arrays that default to `[]`.
const SCOPE_ARRAYS: [&str; 23] = [
    "accounts",
    "appointments",
    "assets",
    "bookings",
    "cases",
    "conversations",
    "documents",
    "events",
    "interactions",
    "items",
    "locations",
    "offers",
    "operators",
    "orders",
    "organizations",
    "persons",
    "policies",
    "properties",
    "services",
    "subscriptions",
    "tickets",
    "transactions",
    "users",
];

/// The default payload: every string `""` unless protocol.md section 3 says
/// otherwise (`medium` `"chat"`, `variant` `"A"`, `disableStream` `true`,
/// `maxResponseLength` `0`, `products` `[{ id: "" }]`...).
pub fn default_payload() -> Value {
    let mut scope = serde_json::Map::new();
    for name in SCOPE_ARRAYS {
        scope.insert(name.to_owned(), json!([]));
    }
    scope.insert("products".to_owned(), json!([{ "id": "" }]));

    json!({
        "session": {
            "sessionId": "",
            "channel": {
                "browser": "", "deviceInfo": "", "deviceType": "", "language": "",
                "location": "", "medium": "chat", "metadata": [], "section": ""
            },
            "interface": { "appVersion": "", "category": "", "language": "", "name": "", "type": "" }
        },
        "request": {
            "requestId": "",
            "attributes": { "content": "", "instruction": "", "variant": "A" },
            "connections": { "journeyId": "", "parentId": "", "threadId": "" },
            "context": {
                "caseId": "", "departmentId": "", "operatorId": "", "organizationId": "",
                "tenantId": "", "userId": ""
            },
            "reference": { "ids": [{ "name": "", "value": "" }], "labels": [], "tags": [] },
            "resources": {
                "codes": [{ "id": "", "label": "", "type": "", "value": "" }],
                "links": [{ "expires_at": "", "html": false, "id": "", "label": "", "type": "", "url": "" }],
                "offers": []
            },
            "scope": Value::Object(scope),
            "settings": {
                "disableBrowsing": false, "disableSearch": false, "disableSources": false,
                "disableStream": true, "disableTools": false, "maxResponseLength": 0,
                "overrideInterfaceLanguage": "", "overrideOutputLanguage": "",
                "overrideChannelMedium": ""
            },
            "a2a": [{ "id": "", "name": "", "type": "" }],
            "cursor": { "since": "", "until": "" }
        }
    })
}
