//! Browser tests: `websocketUrl` is judged as the browser's own URL parser
//! reads it, so the host the rule checks is the host `new WebSocket` connects to.
#![cfg(target_arch = "wasm32")]

#[path = "web/support.rs"]
mod support;

use optave_client::OptaveClient;
use serde_json::json;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn hostile_websocket_urls_are_refused_and_loopback_forms_accepted() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../core/tests/fixtures/websocket_urls.json")).unwrap();
    let list = |key: &str| -> Vec<String> {
        cases[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_owned())
            .collect()
    };
    for url in list("refused") {
        let thrown = OptaveClient::new(js(json!({ "websocketUrl": url }))).expect_err(&url);
        assert_eq!(
            get_str(&thrown, "code").as_deref(),
            Some("INVALID_WEBSOCKET_URL"),
            "{url:?}"
        );
    }
    for url in list("accepted") {
        OptaveClient::new(js(json!({ "websocketUrl": url })))
            .unwrap_or_else(|e| panic!("{url:?}: {e:?}"));
    }
}
