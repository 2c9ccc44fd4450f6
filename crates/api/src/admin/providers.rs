//! Admin HTTP handlers of the provider registry (`/secgraph/admin/v1/providers`); each runs the
//! matching [`provider_ops`](super::provider_ops) operation.

use super::provider_ops as ops;
use super::routes::{json, optional_json, required};
use crate::error::GraphError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

/// `allowPrivateAddresses` of a body, when present.
fn allow_private(body: &Value) -> Result<Option<bool>, GraphError> {
    match body.get("allowPrivateAddresses") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(GraphError::bad_request(
            "'allowPrivateAddresses' must be true or false",
        )),
    }
}

/// The `manifest` object of a body.
fn manifest(body: &Value) -> Result<Value, GraphError> {
    match body.get("manifest") {
        Some(m @ Value::Object(_)) => Ok(m.clone()),
        _ => Err(GraphError::bad_request(
            "'manifest' is required: the provider manifest object (see docs/provider-protocol.md)",
        )),
    }
}

/// `GET /secgraph/admin/v1/providers`: every provider.
pub async fn list_providers(State(s): State<AppState>) -> Result<Response, GraphError> {
    Ok(json(StatusCode::OK, &ops::list_providers(s.store()).await?))
}

/// `POST /secgraph/admin/v1/providers` `{clientId, manifest, allowPrivateAddresses?}`: registers a
/// provider; the answer carries its signing secret, once.
pub async fn register_provider(
    State(s): State<AppState>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = optional_json(&body)?;
    let client_id = required(&body, "clientId")?;
    let allow = allow_private(&body)?.unwrap_or(false);
    let created = ops::register_provider(s.store(), client_id, manifest(&body)?, allow).await?;
    Ok(json(StatusCode::CREATED, &created))
}

/// `GET /secgraph/admin/v1/providers/{id}`: one provider.
pub async fn get_provider(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::get_provider(s.store(), &id).await?,
    ))
}

/// `PUT /secgraph/admin/v1/providers/{id}` `{manifest, allowPrivateAddresses?}`: replaces the
/// manifest (the name stays).
pub async fn update_provider(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = optional_json(&body)?;
    let updated =
        ops::update_provider(s.store(), &id, manifest(&body)?, allow_private(&body)?).await?;
    Ok(json(StatusCode::OK, &updated))
}

/// `DELETE /secgraph/admin/v1/providers/{id}`: removes a provider.
pub async fn delete_provider(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, GraphError> {
    ops::delete_provider(s.store(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /secgraph/admin/v1/providers/{id}/secrets/rotate`: a new signing secret (shown once).
pub async fn rotate_secret(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, GraphError> {
    let rotated = ops::rotate_provider_secret(s.store(), &id).await?;
    Ok(json(StatusCode::CREATED, &rotated))
}

/// `POST /secgraph/admin/v1/providers/{id}/secrets/retire`: only the newest secret stays.
pub async fn retire_secrets(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::retire_provider_secrets(s.store(), &id).await?,
    ))
}

/// `GET /secgraph/admin/v1/tenants/{tenantId}/providers`: each provider's health in the tenant.
pub async fn tenant_health(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::provider_health(s.store(), &tenant).await?,
    ))
}
