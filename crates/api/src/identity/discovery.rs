//! Discovery documents of a tenant's authority, shaped like Entra's v2.0 ones so MSAL and
//! azure-identity can use `https://host:port/<tenant>` as their authority: the OpenID configuration
//! (MSAL reads `issuer`, `authorization_endpoint` and `token_endpoint`) and the JWKS with the
//! published signing keys. The authorize endpoint exists because the configuration must name one;
//! secgraph issues app-only tokens, so it only explains that interactive flows are not served.

use super::oauth_error::{no_store_json, OAuthError};
use super::tenant_path;
use crate::request_context::RequestContext;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant's OpenID configuration.
pub async fn openid_configuration(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, OAuthError> {
    let tenant = tenant_path::resolve(&state, &tenant).await?;
    let identity = state.identity();
    let base = identity.audiences().public_base();
    let t = tenant.as_str();
    let doc = json!({
        "issuer": identity.issuer().issuer(t),
        "authorization_endpoint": format!("{base}/{t}/oauth2/v2.0/authorize"),
        "token_endpoint": identity.token_url(t),
        "jwks_uri": format!("{base}/{t}/discovery/v2.0/keys"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": identity.audiences().accepted_scopes(),
        "claims_supported": ["aud", "iss", "iat", "nbf", "exp", "appid", "azp", "azpacr",
            "app_displayname", "idtyp", "oid", "roles", "sub", "tid", "uti", "ver"],
        "request_uri_parameter_supported": false,
        "tenant_region_scope": null,
        "cloud_instance_name": "secgraph",
        "msgraph_host": host_of(base),
    });
    Ok(cacheable_json(&doc))
}

/// `GET /{tenant}/discovery/v2.0/keys`: the JWKS of every published signing key.
pub async fn keys(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, OAuthError> {
    tenant_path::resolve(&state, &tenant).await?;
    let keys = state.identity().keyring().fresh().await;
    Ok(cacheable_json(&auth::jwks(&keys.published)))
}

/// `GET|POST /{tenant}/oauth2/v2.0/authorize`: interactive flows are not served; answers Entra's
/// `unsupported_response_type` saying to use the client-credentials grant.
pub async fn authorize() -> Response {
    let ctx = RequestContext::current();
    let body = json!({
        "error": "unsupported_response_type",
        "error_description": format!(
            "AADSTS70000: secgraph issues app-only tokens: use the client_credentials grant at /{{tenant}}/oauth2/v2.0/token. Trace ID: {} Correlation ID: {}",
            ctx.request_id, ctx.client_request_id
        ),
        "error_codes": [70000],
        "trace_id": ctx.request_id,
        "correlation_id": ctx.client_request_id,
    });
    no_store_json(StatusCode::BAD_REQUEST, &body)
}

/// A JSON document clients may cache for an hour (keys are rotated far less often).
fn cacheable_json(doc: &serde_json::Value) -> Response {
    crate::response::plain_json(StatusCode::OK, doc, "max-age=3600, private")
}

/// `host[:port]` of a base URL.
fn host_of(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}
