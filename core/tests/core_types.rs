//! The TypeScript declarations of the typed model (feature `ts`): a change
//! that breaks the typings the page sees fails here.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use optave_core::error::ErrorCode;
use optave_core::model::{
    declarations, AuthTransport, Channel, CloseInfo, ConnectionOptions, Conversation,
    ErrorCategory, HeaderOverrides, Interface, Link, Medium, OptaveError, Participant, Payload,
    ReadyState, Request, RequestOptions, RequestParams, Resources, Role, Scope, Session, Settings,
    SuperpowerEvent, SuperpowerState, SUPERPOWER_TYPES,
};
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
            "clientSecret?: never;"
        ]
    );
}

#[test]
fn events() {
    has_members(
        decl::<SuperpowerEvent>(),
        &[
            "action: string;",
            "actionType: SuperpowerType | (string & {});",
            "state: SuperpowerState | (string & {});",
            "message: SuperpowerMessage;",
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
    let all = declarations();
    let names: Vec<&str> = all.iter().map(|d| declared_name(d)).collect();
    let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "declared twice: {names:?}");
    for must in [
        "RequestParams",
        "HeaderOverrides",
        "Payload",
        "SuperpowerEvent",
        "CloseInfo",
        "ConnectionOptions",
        "RequestOptions",
        "ReadyState",
        "ConnectionState",
        "ReconnectOptions",
        "StateChangeEvent",
        "SentEvent",
        "AuthTransport",
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
    let facade = ["ErrorCode", "SuperpowerType"];
    for (i, decl) in all.iter().enumerate() {
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
            if starts_upper && is_type_position && word != names[i] {
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
