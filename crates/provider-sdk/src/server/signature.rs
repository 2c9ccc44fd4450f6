//! The signature gate in front of every provider endpoint: the request target (path and query
//! exactly as on the request line, including any prefix the router is nested under), the raw body
//! bytes and the two `X-Secgraph-*` headers are checked with [`provider_protocol::signing::verify`]
//! against each of the provider's secrets before a handler runs. A call that fails is answered
//! `401` with a problem saying why; the body is read once here and handed on unchanged.

use super::problem::ProblemResponse;
use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use provider_protocol::signing::{self, SignatureError, SigningKey};
use std::sync::Arc;
use time::OffsetDateTime;

/// Largest request body read, in bytes; a larger one is answered `413`. secgraph's callbacks are
/// small (an alert update with its comments is a few kilobytes).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Verifies the call, then runs the rest of the stack with the body it read.
pub(crate) async fn verify_signature(
    State(keys): State<Arc<[SigningKey]>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return ProblemResponse::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body could not be read or is larger than {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    };
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let timestamp = header(signing::TIMESTAMP_HEADER);
    let signature = header(signing::SIGNATURE_HEADER);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let verdict = check(
        &keys,
        parts.method.as_str(),
        &target,
        &bytes,
        timestamp.as_deref(),
        signature.as_deref(),
        now,
    );
    if let Err(e) = verdict {
        tracing::warn!(%target, error = %e, "refused an unsigned or badly signed call");
        return ProblemResponse::new(
            StatusCode::UNAUTHORIZED,
            format!("{e}; secgraph signs every call with the provider's secret"),
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Accepts the call when it verifies with any of `keys` (the provider's current and, during a
/// rotation, its next secret); otherwise the error of the first key.
fn check(
    keys: &[SigningKey],
    method: &str,
    target: &str,
    body: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    now: i64,
) -> Result<(), SignatureError> {
    let mut first = None;
    for key in keys {
        match signing::verify(key, method, target, body, timestamp, signature, now) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    Err(first.unwrap_or(SignatureError::Mismatch))
}
