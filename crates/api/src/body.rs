//! Request-body and path extractors whose rejections are Graph errors that say what to fix (design
//! rule 2): no axum rejection ever reaches a client as plain text.

use crate::error::{ErrorCode, GraphError};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{header, request::Parts};
use serde_json::Value;

/// A JSON request body, parsed to a value (typed parsing, with property-level messages, happens in
/// `model`). Accepts `application/json` with any parameters, no `Content-Type`, and JSON sent as
/// `application/x-www-form-urlencoded` (Microsoft's Node sample does that and Graph reads it as JSON).
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl FromRequest<AppState> for JsonBody {
    type Rejection = GraphError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, GraphError> {
        let limit = state.config().max_body_bytes;
        check_media_type(req.headers().get(header::CONTENT_TYPE))?;
        if let Some(len) = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        {
            if len > limit {
                return Err(too_large(limit));
            }
        }
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|e| {
                if is_length_limit(&e) {
                    too_large(limit)
                } else {
                    GraphError::bad_request("The request body could not be read completely.")
                        .with_log(e)
                }
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(GraphError::bad_request(
                "The request body is empty; send a JSON object.",
            ));
        }
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            GraphError::bad_request(format!(
                "The request body is not valid JSON: {e} (line {}, column {}).",
                e.line(),
                e.column()
            ))
        })
    }
}

fn check_media_type(value: Option<&header::HeaderValue>) -> Result<(), GraphError> {
    let Some(value) = value else { return Ok(()) };
    let text = value.to_str().unwrap_or("");
    let essence = text.split(';').next().unwrap_or("").trim();
    let ok = essence.is_empty()
        || essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("text/json")
        || essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        || essence.eq_ignore_ascii_case("text/plain")
        || (essence.len() > 5 && essence[essence.len() - 5..].eq_ignore_ascii_case("+json"));
    if ok {
        Ok(())
    } else {
        Err(GraphError::new(
            ErrorCode::UnsupportedMediaType,
            format!("Content-Type '{text}' is not supported; send the body as application/json."),
        ))
    }
}

fn too_large(limit: usize) -> GraphError {
    GraphError::new(
        ErrorCode::RequestEntityTooLarge,
        format!(
            "The request body is larger than the {limit}-byte limit; send fewer items per request."
        ),
    )
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// The entity key captured from the path, percent-decoded.
#[derive(Debug, Clone)]
pub struct EntityKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for EntityKey {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, GraphError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                GraphError::bad_request(format!("The id in the path is not valid: {e}."))
            })?;
        if id.is_empty() {
            return Err(GraphError::bad_request("The id in the path is empty."));
        }
        Ok(EntityKey(id))
    }
}

impl GraphError {
    /// Adds a cause for the log.
    pub fn with_log(mut self, cause: impl std::fmt::Display) -> Self {
        self.log = Some(cause.to_string());
        self
    }
}
