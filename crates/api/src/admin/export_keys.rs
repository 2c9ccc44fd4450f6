//! Indicator export keys, for both admin surfaces: the operations (`create_export_key`,
//! `list_export_keys`, `revoke_export_key`) that `secgraph indicators export-key …` runs on the
//! store, and the admin HTTP handlers that run the same ones:
//!
//! | method and path (under `/secgraph/admin/v1`) | does |
//! | --- | --- |
//! | `GET /tenants/{tenantId}/export-keys` | list (id, hint, description, created, revoked) |
//! | `POST /tenants/{tenantId}/export-keys` `{description?}` | create; `key` is in this answer only (201) |
//! | `DELETE /tenants/{tenantId}/export-keys/{keyId}` | revoke at once; answers the revoked key (200) |
//!
//! The JSON never carries a key's hash, and carries the key itself only when it is created.

use super::ops::{parse_tenant_id, AdminError};
use crate::error::GraphError;
use crate::response::json_bytes;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::datetime;
use serde_json::{json, Value};
use store::indicators::ExportKey;
use store::Store;

/// Creates an export key for `tenant`. The answer's `key` is the only copy.
pub async fn create_export_key(
    store: &Store,
    tenant: &str,
    description: Option<&str>,
) -> Result<Value, AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    let created = store
        .tenant(&tenant)
        .export_keys()
        .create(description.unwrap_or(""))
        .await?;
    let mut out = key_json(&created.record);
    out["key"] = json!(created.key);
    Ok(out)
}

/// The export keys of `tenant`, revoked ones included, oldest first.
pub async fn list_export_keys(store: &Store, tenant: &str) -> Result<Value, AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    require_tenant(store, &tenant).await?;
    let keys = store.tenant(&tenant).export_keys().list().await?;
    Ok(Value::from(keys.iter().map(key_json).collect::<Vec<_>>()))
}

/// Revokes export key `key_id` of `tenant`: polls with it get 401 from now on.
pub async fn revoke_export_key(
    store: &Store,
    tenant: &str,
    key_id: &str,
) -> Result<Value, AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    require_tenant(store, &tenant).await?;
    match store.tenant(&tenant).export_keys().revoke(key_id).await? {
        Some(key) => Ok(key_json(&key)),
        None => Err(AdminError::NotFound(format!(
            "tenant {tenant} has no export key with the id '{key_id}'; list them with 'secgraph indicators export-key list --tenant {tenant}'"
        ))),
    }
}

/// `Ok` when `tenant` exists, else a 404 naming it.
pub(super) async fn require_tenant(
    store: &Store,
    tenant: &model::TenantId,
) -> Result<(), AdminError> {
    match store.identity().get_tenant(tenant).await? {
        Some(_) => Ok(()),
        None => Err(AdminError::NotFound(format!(
            "no tenant has the id '{tenant}'"
        ))),
    }
}

fn key_json(k: &ExportKey) -> Value {
    json!({
        "id": k.id,
        "tenantId": k.tenant_id.as_str(),
        "hint": k.hint,
        "description": k.description,
        "createdDateTime": datetime::format(k.created),
        "revokedDateTime": k.revoked.map(datetime::format),
    })
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, json_bytes(body)).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// `GET /secgraph/admin/v1/tenants/{tenantId}/export-keys`: the tenant's export keys.
pub async fn list_keys(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    let keys = list_export_keys(s.store(), &tenant).await?;
    Ok(json_response(StatusCode::OK, &keys))
}

/// `POST /secgraph/admin/v1/tenants/{tenantId}/export-keys`: creates a key (`{description?}`; the
/// body may be empty); 201 with the key, shown this once.
pub async fn create_key(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            GraphError::bad_request(format!("The request body is not valid JSON: {e}."))
        })?
    };
    if !matches!(body, Value::Null | Value::Object(_)) {
        return Err(GraphError::bad_request(
            "The request body must be a JSON object such as {\"description\": \"edge firewall\"}.",
        ));
    }
    let description =
        match body.get("description") {
            None | Some(Value::Null) => None,
            Some(Value::String(d)) => Some(d.as_str()),
            Some(_) => return Err(GraphError::bad_request(
                "'description' must be a string (where the key is used, e.g. \"edge firewall\")",
            )),
        };
    if let Some(other) = body
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "description"))
    {
        return Err(GraphError::bad_request(format!(
            "Unknown property '{other}'; an export key takes only 'description'."
        )));
    }
    let created = create_export_key(s.store(), &tenant, description).await?;
    Ok(json_response(StatusCode::CREATED, &created))
}

/// `DELETE /secgraph/admin/v1/tenants/{tenantId}/export-keys/{keyId}`: revokes a key at once;
/// 200 with the revoked key.
pub async fn revoke_key(
    State(s): State<AppState>,
    Path((tenant, key_id)): Path<(String, String)>,
) -> Result<Response, GraphError> {
    let revoked = revoke_export_key(s.store(), &tenant, &key_id).await?;
    Ok(json_response(StatusCode::OK, &revoked))
}
