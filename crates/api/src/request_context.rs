//! Per-request identity for correlation: `request-id` (ours, new per request) and `client-request-id`
//! (the caller's, echoed; ours when absent). The middleware here sets both response headers, adds
//! `OData-Version`, logs one line per request, counts it in the metrics by route template
//! ([`crate::metrics`]), and makes the ids available to error bodies through a
//! task-local, so no handler has to thread them through.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use time::OffsetDateTime;

tokio::task_local! {
    static CURRENT: RequestContext;
}

/// The correlation ids of the request being served.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// Ours: a new UUID per request.
    pub request_id: String,
    /// The caller's `client-request-id`, or `request_id` when it sent none.
    pub client_request_id: String,
    /// When the request arrived, read from the store's clock.
    pub received: OffsetDateTime,
}

impl RequestContext {
    /// The context of the request this task serves (fresh ids outside of one, e.g. in unit tests).
    pub fn current() -> RequestContext {
        CURRENT.try_with(Clone::clone).unwrap_or_else(|_| {
            let id = uuid::Uuid::new_v4().to_string();
            RequestContext {
                request_id: id.clone(),
                client_request_id: id,
                received: OffsetDateTime::UNIX_EPOCH,
            }
        })
    }

    /// `innerError.date`: UTC, second precision, no offset, as Graph writes it.
    pub fn date_for_error(&self) -> String {
        let t = self.received;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

static REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
static CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
static ODATA_VERSION: HeaderName = HeaderName::from_static("odata-version");

/// Middleware: assigns the ids, runs the request inside their scope, sets the headers, logs a line.
pub async fn request_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = req
        .headers()
        .get(&CLIENT_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(|| request_id.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let received = state.store().clock().now();
    let ctx = RequestContext {
        request_id,
        client_request_id,
        received,
    };
    let mut resp = CURRENT.scope(ctx.clone(), next.run(req)).await;
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctx.request_id) {
        headers.insert(REQUEST_ID.clone(), v);
    }
    if let Ok(v) = HeaderValue::from_str(&ctx.client_request_id) {
        headers.insert(CLIENT_REQUEST_ID.clone(), v);
    }
    headers.insert(ODATA_VERSION.clone(), HeaderValue::from_static("4.0"));
    let took = started.elapsed();
    let route = crate::metrics::RouteTemplate::of(&resp);
    state.metrics().request(&method, route, resp.status(), took);
    tracing::info!(
        request_id = %ctx.request_id,
        client_request_id = %ctx.client_request_id,
        %method,
        %path,
        status = resp.status().as_u16(),
        micros = took.as_micros() as u64,
        "request"
    );
    resp
}
