//! `new OptaveClient(options)`: the data options judged by the core (the
//! `websocketUrl` through the browser's own `URL` parser), the function
//! options (`tokenProvider`, `logger`) checked here, and the client's state.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Function, Reflect};
use optave_core::connection::Session;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::ids::IdGenerator;
use optave_core::options::{check_argument, refuse_long_options, ClientConfig};
use optave_core::outbound::{Builder, EnvelopeConfig};
use optave_core::url::UrlParts;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::OptaveClient;
use crate::events::Emitter;
use crate::logger::Logger;
use crate::random::CryptoRandom;
use crate::runtime::{now_ms, Shared, State};

/// A client built from the page's `options`.
///
/// Errors: those of `ClientConfig::from_json` (VALIDATION
/// `INVALID_WEBSOCKET_URL`, `UNSUPPORTED_IN_BROWSER`, `INVALID_OPTION`), and
/// `INVALID_OPTION` for a `tokenProvider` that is not a function or a
/// `logger` that is not an object.
pub fn create(options: &JsValue) -> Result<OptaveClient, OptaveError> {
    let now = now_ms();
    let invalid = |m: &'static str| OptaveError::validation(ErrorCode::InvalidOption, m, now);
    if !options.is_object() {
        return Err(
            invalid("options must be an object with at least websocketUrl")
                .suggest("new OptaveClient({ websocketUrl: 'wss://...' })"),
        );
    }
    let json = options_text(options, ErrorCode::InvalidOption, now)?
        .ok_or_else(|| invalid("options could not be serialized"))?;
    let config = ClientConfig::from_json(&json, &browser_url, now)?;
    let field = |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or_default();
    let provider = field("tokenProvider");
    let token_provider = match provider.dyn_into::<Function>() {
        Ok(f) => Some(f),
        Err(v) if v.is_undefined() || v.is_null() => None,
        Err(_) => {
            return Err(invalid(
                "tokenProvider must be a function returning a token or a promise of one",
            ))
        }
    };
    let logger = field("logger");
    if !(logger.is_undefined() || logger.is_null() || logger.is_object()) {
        return Err(invalid(
            "logger must be an object with debug/info/warn/error functions",
        ));
    }
    let envelope = EnvelopeConfig {
        organization_id: config.organization_id.clone(),
        tenant_id: config.tenant_id.clone(),
        session_id: None,
        strict: config.strict,
        shared_socket: config.cross_tab_key.is_some(),
    };
    let session = config.session(token_provider.is_some());
    let state = State {
        config,
        envelope,
        builder: Builder::default(),
        session: Session::new(session),
        socket: None,
        ids: IdGenerator::new(CryptoRandom),
        warned: 0,
        warned_in_flight: false,
        token_provider,
        token_wait: None,
        explicit_token: None,
        connect_waiters: Vec::new(),
        timer: None,
        signals: None,
        fetches: Vec::new(),
        answer: None,
        frame: None,
        tabs: None,
    };
    let shared = Rc::new(Shared {
        state: RefCell::new(state),
        emitter: Emitter::default(),
        logger: Logger::new(logger),
    });
    let tabs = {
        let st = shared.state.borrow();
        crate::crosstab::install(&shared, &st.config, st.token_provider.is_some())
    };
    shared.state.borrow_mut().tabs = tabs;
    Ok(OptaveClient { shared })
}

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseUrl)]
    fn parse_url(text: &str) -> Option<ParsedUrl>;
    #[wasm_bindgen(js_name = optionsJson, catch)]
    fn options_json(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// The JSON text of an options object (NaN and ±Infinity as their names, see
/// [`optave_core::options::NON_FINITE`]); `None` when it cannot be serialized
/// (a cycle, a BigInt).
///
/// Errors: VALIDATION / `code` for a text over
/// [`optave_core::options::MAX_OPTIONS_UNITS`], which is not copied.
pub fn options_text(
    options: &JsValue,
    code: ErrorCode,
    now: f64,
) -> Result<Option<String>, OptaveError> {
    let Some(text) = options_json(options)
        .ok()
        .and_then(|t| t.dyn_into::<js_sys::JsString>().ok())
    else {
        return Ok(None);
    };
    refuse_long_options(text.length() as usize, code, now)?;
    Ok(Some(String::from(text)))
}

#[wasm_bindgen]
extern "C" {
    /// What `parseUrl` (js/bindings.js) makes of a URL, read by name:
    /// `protocol` and `hostname` as the browser's `URL` has them,
    /// `hasCredentials`, `hasFragment`.
    type ParsedUrl;
    #[wasm_bindgen(method, getter)]
    fn protocol(this: &ParsedUrl) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &ParsedUrl) -> JsValue;
    #[wasm_bindgen(method, getter = hasCredentials)]
    fn has_credentials(this: &ParsedUrl) -> JsValue;
    #[wasm_bindgen(method, getter = hasFragment)]
    fn has_fragment(this: &ParsedUrl) -> JsValue;
}

/// `text` as the browser's `URL` parses it (what `new WebSocket` will connect to).
fn browser_url(text: &str) -> Option<UrlParts> {
    let parts = parse_url(text)?;
    Some(UrlParts {
        scheme: parts.protocol().as_string()?,
        host: parts.hostname().as_string()?,
        has_credentials: parts.has_credentials().as_bool()?,
        has_fragment: parts.has_fragment().as_bool()?,
    })
}

/// A name or id argument from the page (`what` names it in errors), copied
/// into wasm only when it is a string of at most
/// [`optave_core::options::MAX_ARGUMENT_UNITS`].
///
/// Errors: VALIDATION / `INVALID_ARGUMENT` ([`check_argument`]).
pub fn string_argument(value: &JsValue, what: &str, now: f64) -> Result<String, OptaveError> {
    let text = value.dyn_ref::<js_sys::JsString>();
    check_argument(what, text.map(|t| t.length() as usize), now)?;
    Ok(text.map(String::from).unwrap_or_default())
}
