//! The admin HTTP handlers of secure score (under `/secgraph/admin/v1`), each running the
//! [`super::secure_score_ops`] operation that `secgraph secure-score …` runs:
//!
//! | method and path | does |
//! | --- | --- |
//! | `GET /secureScore/controls` | the control catalogue |
//! | `POST /secureScore/snapshots` `{retentionDays?}` | computes every tenant's snapshot of today now; deletes snapshots past `retentionDays` when given |
//! | `GET`, `PATCH /tenants/{tenantId}/secureScore/settings` `{licensedUserCount?, activeUserCount?, industry?}` | a tenant's settings (`null` clears one) |
//! | `GET`, `POST /tenants/{tenantId}/secureScore/controlStates` `{controls: [...]}` | the control states reported for a tenant / report some (tenants without providers) |
//! | `POST /tenants/{tenantId}/secureScore/snapshots` | computes the tenant's snapshot of today now and answers it |

use super::routes::{json, optional_json};
use super::secure_score_ops as ops;
use crate::body::JsonBody;
use crate::error::GraphError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

/// `GET /secgraph/admin/v1/secureScore/controls`: the control catalogue.
pub async fn get_catalogue() -> Result<Response, GraphError> {
    Ok(json(StatusCode::OK, &ops::catalogue()?))
}

/// `POST /secgraph/admin/v1/secureScore/snapshots`: computes every tenant's snapshot now
/// (`{retentionDays?}`; the body may be empty).
pub async fn compute_all(State(s): State<AppState>, body: Bytes) -> Result<Response, GraphError> {
    let body = optional_json(&body)?;
    let days = match body.get("retentionDays") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                GraphError::bad_request("'retentionDays' must be a whole number of days")
            })?,
    };
    Ok(json(
        StatusCode::OK,
        &ops::compute_all(s.store(), days).await?,
    ))
}

/// `GET /secgraph/admin/v1/tenants/{tenantId}/secureScore/settings`.
pub async fn get_settings(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::settings(s.store(), &tenant).await?,
    ))
}

/// `PATCH /secgraph/admin/v1/tenants/{tenantId}/secureScore/settings`: changes the given settings.
pub async fn update_settings(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let change = ops::parse_settings_change(&body)?;
    let out = ops::update_settings(s.store(), &tenant, change).await?;
    Ok(json(StatusCode::OK, &out))
}

/// `GET /secgraph/admin/v1/tenants/{tenantId}/secureScore/controlStates`.
pub async fn list_control_states(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::control_states(s.store(), &tenant).await?,
    ))
}

/// `POST /secgraph/admin/v1/tenants/{tenantId}/secureScore/controlStates`: reports control states
/// for the tenant; answers every state reported for it.
pub async fn report_control_states(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let out = ops::report_control_states(s.store(), &tenant, body).await?;
    Ok(json(StatusCode::OK, &out))
}

/// `POST /secgraph/admin/v1/tenants/{tenantId}/secureScore/snapshots`: computes the tenant's
/// snapshot now; answers the `secureScore`.
pub async fn compute_snapshot(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    Ok(json(
        StatusCode::OK,
        &ops::compute_snapshot(s.store(), &tenant).await?,
    ))
}
