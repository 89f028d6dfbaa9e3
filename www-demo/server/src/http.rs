//! The plain HTTP routes and layers: the ticket endpoint and its CORS policy
//! (loopback origins only), the CORS policy and origin guard of the test
//! controls, `/healthz`, and the guard that keeps the server's own sources
//! (`/server/...`) out of the static file service.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use crate::AppState;

/// Body of `POST /api/ws-ticket`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketResponse {
    /// The one-time ticket.
    pub ticket: String,
    /// Its time to live, in milliseconds.
    pub expires_in_ms: u64,
}

/// `POST /api/ws-ticket`: issues a one-time WebSocket ticket.
pub async fn issue_ticket(State(state): State<AppState>) -> Response {
    match state.tickets.issue() {
        Ok(ticket) => {
            let ttl = u64::try_from(state.tickets.ttl().as_millis()).unwrap_or(u64::MAX);
            let body = TicketResponse {
                ticket,
                expires_in_ms: ttl,
            };
            ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "no randomness for a ticket");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "could not issue a ticket",
            )
                .into_response()
        }
    }
}

/// `GET /healthz`.
pub async fn healthz() -> &'static str {
    "ok"
}

/// True for `http(s)://` origins on a loopback host (`127.0.0.0/8`,
/// `localhost`, `[::1]`), with or without a port.
pub fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let Some((h, tail)) = v6.split_once(']') else {
            return false;
        };
        if tail.is_empty() {
            (h, None)
        } else if let Some(p) = tail.strip_prefix(':') {
            (h, Some(p))
        } else {
            return false;
        }
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// CORS for the ticket endpoint: any loopback origin may POST.
pub fn ticket_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(is_loopback_origin)
        }))
        .allow_methods([Method::POST])
        .allow_headers(AllowHeaders::mirror_request())
}

/// CORS for the test control endpoints (of this server and of the
/// supervisor): any loopback origin may GET and POST.
pub fn test_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(is_loopback_origin)
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(AllowHeaders::mirror_request())
}

/// Middleware: 403 for a request whose `Origin` header is not a loopback
/// origin (a page elsewhere cannot drive the test controls, even with a
/// request that needs no CORS preflight).
pub async fn loopback_only(req: Request, next: Next) -> Response {
    let foreign = req
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|o| !o.to_str().is_ok_and(is_loopback_origin));
    if foreign {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    next.run(req).await
}

/// True when a request path (percent-encoded) points into `/server`.
pub fn is_server_path(path: &str) -> bool {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    decoded
        .split(['/', '\\'])
        .find(|seg| !seg.is_empty() && *seg != ".")
        .is_some_and(|first| first.eq_ignore_ascii_case("server"))
}

/// Middleware: 404 for anything under `/server` (the server's own sources).
pub async fn guard_sources(req: Request, next: Next) -> Response {
    if is_server_path(req.uri().path()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://localhost",
            "https://127.0.0.5:1",
            "http://[::1]:9000",
            "http://[::1]",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://127.0.0.1.evil.com",
            "http://localhost.evil.com:80",
            "http://10.0.0.1:80",
            "null",
            "file://",
            "http://127.0.0.1:80/x",
            "http://[::1]x",
            "http://127.0.0.1:",
            "ws://127.0.0.1:80",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }

    #[test]
    fn server_paths() {
        assert!(is_server_path("/server"));
        assert!(is_server_path("/server/src/main.rs"));
        assert!(is_server_path("//server/Cargo.toml"));
        assert!(is_server_path("/./Server/x"));
        assert!(is_server_path("/%73erver/x"));
        assert!(!is_server_path("/"));
        assert!(!is_server_path("/index.html"));
        assert!(!is_server_path("/servers.js"));
        assert!(!is_server_path("/pkg/server"));
    }
}
