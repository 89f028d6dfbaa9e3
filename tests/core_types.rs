//! The generated TypeScript declarations: a change that breaks the typings
//! the page sees fails here.
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

use optave_client::core::action::Action;
use optave_client::core::connection::ReadyState;
use optave_client::core::error::{ErrorCategory, OptaveError};
use optave_client::core::events::{CloseInfo, SuperpowerEvent, SuperpowerState};
use optave_client::core::model::{
    Channel, Conversation, HeaderOverrides, Interface, Link, Medium, Participant, Payload, Request,
    RequestParams, Resources, Role, Scope, Session, Settings,
};
use optave_client::core::options::{AuthTransport, ConnectionOptions};
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
    let action = decl::<Action>();
    for name in Action::ALL.map(Action::method_name) {
        assert!(action.contains(&format!("\"{name}\"")), "{action}");
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
