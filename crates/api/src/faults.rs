//! Fault injection into Graph requests (emulator; see `store::faults` and `docs/emulator.md`).
//!
//! [`run`] is called by the authorization layer once the caller is known and permitted
//! (`crate::authorize`), for Graph routes only (`/v1.0`, `/beta`, and the inner requests of a
//! `$batch`): never for the admin API, the token endpoint, health or secgraph's own routes. When
//! the caller's tenant has a fault profile, the request's decision is taken in this order:
//!
//! 1. latency: the request waits before anything else happens;
//! 2. `429 TooManyRequests` or `503 serviceNotAvailable`, Graph error bodies with `Retry-After`
//!    (the handler does not run, nothing changes);
//! 3. on `GET /security/alerts` (the legacy list) answered `200`: `206 Partial Content` with a
//!    `Warning: 199 - "{Vendor}/{Provider}/{Status}/{LatencyMs}"` item for the profile's provider,
//!    added after any warning of real federated providers; the data is the list as it was.
//!
//! Every response a fault touched carries `secgraph-fault` naming the faults
//! (`latency`, `throttle`, `unavailable`, `partialContent`), so a test can tell injected from real.

use crate::error::{ErrorCode, GraphError};
use crate::principal::Principal;
use crate::query::ApiVersion;
use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::faults::Injected;

/// The response header naming the faults injected into it.
pub static FAULT_HEADER: HeaderName = HeaderName::from_static("secgraph-fault");

/// Runs the request (`next`) under its tenant's fault profile, if it has one and the request is a
/// Graph request.
pub async fn run(state: &AppState, req: Request, next: Next) -> Response {
    let graph = req.extensions().get::<ApiVersion>().is_some();
    let tenant = req.extensions().get::<Principal>().map(|p| &p.tenant_id);
    let (true, Some(tenant)) = (graph, tenant) else {
        return next.run(req).await;
    };
    let store = state.store();
    let active = match store.fault_profiles().active(store, tenant).await {
        Ok(Some(active)) => active,
        Ok(None) => return next.run(req).await,
        Err(e) => {
            tracing::warn!(%tenant, error = %e, "fault profile unreadable; no faults injected");
            return next.run(req).await;
        }
    };
    let faults = active.next_request();
    let mut names = Vec::new();
    if let Some(latency) = faults.latency {
        tokio::time::sleep(latency).await;
        names.push("latency");
    }
    let error = match faults.injected {
        Injected::Throttle(secs) => Some((throttled(secs), "throttle")),
        Injected::Unavailable(secs) => Some((unavailable(secs), "unavailable")),
        Injected::None => None,
    };
    if let Some((e, name)) = error {
        names.push(name);
        return marked(e.into_response(), &names);
    }
    let warning = faults.partial_warning.filter(|_| is_legacy_list(&req));
    let mut resp = next.run(req).await;
    if let Some(warning) = warning.filter(|_| resp.status() == StatusCode::OK) {
        let value = match resp.headers().get(header::WARNING) {
            Some(real) => format!("{}, {warning}", real.to_str().unwrap_or_default()),
            None => warning,
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            *resp.status_mut() = StatusCode::PARTIAL_CONTENT;
            resp.headers_mut().insert(header::WARNING, value);
            names.push("partialContent");
        }
    }
    marked(resp, &names)
}

/// Graph's throttling answer: `429 TooManyRequests` with `Retry-After: {secs}` (the shape of
/// `crate::throttle`'s quota refusals: `innerError.code` "429").
pub fn throttled(secs: u64) -> GraphError {
    let mut e = GraphError::new(
        ErrorCode::TooManyRequests,
        format!(
            "Please retry again later. This tenant's fault profile injected a throttling response; retry after {secs} seconds (Retry-After)."
        ),
    )
    .with_inner_code("429");
    e.retry_after = Some(secs);
    e
}

/// `503 serviceNotAvailable` with `Retry-After: {secs}`.
pub fn unavailable(secs: u64) -> GraphError {
    let mut e = GraphError::new(
        ErrorCode::ServiceNotAvailable,
        format!(
            "The service is temporarily unavailable (injected by this tenant's fault profile); retry after {secs} seconds (Retry-After)."
        ),
    );
    e.retry_after = Some(secs);
    e
}

/// Whether the request reads the legacy alert list (`GET /security/alerts`, any query).
fn is_legacy_list(req: &Request) -> bool {
    let path = req.uri().path().trim_end_matches('/').to_ascii_lowercase();
    req.method() == Method::GET && path.ends_with("/security/alerts")
}

fn marked(mut resp: Response, names: &[&str]) -> Response {
    if let Ok(v) = HeaderValue::from_str(&names.join(", ")) {
        if !names.is_empty() {
            resp.headers_mut().insert(FAULT_HEADER.clone(), v);
        }
    }
    resp
}
