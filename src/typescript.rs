//! TypeScript declarations that wasm-bindgen cannot derive: the options with
//! their functions, the event map that types `on()`/`once()`/`off()`, and the
//! `Error` base of `OptaveError`. Everything else comes from tsify derives.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_CODES: &str = crate::core::error::ERROR_CODE_TS;

#[wasm_bindgen(typescript_custom_section)]
const SURFACE: &str = r#"
/** Superpower `actionType`s named by the seeds and the local OCO server (the set is open). */
export type SuperpowerType = "sentiment_analysis" | "risk_assessment" | "escalation_need" | "language_identification" | "search_requirements" | "performance_criteria" | "recommend" | "adjust_suggestion" | "elevate_suggestion" | "summary" | "translation";

/** Receives the SDK's log lines (each method optional; default `console`). */
export interface OptaveLogger {
    debug?(message: string, extra?: unknown): void;
    info?(message: string, extra?: unknown): void;
    warn?(message: string, extra?: unknown): void;
    error?(message: string, extra?: unknown): void;
}

/** Options of `new OptaveClient(options)` (protocol.md section 7). */
export interface OptaveClientOptions extends ConnectionOptions {
    /**
     * Returns the token for a connection, or a promise of it. Called for every
     * (re)connection, because tickets may be single-use. Typically fetches a
     * short-lived ticket from the page's own backend.
     */
    tokenProvider?: () => string | null | undefined | Promise<string | null | undefined>;
    /** Receives warnings (deprecations, failing listeners) and errors nobody listens to. */
    logger?: OptaveLogger;
}

/** An `OptaveError` is a real `Error` (`err instanceof Error`), `name` `"OptaveError"`. */
export interface OptaveError extends Error {}

/** Events of `OptaveClient` and their listener signatures. */
export interface OptaveEventMap {
    /** The WebSocket opened. */
    "open": () => void;
    /** The WebSocket closed. */
    "close": (event: CloseInfo) => void;
    /** Every error the client reports, server error frames included. */
    "error": (error: OptaveError) => void;
    /** A superpower frame: `started`, then `completed` with results. */
    "superpower.response": (event: SuperpowerEvent) => void;
    /** A server error frame (`category` ORCHESTRATOR). */
    "superpower.error": (error: OptaveError) => void;
    /** @deprecated Every parsed inbound frame, raw. Use `superpower.response` / `superpower.error`. */
    "message": (frame: unknown) => void;
}

export interface OptaveClient {
    /**
     * Registers `listener` for `event`; returns a function that removes it.
     * @example
     * const off = client.on('superpower.response', (ev) => render(ev.actionType, ev.message.results));
     * off();
     * @throws {OptaveError} VALIDATION `INVALID_ARGUMENT` for an unknown event or a non-function listener.
     */
    on<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): () => void;
    /** Like `on()`, but the listener is removed after its first call. */
    once<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): () => void;
    /** Removes `listener` from `event`. */
    off<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): void;
}
"#;
