//! Errors of the token endpoint, in the Microsoft identity platform's shape rather than Graph's (a
//! different wire contract, read by MSAL and azure-identity):
//! `{"error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"}`.
//!
//! Each failure is one [`OAuthFailure`] variant with Entra's `error` value, HTTP status and `AADSTS`
//! code, written here once. `error_description` starts with the code (`AADSTS7000215: …`) and ends
//! with the trace and correlation ids and the time, as Entra's do; clients branch on `error` and
//! `error_codes`, never on the text.

use crate::request_context::RequestContext;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a token request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthFailure {
    /// A required form parameter is missing (`AADSTS900144`).
    MissingParameter(&'static str),
    /// A `grant_type` other than `client_credentials` (`AADSTS70003`).
    UnsupportedGrantType(String),
    /// The tenant path segment is not a GUID (`AADSTS900023`).
    InvalidTenant(String),
    /// No tenant with that id (`AADSTS90002`).
    TenantNotFound(String),
    /// The method is not POST (`AADSTS900561`).
    MethodNotAllowed(String),
    /// Client credentials sent twice, for different clients (`AADSTS90014`).
    ConflictingClientIds,
    /// The HTTP Basic header cannot be decoded (`AADSTS90014`).
    MalformedBasicAuth,
    /// `client_id` is not a GUID (`AADSTS700038`).
    InvalidClientId(String),
    /// The app is unknown, or the tenant has not consented to it (`AADSTS700016`).
    AppNotInTenant {
        /// The client id asked for.
        client_id: String,
        /// The tenant asked for.
        tenant: String,
    },
    /// No `client_secret` (`AADSTS7000216`).
    MissingSecret,
    /// The secret matches none of the app's secrets (`AADSTS7000215`).
    InvalidSecret(String),
    /// The secret matches only expired secrets (`AADSTS7000222`).
    ExpiredSecret(String),
    /// The scope is not `<resource>/.default` (`AADSTS1002012`).
    InvalidScope(String),
    /// More than one scope (`AADSTS70011`).
    MultipleScopes(String),
    /// `<resource>/.default` for a resource we do not serve (`AADSTS500011`).
    UnknownResource {
        /// The resource named by the scope.
        resource: String,
        /// The tenant asked for.
        tenant: String,
    },
    /// The store failed (`AADSTS90033`, 503): logged, never shown.
    Unavailable(String),
}

impl OAuthFailure {
    /// `(HTTP status, error, AADSTS code)`.
    pub fn parts(&self) -> (StatusCode, &'static str, u32) {
        use OAuthFailure::*;
        let bad = StatusCode::BAD_REQUEST;
        let unauthorized = StatusCode::UNAUTHORIZED;
        match self {
            MissingParameter(_) => (bad, "invalid_request", 900144),
            UnsupportedGrantType(_) => (bad, "unsupported_grant_type", 70003),
            InvalidTenant(_) => (bad, "invalid_request", 900023),
            TenantNotFound(_) => (bad, "invalid_request", 90002),
            MethodNotAllowed(_) => (bad, "invalid_request", 900561),
            ConflictingClientIds | MalformedBasicAuth => (bad, "invalid_request", 90014),
            InvalidClientId(_) => (bad, "unauthorized_client", 700038),
            AppNotInTenant { .. } => (bad, "unauthorized_client", 700016),
            MissingSecret => (unauthorized, "invalid_client", 7000216),
            InvalidSecret(_) => (unauthorized, "invalid_client", 7000215),
            ExpiredSecret(_) => (unauthorized, "invalid_client", 7000222),
            InvalidScope(_) => (bad, "invalid_scope", 1002012),
            MultipleScopes(_) => (bad, "invalid_scope", 70011),
            UnknownResource { .. } => (bad, "invalid_resource", 500011),
            Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                90033,
            ),
        }
    }

    /// The description for the client (without the `AADSTS` prefix and the trailing ids).
    pub fn description(&self) -> String {
        use OAuthFailure::*;
        match self {
            MissingParameter(p) => format!("The request body must contain the following parameter: '{p}'."),
            UnsupportedGrantType(g) => format!("The app requested an unsupported grant type '{g}'. This server issues tokens for the 'client_credentials' grant only."),
            InvalidTenant(t) => format!("Specified tenant identifier '{t}' is not a valid tenant id. Use the tenant's GUID (see `secgraph tenant list`)."),
            TenantNotFound(t) => format!("Tenant '{t}' not found. Check to make sure you have the correct tenant ID."),
            MethodNotAllowed(m) => format!("The endpoint only accepts POST requests. Received a {m} request."),
            ConflictingClientIds => "The request carries client credentials in both the Authorization header and the body, for different client ids. Send them once.".to_owned(),
            MalformedBasicAuth => "The Authorization header is not valid HTTP Basic credentials (base64 of client_id:client_secret).".to_owned(),
            InvalidClientId(c) => format!("Application identifier '{c}' is not valid: client ids are GUIDs."),
            AppNotInTenant { client_id, tenant } => format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been granted admin consent by the tenant (`secgraph consent grant`)."),
            MissingSecret => "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".to_owned(),
            InvalidSecret(c) => format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{c}'."),
            ExpiredSecret(c) => format!("The provided client secret keys for app '{c}' are expired. Add a new secret (`secgraph app add-secret`)."),
            InvalidScope(s) => format!("The provided value for scope '{s}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."),
            MultipleScopes(s) => format!("The provided value for the input parameter 'scope' is not valid. The scope '{s}' names more than one resource; ask for one '<resource>/.default'."),
            UnknownResource { resource, tenant } => format!("The resource principal named '{resource}' was not found in the tenant named '{tenant}'. Use https://graph.microsoft.com/.default or this server's base URL followed by /.default."),
            Unavailable(_) => "The service is temporarily unavailable; retry shortly.".to_owned(),
        }
    }
}

/// A token-endpoint error response.
#[derive(Debug)]
pub struct OAuthError {
    /// What failed.
    pub failure: OAuthFailure,
    /// Whether the client authenticated with HTTP Basic (a 401 then carries `WWW-Authenticate: Basic`).
    pub basic: bool,
}

impl From<OAuthFailure> for OAuthError {
    fn from(failure: OAuthFailure) -> Self {
        OAuthError {
            failure,
            basic: false,
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let (status, error, code) = self.failure.parts();
        let ctx = RequestContext::current();
        let timestamp = timestamp(&ctx);
        if let OAuthFailure::Unavailable(cause) = &self.failure {
            tracing::error!(request_id = %ctx.request_id, cause = %cause, "token endpoint failed");
        } else {
            tracing::debug!(request_id = %ctx.request_id, error, code, "token request refused");
        }
        let description = format!(
            "AADSTS{code}: {} Trace ID: {} Correlation ID: {} Timestamp: {timestamp}",
            self.failure.description(),
            ctx.request_id,
            ctx.client_request_id
        );
        let body = json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": ctx.request_id,
            "correlation_id": ctx.client_request_id,
        });
        let mut resp = no_store_json(status, &body);
        if self.basic && status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"secgraph\""),
            );
        }
        resp
    }
}

/// A JSON response that caches must not keep (token responses and their errors).
pub fn no_store_json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut resp = crate::response::plain_json(status, body, "no-store, no-cache");
    resp.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

/// Entra's `timestamp`: `YYYY-MM-DD hh:mm:ssZ`.
fn timestamp(ctx: &RequestContext) -> String {
    format!("{}Z", ctx.date_for_error().replace('T', " "))
}
