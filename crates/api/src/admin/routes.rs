//! Handlers of the admin HTTP API: each reads its JSON body or query, runs the matching [`ops`]
//! operation and answers JSON (201 for creations, 204 for removals).

use super::ops;
use crate::body::JsonBody;
use crate::error::GraphError;
use crate::response::json_bytes;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

pub(super) fn json(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, json_bytes(body)).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// A body that may be empty (`null` then).
pub(super) fn optional_json(body: &[u8]) -> Result<Value, GraphError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| GraphError::bad_request(format!("The request body is not valid JSON: {e}.")))
}

/// Reads an optional string property of a JSON body.
fn text<'a>(body: &'a Value, name: &str) -> Result<Option<&'a str>, GraphError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(GraphError::bad_request(format!(
            "'{name}' must be a string"
        ))),
    }
}

/// Reads a required string property of a JSON body.
pub(super) fn required<'a>(body: &'a Value, name: &str) -> Result<&'a str, GraphError> {
    text(body, name)?.ok_or_else(|| GraphError::bad_request(format!("'{name}' is required")))
}

/// Reads an optional list of permission names.
fn permissions(body: &Value, name: &str) -> Result<Option<Vec<auth::Permission>>, GraphError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => {
            let names: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            let names = names.ok_or_else(|| {
                GraphError::bad_request(format!("'{name}' must be a list of permission names"))
            })?;
            Ok(Some(ops::parse_permissions(&names)?))
        }
        Some(_) => Err(GraphError::bad_request(format!(
            "'{name}' must be a list of permission names"
        ))),
    }
}

/// Query filters of the list routes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListFilter {
    home_tenant_id: Option<String>,
    tenant_id: Option<String>,
}

/// `GET /secgraph/admin/v1/tenants`: every tenant.
pub async fn list_tenants(State(s): State<AppState>) -> Result<Response, GraphError> {
    Ok(json(StatusCode::OK, &ops::list_tenants(s.store()).await?))
}

/// `POST /secgraph/admin/v1/tenants`: creates a tenant (`{displayName, id?}`).
pub async fn create_tenant(
    State(s): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let name = required(&body, "displayName")?;
    let created = ops::create_tenant(s.store(), name, text(&body, "id")?).await?;
    if let Some(id) = created.get("id").and_then(Value::as_str) {
        crate::audit::note_tenant(&model::TenantId(id.to_owned()));
    }
    Ok(json(StatusCode::CREATED, &created))
}

/// `GET /secgraph/admin/v1/apps[?homeTenantId=]`: registered applications with their secrets'
/// metadata.
pub async fn list_apps(
    State(s): State<AppState>,
    Query(f): Query<ListFilter>,
) -> Result<Response, GraphError> {
    let apps = ops::list_apps(s.store(), f.home_tenant_id.as_deref()).await?;
    Ok(json(StatusCode::OK, &apps))
}

/// `POST /secgraph/admin/v1/apps`: registers an application
/// (`{displayName, homeTenantId, multiTenant?, requestedPermissions}`).
pub async fn create_app(
    State(s): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let name = required(&body, "displayName")?;
    let home = required(&body, "homeTenantId")?;
    let multi = match body.get("multiTenant") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(GraphError::bad_request(
                "'multiTenant' must be true or false",
            ))
        }
    };
    let perms = permissions(&body, "requestedPermissions")?.unwrap_or_default();
    if let Ok(home) = ops::parse_tenant_id(home) {
        crate::audit::note_tenant(&home);
    }
    let app = ops::create_app(s.store(), home, name, multi, &perms).await?;
    Ok(json(StatusCode::CREATED, &app))
}

/// `POST /secgraph/admin/v1/apps/{clientId}/secrets`: adds a secret (`{expiresInDays?}`, default
/// 365); the answer's `secretText` is the only copy.
pub async fn add_secret(
    State(s): State<AppState>,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = optional_json(&body)?;
    let days = match body.get("expiresInDays") {
        None | Some(Value::Null) => ops::DEFAULT_SECRET_DAYS,
        Some(v) => v
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .ok_or_else(|| GraphError::bad_request("'expiresInDays' must be a whole number"))?,
    };
    let created = ops::add_secret(s.store(), &client_id, Some(days)).await?;
    Ok(json(StatusCode::CREATED, &created))
}

/// `DELETE /secgraph/admin/v1/apps/{clientId}/secrets/{secretId}`: removes a secret.
pub async fn remove_secret(
    State(s): State<AppState>,
    Path((client_id, secret_id)): Path<(String, String)>,
) -> Result<StatusCode, GraphError> {
    ops::remove_secret(s.store(), &client_id, &secret_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /secgraph/admin/v1/consents[?tenantId=]`: consents.
pub async fn list_consents(
    State(s): State<AppState>,
    Query(f): Query<ListFilter>,
) -> Result<Response, GraphError> {
    let consents = ops::list_consents(s.store(), f.tenant_id.as_deref()).await?;
    Ok(json(StatusCode::OK, &consents))
}

/// `PUT /secgraph/admin/v1/tenants/{tenantId}/consents/{clientId}`: grants consent
/// (`{permissions?}`; every requested permission when absent).
pub async fn grant_consent(
    State(s): State<AppState>,
    Path((tenant, client_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let perms = permissions(&optional_json(&body)?, "permissions")?;
    let consent = ops::grant_consent(s.store(), &tenant, &client_id, perms.as_deref()).await?;
    Ok(json(StatusCode::OK, &consent))
}

/// `DELETE /secgraph/admin/v1/tenants/{tenantId}/consents/{clientId}`: revokes consent.
pub async fn revoke_consent(
    State(s): State<AppState>,
    Path((tenant, client_id)): Path<(String, String)>,
) -> Result<StatusCode, GraphError> {
    ops::revoke_consent(s.store(), &tenant, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /secgraph/admin/v1/signing-keys`: every signing key.
pub async fn list_signing_keys(State(s): State<AppState>) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::list_signing_keys(s.store()).await?,
    ))
}

/// `POST /secgraph/admin/v1/signing-keys/rotate`: a new active key; this node uses it at once,
/// others when they first see a token it signed.
pub async fn rotate_signing_key(State(s): State<AppState>) -> Result<Response, GraphError> {
    let rotated = ops::rotate_signing_key(s.store()).await?;
    s.identity()
        .keyring()
        .reload()
        .await
        .map_err(GraphError::internal)?;
    Ok(json(StatusCode::OK, &rotated))
}

/// `DELETE /secgraph/admin/v1/signing-keys/{kid}`: retires a key; this node refuses its tokens at
/// once, others when they next re-read the keys.
pub async fn retire_signing_key(
    State(s): State<AppState>,
    Path(kid): Path<String>,
) -> Result<StatusCode, GraphError> {
    ops::retire_signing_key(s.store(), &kid).await?;
    s.identity()
        .keyring()
        .reload()
        .await
        .map_err(GraphError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
