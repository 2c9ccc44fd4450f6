//! The body of every refusal the provider router writes: an RFC 9457 problem document
//! (`application/problem+json`) whose `detail` says what was wrong and, for a refused envelope,
//! a `problems` member listing each one with the member it names. secgraph logs it; a person
//! debugging a provider reads it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use provider_protocol::Problem;
use serde_json::{json, Value};

/// The media type of the refusal body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// A refusal: status, one sentence of detail, and the envelope's problems when there are some.
#[derive(Debug, Clone)]
pub(crate) struct ProblemResponse {
    status: StatusCode,
    detail: String,
    problems: Vec<Problem>,
}

impl ProblemResponse {
    /// A refusal with `status` and `detail`.
    pub(crate) fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ProblemResponse {
            status,
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    /// A `400` listing every problem of a refused envelope.
    pub(crate) fn invalid(problems: Vec<Problem>) -> Self {
        let detail = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ProblemResponse {
            status: StatusCode::BAD_REQUEST,
            detail: format!("the body was refused: {detail}"),
            problems,
        }
    }

    fn body(&self) -> Value {
        let mut body = json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.problems.is_empty() {
            body["problems"] = self
                .problems
                .iter()
                .map(|p| json!({"path": p.path, "message": p.message}))
                .collect();
        }
        body
    }
}

impl IntoResponse for ProblemResponse {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        response
    }
}
