//! `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant of the Microsoft identity
//! platform v2.0. An app gets a token for a tenant only when that tenant granted it consent, and
//! only with the permissions granted; the secret must match one of the app's unexpired secrets. The
//! store is read on every request, so revoking consent or removing a secret stops new tokens at
//! once (tokens already issued stay valid until their `exp`).

use super::oauth_error::{no_store_json, OAuthError, OAuthFailure};
use super::tenant_path;
use super::token_request::TokenRequest;
use crate::state::AppState;
use auth::{AppGrant, Permission, ScopeError};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use model::TenantId;
use serde_json::json;

/// `POST /{tenant}/oauth2/v2.0/token`: issues an app-only access token (client credentials, secret
/// in the form or in HTTP Basic). A refusal for a tenant that exists is recorded in that tenant's
/// audit log (the presented client id and the error, never the secret).
pub async fn issue_token(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let tenant = tenant_path::resolve(&state, &tenant).await?;
    let issued = issue(&state, &tenant, &headers, &body).await;
    if let Err(e) = &issued {
        let presented = TokenRequest::parse(&headers, &body).ok();
        let (client_id, scope) = match presented {
            Some(r) => (Some(r.client_id), Some(r.scope)),
            None => (None, None),
        };
        let path = uri.path();
        crate::audit::token_failure(&state, &tenant, path, client_id, scope, &e.failure).await;
    }
    issued
}

/// Issues the token for `tenant` (which exists), or says why not.
async fn issue(
    state: &AppState,
    tenant: &TenantId,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let req = TokenRequest::parse(headers, body)?;
    let fail = |failure: OAuthFailure| OAuthError {
        failure,
        basic: req.basic,
    };
    state
        .identity()
        .audiences()
        .resource_of_scope(&req.scope)
        .map_err(|e| fail(scope_failure(e, tenant)))?;
    let client_id = uuid::Uuid::parse_str(&req.client_id)
        .map_err(|_| fail(OAuthFailure::InvalidClientId(req.client_id.clone())))?
        .hyphenated()
        .to_string();
    let grant = authenticate_client(state, tenant, &client_id, &req.client_secret)
        .await
        .map_err(fail)?;
    let identity = state.identity();
    let now = state.store().clock().now();
    let claims = identity.issuer().claims(
        &AppGrant {
            tenant_id: tenant.as_str(),
            client_id: &client_id,
            app_display_name: Some(&grant.display_name),
            roles: &grant.roles,
        },
        now,
    );
    let key = identity.keyring().fresh().await;
    let token = identity
        .issuer()
        .issue(&key.active, &claims)
        .map_err(|e| fail(OAuthFailure::Unavailable(e.to_string())))?;
    Ok(token_response(&token, identity.issuer().lifetime()))
}

/// The success body. `expires_in` is a second short of the lifetime, as Entra answers (3599 for
/// an hour), so a client refreshes before `exp`.
fn token_response(token: &str, lifetime: time::Duration) -> Response {
    let expires_in = (lifetime.whole_seconds() - 1).max(1);
    no_store_json(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": expires_in,
            "ext_expires_in": expires_in,
            "access_token": token,
        }),
    )
}

/// Any other method on the token endpoint: Entra's `AADSTS900561`.
pub async fn wrong_method(method: Method) -> OAuthError {
    OAuthFailure::MethodNotAllowed(method.to_string()).into()
}

/// What a successful client authentication yields.
struct Grant {
    display_name: String,
    roles: Vec<Permission>,
}

/// Checks that the app exists, the tenant consented to it, and the secret is one of its unexpired
/// secrets; yields the granted permissions.
async fn authenticate_client(
    state: &AppState,
    tenant: &TenantId,
    client_id: &str,
    secret: &str,
) -> Result<Grant, OAuthFailure> {
    let not_in_tenant = || OAuthFailure::AppNotInTenant {
        client_id: client_id.to_owned(),
        tenant: tenant.as_str().to_owned(),
    };
    let found = state
        .store()
        .identity()
        .token_lookup(tenant, client_id)
        .await
        .map_err(|e| OAuthFailure::Unavailable(e.to_string()))?
        .ok_or_else(not_in_tenant)?;
    let consent = found.consent.ok_or_else(not_in_tenant)?;
    let now = state.store().clock().now();
    let matching: Vec<_> = found
        .secrets
        .iter()
        .filter(|s| s.hash.verify(secret))
        .collect();
    if matching.is_empty() {
        return Err(OAuthFailure::InvalidSecret(client_id.to_owned()));
    }
    if !matching
        .iter()
        .any(|s| s.expires.is_none_or(|exp| exp > now))
    {
        return Err(OAuthFailure::ExpiredSecret(client_id.to_owned()));
    }
    Ok(Grant {
        display_name: found.app.display_name,
        roles: consent.permissions,
    })
}

fn scope_failure(e: ScopeError, tenant: &TenantId) -> OAuthFailure {
    match e {
        ScopeError::Missing => OAuthFailure::MissingParameter("scope"),
        ScopeError::Multiple(s) => OAuthFailure::MultipleScopes(s),
        ScopeError::NotDefault(s) => OAuthFailure::InvalidScope(s),
        ScopeError::UnknownResource(resource) => OAuthFailure::UnknownResource {
            resource,
            tenant: tenant.as_str().to_owned(),
        },
    }
}
