//! The TypeScript declarations of the typed model (feature `ts`): a change
//! that breaks the typings the page sees fails here.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use optave_core::action::{Action, Need};
use optave_core::error::ErrorCode;
use optave_core::model::actions::{params_type_name, typed_fields, TypedField, LEGACY_PLACES};
use optave_core::model::{
    declarations, AuthTransport, Channel, CloseInfo, ConnectionOptions, Conversation,
    ErrorCategory, HeaderOverrides, Interface, Link, Medium, OptaveError, Participant, Payload,
    ReadyState, Request, RequestOptions, RequestParams, Resources, Role, Scope, Session, Settings,
    SuperpowerFrame, SuperpowerState, SUPERPOWER_TYPES,
};
use serde_json::{json, Value};
use tsify::Tsify;

fn decl<T: Tsify>() -> &'static str {
    T::DECL
}

/// Asserts the declaration has every member line (ignoring indentation).
fn has_members(decl: &str, members: &[&str]) {
    let lines: Vec<&str> = decl.lines().map(str::trim).collect();
    for member in members {
        assert!(lines.contains(member), "missing `{member}` in:\n{decl}");
    }
}

/// The member lines (`name?: type;`) of an interface declaration.
fn member_lines(decl: &str) -> Vec<&str> {
    decl.lines()
        .map(str::trim)
        .filter(|l| l.ends_with(';') && !l.starts_with('*') && !l.starts_with("export"))
        .collect()
}

#[test]
fn request_params() {
    let d = decl::<RequestParams>();
    assert!(d.contains("export interface RequestParams {"), "{d}");
    assert_eq!(
        member_lines(d),
        [
            "headers?: HeaderOverrides;",
            "session?: Session;",
            "request?: Request;"
        ]
    );
}

#[test]
fn header_overrides() {
    assert_eq!(
        member_lines(decl::<HeaderOverrides>()),
        [
            "correlationId?: string;",
            "traceId?: string;",
            "idempotencyKey?: string;",
            "timestamp?: string;",
            "networkLatencyMs?: number;",
            "tenantId?: string;"
        ]
    );
}

#[test]
fn session_channel_and_interface() {
    has_members(
        decl::<Session>(),
        &[
            "sessionId?: string;",
            "channel?: Channel;",
            "interface?: Interface;",
        ],
    );
    has_members(
        decl::<Channel>(),
        &[
            "browser?: string;",
            "deviceInfo?: string;",
            "medium?: Medium;",
            "metadata?: unknown[];",
            "section?: string;",
        ],
    );
    has_members(
        decl::<Interface>(),
        &["appVersion?: string;", "type?: string;"],
    );
}

#[test]
fn enums_are_string_unions() {
    assert!(decl::<Medium>().contains(r#"export type Medium = "chat" | "voice" | "email";"#));
    assert!(decl::<Role>().contains(r#"export type Role = "user" | "operator" | "bot";"#));
    assert!(decl::<ReadyState>()
        .contains(r#"export type ReadyState = "connecting" | "open" | "closing" | "closed";"#));
    assert!(
        decl::<AuthTransport>().contains(r#"export type AuthTransport = "subprotocol" | "query";"#)
    );
    assert!(decl::<ErrorCategory>().contains(
        r#"export type ErrorCategory = "AUTHENTICATION" | "ORCHESTRATOR" | "VALIDATION" | "WEBSOCKET";"#
    ));
    assert!(decl::<SuperpowerState>()
        .contains(r#"export type SuperpowerState = "started" | "completed" | "error";"#));
}

#[test]
fn optave_error() {
    assert_eq!(
        member_lines(decl::<OptaveError>()),
        [
            "category: ErrorCategory;",
            "code: ErrorCode | (string & {});",
            "message: string;",
            "details: unknown;",
            "suggestions: string[];",
            "correlationId?: string;",
            "timestamp: string;"
        ]
    );
}

/// The typed error serializes as the facade builds the page's error from the
/// core's (`common::error_json`): same keys, same category spelling.
#[test]
fn the_typed_error_matches_the_core_error() {
    use optave_core::error::{self, Detail};
    let categories = [
        (
            error::ErrorCategory::Authentication,
            ErrorCategory::Authentication,
        ),
        (
            error::ErrorCategory::Orchestrator,
            ErrorCategory::Orchestrator,
        ),
        (error::ErrorCategory::Validation, ErrorCategory::Validation),
        (error::ErrorCategory::Websocket, ErrorCategory::Websocket),
    ];
    for (core, typed) in categories {
        assert_eq!(
            serde_json::to_value(typed).unwrap(),
            serde_json::json!(core.as_str())
        );
        let err = error::OptaveError::new(core, ErrorCode::RemoteError, "m", common::NOW_MS)
            .with_details(Detail::Map(vec![("path", Detail::str("x"))]))
            .suggest("s")
            .for_request("c");
        let typed_err = OptaveError {
            category: typed,
            code: err.code.to_string(),
            message: err.message.clone(),
            details: serde_json::from_value(common::detail_to_json(&err.details)).unwrap(),
            suggestions: err.suggestions.iter().map(|s| s.to_string()).collect(),
            correlation_id: err.correlation_id.clone(),
            timestamp: err.timestamp.clone(),
        };
        assert_eq!(
            serde_json::to_value(&typed_err).unwrap(),
            common::error_json(&err, None)
        );
    }
}

#[test]
fn request_and_its_parts() {
    has_members(
        decl::<Request>(),
        &[
            "requestId?: string;",
            "attributes?: Attributes;",
            "connections?: Connections;",
            "context?: Context;",
            "reference?: Reference;",
            "resources?: Resources;",
            "scope?: Scope;",
            "settings?: Settings;",
            "a2a?: A2a[];",
            "cursor?: Cursor;",
            "variation?: string;",
            "content?: string;",
        ],
    );
    assert!(decl::<Request>().contains("@deprecated"));
    assert_eq!(
        member_lines(decl::<Resources>()),
        ["codes?: Code[];", "links?: Link[];", "offers?: unknown[];"]
    );
    has_members(
        decl::<Link>(),
        &[
            "expires_at?: string;",
            "expiresAt?: string;",
            "html?: boolean;",
            "type?: string;",
        ],
    );
    has_members(
        decl::<Settings>(),
        &[
            "disableStream?: boolean;",
            "maxResponseLength?: number;",
            "overrideChannelMedium?: string;",
        ],
    );
    has_members(
        decl::<Scope>(),
        &[
            "conversations?: Conversation[];",
            "interactions?: Interaction[];",
            "resources?: Resources;",
            "products?: unknown[];",
            "users?: unknown[];",
        ],
    );
    has_members(
        decl::<Conversation>(),
        &[
            "participants?: Participant[];",
            "messages?: Message[];",
            "metadata?: Record<string, unknown>;",
        ],
    );
    has_members(
        decl::<Participant>(),
        &["role?: Role;", "displayName?: string;"],
    );
    has_members(
        decl::<Payload>(),
        &["session?: Session;", "request?: Request;"],
    );
}

#[test]
fn connection_options() {
    assert_eq!(
        member_lines(decl::<ConnectionOptions>()),
        [
            "websocketUrl: string;",
            "restUrl?: string;",
            "transport?: Transport;",
            "authTransport?: AuthTransport;",
            "authRequired?: boolean;",
            "organizationId?: string;",
            "tenantId?: string;",
            "connectionTimeoutMs?: number;",
            "requestTimeoutMs?: number;",
            "strictValidation?: boolean;",
            "maxInboundFrameBytes?: number;",
            "reconnect?: boolean | ReconnectOptions;",
            "connectionStateTtlMs?: number;",
            "queueLimit?: number;",
            "queueWhileDisconnected?: boolean;",
            "resendOnReconnect?: boolean;",
            "staleAfterMs?: number | false;",
            "crossTab?: CrossTabOptions;",
            "clientSecret?: never;"
        ]
    );
}

#[test]
fn events() {
    has_members(
        decl::<SuperpowerFrame<String, optave_core::model::AnyJson>>(),
        &[
            "action: string;",
            "actionType: A;",
            "state: SuperpowerState | (string & {});",
            "message: SuperpowerMessage<R>;",
            "correlationId?: string;",
            "requestAction?: string;",
            "headers?: ResponseHeaders;",
        ],
    );
    assert_eq!(
        member_lines(decl::<CloseInfo>()),
        ["code: number;", "reason: string;", "wasClean: boolean;"]
    );
}

#[test]
fn request_options() {
    assert_eq!(
        member_lines(decl::<RequestOptions>()),
        ["timeoutMs?: number;"]
    );
}

/// The name each declaration declares (`export interface X` / `export type X`).
fn declared_name(decl: &str) -> &str {
    let start = decl
        .find("export interface ")
        .map(|i| i + "export interface ".len())
        .or_else(|| decl.find("export type ").map(|i| i + "export type ".len()))
        .unwrap_or_else(|| panic!("no declaration in {decl}"));
    let rest = &decl[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn declarations_are_complete_and_in_dependency_order() {
    let all = declarations().expect("the params types resolve against the model");
    let names: Vec<&str> = all.iter().map(|d| declared_name(d)).collect();
    let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "declared twice: {names:?}");
    for must in [
        "RequestParams",
        "Action",
        "InteractionParams",
        "AdjustParams",
        "ActionParams",
        "ParamsFor",
        "HeaderOverrides",
        "Payload",
        "SuperpowerFrame",
        "CloseInfo",
        "ConnectionOptions",
        "RequestOptions",
        "ReadyState",
        "ConnectionState",
        "ReconnectOptions",
        "StateChangeEvent",
        "SentEvent",
        "AuthTransport",
        "Transport",
        "TransportInUse",
        "OptaveError",
        "ErrorCategory",
    ] {
        assert!(unique.contains(must), "{must} missing from {names:?}");
    }
    // Every type a declaration names is declared before it, is a TypeScript
    // type, or is one the facade declares (the open string sets).
    let builtin = [
        "string",
        "number",
        "boolean",
        "unknown",
        "never",
        "Record",
        "Array",
        "export",
        "interface",
        "type",
    ];
    // Generated by the facade from `ErrorCode::ALL` and `SUPERPOWER_TYPES`.
    let facade = ["ErrorCode", "SuperpowerType", "SuperpowerEvent"];
    for (i, decl) in all.iter().enumerate() {
        // A generic declaration's own type parameters (`ParamsFor<A extends Action>`).
        let header = decl
            .lines()
            .find(|l| l.starts_with("export "))
            .unwrap_or_default();
        let params: Vec<&str> = header
            .split_once('<')
            .map(|(_, rest)| {
                rest.split([',', '>'])
                    .filter_map(|p| p.split_whitespace().next())
                    .take_while(|p| p.chars().all(|c| c.is_ascii_alphanumeric()))
                    .collect()
            })
            .unwrap_or_default();
        let code: String = decl
            .lines()
            .filter(|l| {
                let t = l.trim_start();
                !t.starts_with('*') && !t.starts_with("/*") && !t.starts_with("//")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut word = String::new();
        let mut in_string = false;
        for c in code.chars().chain([' ']) {
            if c == '"' {
                in_string = !in_string;
                word.clear();
                continue;
            }
            if in_string {
                continue;
            }
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            let is_type_position = c != ':' && c != '?';
            let starts_upper = word.chars().next().is_some_and(|f| f.is_ascii_uppercase());
            if starts_upper
                && is_type_position
                && word != names[i]
                && !params.contains(&word.as_str())
            {
                assert!(
                    names[..i].contains(&word.as_str())
                        || builtin.contains(&word.as_str())
                        || facade.contains(&word.as_str()),
                    "{} uses {word} before it is declared",
                    names[i]
                );
            }
            word.clear();
        }
    }
    assert!(SUPERPOWER_TYPES.contains(&"sentiment_analysis"));
}

/// The generated declaration named `name`.
fn generated(name: &str) -> String {
    declarations()
        .expect("the params types resolve against the model")
        .into_iter()
        .find(|d| declared_name(d) == name)
        .unwrap_or_else(|| panic!("no declaration of {name}"))
        .into_owned()
}

const THREAD: &str = "request.connections.threadId";
const ORG: &str = "request.context.organizationId";
const CONVERSATIONS: &str = "request.scope.conversations";

/// The params types follow the runtime's required-field table: every
/// requirement but `organizationId` (which the client's option can fill), and
/// `customerInteraction` takes `interaction`'s type.
#[test]
fn params_types_follow_the_required_field_table() {
    for action in Action::ALL {
        let typed: Vec<&str> = typed_fields(action).iter().map(|f| f.path).collect();
        let runtime: Vec<&str> = action
            .requirements()
            .iter()
            .map(|r| r.1)
            .filter(|p| *p != ORG)
            .collect();
        assert_eq!(typed, runtime, "{action:?}");
        assert!(
            action.requirements().iter().any(|r| r.1 == ORG),
            "{action:?}"
        );
        assert_eq!(&typed[..2], [THREAD, CONVERSATIONS], "{action:?}");
    }
    assert_eq!(params_type_name(Action::Interaction), "InteractionParams");
    assert_eq!(
        params_type_name(Action::CustomerInteraction),
        "InteractionParams"
    );
    assert_eq!(
        Action::CustomerInteraction.requirements(),
        Action::Interaction.requirements()
    );
    assert_eq!(params_type_name(Action::Adjust), "AdjustParams");
    let legacy: Vec<(&str, Option<String>)> = typed_fields(Action::Adjust)
        .into_iter()
        .chain(typed_fields(Action::Recommend))
        .filter(|f| f.legacy.is_some())
        .map(|f| (f.path, f.legacy))
        .collect();
    assert_eq!(
        legacy,
        [
            (
                "request.attributes.content",
                Some("request.content".to_owned())
            ),
            (
                "request.resources.offers",
                Some("request.scope.resources.offers".to_owned())
            ),
        ]
    );
}

#[test]
fn action_union_and_map() {
    let action = generated("Action");
    assert!(
        action.contains(
            r#"export type Action = "interaction" | "reception" | "insights" | "summarize" | "translate" | "recommend" | "elevate" | "adjust" | "customerInteraction" | "customerinteraction";"#
        ),
        "{action}"
    );
    let map = generated("ActionParams");
    assert_eq!(
        member_lines(&map),
        [
            "interaction: InteractionParams;",
            "reception: ReceptionParams;",
            "insights: InsightsParams;",
            "summarize: SummarizeParams;",
            "translate: TranslateParams;",
            "recommend: RecommendParams;",
            "elevate: ElevateParams;",
            "adjust: AdjustParams;",
            "customerInteraction: InteractionParams;",
            "customerinteraction: InteractionParams;",
        ]
    );
    assert!(map.contains("@deprecated"), "{map}");
    assert!(generated("ParamsFor")
        .contains("export type ParamsFor<A extends Action> = ActionParams[A];"));
}

/// The code lines of a declaration (its doc comment left out).
fn code_of(decl: &str) -> String {
    decl.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("/**") && !t.starts_with('*')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn params_type_declarations() {
    let interaction = generated("InteractionParams");
    assert!(
        interaction.contains("protocol.md section 4"),
        "{interaction}"
    );
    assert!(
        interaction.contains("`customerInteraction`"),
        "{interaction}"
    );
    assert!(
        interaction.contains("[Conversation, ...Conversation[]]`"),
        "{interaction}"
    );
    assert_eq!(
        code_of(&interaction),
        "export type InteractionParams = RequestParams & {
    request: {
        connections: {
            threadId: string;
        };
        scope: {
            conversations: [Conversation, ...Conversation[]];
        };
    };
};"
    );
    for name in [
        "ReceptionParams",
        "InsightsParams",
        "SummarizeParams",
        "TranslateParams",
    ] {
        assert_eq!(
            code_of(&generated(name)),
            code_of(&interaction).replace("InteractionParams", name)
        );
    }
    assert_eq!(
        code_of(&generated("RecommendParams")),
        "export type RecommendParams = RequestParams & {
    request: {
        connections: {
            threadId: string;
        };
        scope: {
            conversations: [Conversation, ...Conversation[]];
        };
    };
} & ({
    request: {
        scope: {
            resources: {
                offers: [unknown, ...unknown[]];
            };
        };
    };
} | {
    request: {
        resources: {
            offers: [unknown, ...unknown[]];
        };
    };
});"
    );
    assert_eq!(
        code_of(&generated("AdjustParams")),
        "export type AdjustParams = RequestParams & {
    request: {
        connections: {
            threadId: string;
            parentId: string;
        };
        scope: {
            conversations: [Conversation, ...Conversation[]];
        };
        attributes: {
            instruction: string;
        };
    };
} & ({
    request: {
        content: string;
    };
} | {
    request: {
        attributes: {
            content: string;
        };
    };
});"
    );
    let elevate = code_of(&generated("ElevateParams"));
    assert!(elevate.contains("parentId: string;"), "{elevate}");
    assert!(elevate.contains("content: string;"), "{elevate}");
    assert!(!elevate.contains("instruction"), "{elevate}");
}

/// The value a typed field gets in [`complete_params`].
fn filled(need: Need) -> Value {
    match need {
        Need::Text => json!("x"),
        Need::Items => json!([{}]),
    }
}

/// Sets `path` (dotted) in `params`, creating the objects on the way.
fn put(params: &mut Value, path: &str, value: Value) {
    let mut at = params;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            at[part] = value;
            return;
        }
        if at.get(part).is_none() {
            at[part] = json!({});
        }
        at = &mut at[part];
    }
}

/// The smallest params the type of `action` accepts (every typed field set).
fn complete_params(fields: &[TypedField]) -> Value {
    let mut params = json!({});
    for f in fields {
        put(&mut params, f.path, filled(f.need));
    }
    params
}

/// What the types accept, the runtime accepts, given the client's
/// `organizationId` option; and each field the types require, the runtime
/// requires, at its canonical or its legacy place.
#[test]
fn what_the_params_types_require_is_what_the_runtime_requires() {
    use optave_core::outbound::EnvelopeConfig;
    let with_org = EnvelopeConfig {
        organization_id: Some("org-1".into()),
        ..EnvelopeConfig::default()
    };
    for action in Action::ALL {
        let fields = typed_fields(action);
        let params = complete_params(&fields);
        common::build_with(action, params.clone(), &with_org);

        // Without the option, organizationId is the one thing missing.
        let err = common::build_err(action, params.clone());
        assert_eq!(common::details(&err)["missing"], json!([ORG]), "{action:?}");

        for field in &fields {
            let mut without = complete_params(
                &fields
                    .iter()
                    .filter(|f| f.path != field.path)
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            let err = common::build_err_with(action, without.clone(), &with_org);
            assert_eq!(
                common::details(&err)["missing"],
                json!([field.path]),
                "{action:?}"
            );
            if let Some(legacy) = &field.legacy {
                put(&mut without, legacy, filled(field.need));
                let (_, out) = common::build_with(action, without, &with_org);
                assert!(!out.deprecations.is_empty(), "{action:?} {legacy}");
            }
        }
    }
    assert!(LEGACY_PLACES.iter().all(|(c, l)| c != l));
}
