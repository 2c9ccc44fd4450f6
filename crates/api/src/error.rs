//! The one Graph error type: a table of codes and statuses, and one `IntoResponse` that writes
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
//!
//! Every failure carries two messages (design rule 3): `message` for the client, which says what to fix,
//! and an optional `log` cause that is logged with the request id and never shown.

use crate::request_context::RequestContext;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Graph error codes we emit, each with its HTTP status. The wire code is written here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 400: malformed request, bad query option, validation failure.
    BadRequest,
    /// 401: missing, malformed, expired or unverifiable token.
    InvalidAuthenticationToken,
    /// 403: authenticated, but the token does not carry a permission the operation needs.
    AccessDenied,
    /// 404: the addressed entity does not exist (in the caller's tenant).
    ItemNotFound,
    /// 405: the resource exists but does not support the method.
    MethodNotAllowed,
    /// 406: the `Accept` header excludes JSON.
    NotAcceptable,
    /// 413: the request body exceeds the documented limit.
    RequestEntityTooLarge,
    /// 415: a body with a media type other than JSON.
    UnsupportedMediaType,
    /// 424: inside a batch, a request whose `dependsOn` request failed (it was not run).
    FailedDependency,
    /// 429: throttled; the response carries `Retry-After`.
    TooManyRequests,
    /// 500: an internal failure (the cause is logged, never shown).
    GeneralException,
    /// 503: the service is shutting down or the store is unavailable.
    ServiceNotAvailable,
}

impl ErrorCode {
    /// The HTTP status and the wire `code`.
    pub const fn parts(self) -> (StatusCode, &'static str) {
        match self {
            ErrorCode::BadRequest => (StatusCode::BAD_REQUEST, "BadRequest"),
            ErrorCode::InvalidAuthenticationToken => {
                (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
            }
            ErrorCode::AccessDenied => (StatusCode::FORBIDDEN, "accessDenied"),
            ErrorCode::ItemNotFound => (StatusCode::NOT_FOUND, "itemNotFound"),
            ErrorCode::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "notAllowed"),
            ErrorCode::NotAcceptable => (StatusCode::NOT_ACCEPTABLE, "notAcceptable"),
            ErrorCode::RequestEntityTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLarge")
            }
            ErrorCode::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType")
            }
            ErrorCode::FailedDependency => (StatusCode::FAILED_DEPENDENCY, "FailedDependency"),
            ErrorCode::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests"),
            ErrorCode::GeneralException => (StatusCode::INTERNAL_SERVER_ERROR, "generalException"),
            ErrorCode::ServiceNotAvailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "serviceNotAvailable")
            }
        }
    }
}

/// A Graph error response.
#[derive(Debug)]
pub struct GraphError {
    /// Which error.
    pub code: ErrorCode,
    /// For the client: what is wrong and what to fix.
    pub message: String,
    /// A more specific code for `innerError.code` (e.g. `invalidQueryOption`).
    pub inner_code: Option<&'static str>,
    /// For the log only.
    pub log: Option<String>,
    /// `Retry-After` seconds (429/503).
    pub retry_after: Option<u64>,
    /// `WWW-Authenticate` challenge (401).
    pub www_authenticate: Option<String>,
    /// One more `innerError` member (e.g. `/readyz`'s `notReady` list).
    pub inner_detail: Option<Box<(&'static str, serde_json::Value)>>,
}

impl GraphError {
    /// A new error with a client message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        GraphError {
            code,
            message: message.into(),
            inner_code: None,
            log: None,
            retry_after: None,
            www_authenticate: None,
            inner_detail: None,
        }
    }

    /// 400 `BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    /// 404 `itemNotFound` for an entity id.
    pub fn not_found(entity: &str, id: &str) -> Self {
        Self::new(
            ErrorCode::ItemNotFound,
            format!("No {entity} with id '{id}' exists in this tenant."),
        )
    }

    /// 500 with a cause that is logged, not shown.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            ErrorCode::GeneralException,
            "An internal error occurred; quote the request-id when reporting it.",
        );
        e.log = Some(cause.to_string());
        e
    }

    /// Adds the `innerError` member `key`.
    pub fn with_inner_detail(mut self, key: &'static str, value: serde_json::Value) -> Self {
        self.inner_detail = Some(Box::new((key, value)));
        self
    }

    /// Adds `innerError.code`.
    pub fn with_inner_code(mut self, code: &'static str) -> Self {
        self.inner_code = Some(code);
        self
    }
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.parts().1, self.message)
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let (status, code) = self.code.parts();
        let ctx = RequestContext::current();
        if status.is_server_error() {
            tracing::error!(request_id = %ctx.request_id, code, cause = self.log.as_deref().unwrap_or(""), "{}", self.message);
        } else if let Some(log) = &self.log {
            tracing::debug!(request_id = %ctx.request_id, code, cause = %log, "{}", self.message);
        }
        let mut inner = json!({
            "date": ctx.date_for_error(),
            "request-id": ctx.request_id,
            "client-request-id": ctx.client_request_id,
        });
        if let Some(detail) = self.inner_detail {
            let (key, value) = *detail;
            inner[key] = value;
        }
        if let Some(c) = self.inner_code {
            inner["code"] = json!(c);
        }
        if self.code == ErrorCode::TooManyRequests {
            // Graph's throttling body repeats the status inside innerError.
            inner["status"] = json!(status.as_str());
        }
        let body = json!({"error": {"code": code, "message": self.message, "innerError": inner}});
        let mut resp = (status, crate::response::json_bytes(&body)).into_response();
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(crate::response::JSON_CONTENT_TYPE),
        );
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(challenge) = self
            .www_authenticate
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
        {
            headers.insert(header::WWW_AUTHENTICATE, challenge);
        }
        resp
    }
}

impl From<odata::ODataError> for GraphError {
    fn from(e: odata::ODataError) -> Self {
        GraphError::bad_request(e.to_string()).with_inner_code("invalidQueryOption")
    }
}

impl From<store::StoreError> for GraphError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Rejected(m) => GraphError::bad_request(m),
            store::StoreError::InvalidSkipToken(m) => GraphError::bad_request(format!(
                "The $skiptoken is not valid for this query ({m}); follow @odata.nextLink exactly as returned."
            ))
            .with_inner_code("invalidQueryOption"),
            store::StoreError::InvalidQuery(m) => {
                GraphError::bad_request(m).with_inner_code("invalidQueryOption")
            }
            other => GraphError::internal(other),
        }
    }
}
