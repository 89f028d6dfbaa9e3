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
    let bad = [
        "ws://evil.example:8080\\@127.0.0.1/x",
        "ws://evil.example\\@localhost/",
        "ws://user:pass@127.0.0.1/",
        "ws://user@localhost:8787/ws",
        "wss://user:pass@ws-sandbox.oco.optave.tech",
        "ws://127.0.0.1@evil.com/",
        "ws://127.0.0.1\t.evil.example/",
        "ws://127.0.0.1/\n",
        "ws://loc\nalhost/",
        "ws://%65vil.example/",
        "ws://0x7f.1.evil.example/",
        "ws://128.0.0.1/",
        "ws://[::2]/",
        "ws://[::ffff:127.0.0.1]/",
        "wss://x.tech/#",
        "ws://",
    ];
    for url in bad {
        let thrown = OptaveClient::new(js(json!({ "websocketUrl": url }))).expect_err(url);
        assert_eq!(
            get_str(&thrown, "code").as_deref(),
            Some("INVALID_WEBSOCKET_URL"),
            "{url:?}"
        );
    }
    let good = [
        "ws://127.1/",
        "ws://0x7f.1:8787/ws",
        "ws://2130706433/",
        "ws://%31%32%37.0.0.1/",
        "ws://[0:0:0:0:0:0:0:1]/",
        "ws://[::1]:8787/ws",
        "ws://LOCALHOST/",
    ];
    for url in good {
        OptaveClient::new(js(json!({ "websocketUrl": url })))
            .unwrap_or_else(|e| panic!("{url:?}: {e:?}"));
    }
}
