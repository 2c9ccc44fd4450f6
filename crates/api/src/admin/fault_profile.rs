//! The admin routes of a tenant's emulator fault profile (`store::faults`, `docs/emulator.md`):
//!
//! | method and path (under `/secgraph/admin/v1`) | does |
//! | --- | --- |
//! | `GET /tenants/{tenantId}/faultProfile` | the profile, its version, and how many notifications it dropped (404 without one) |
//! | `PUT /tenants/{tenantId}/faultProfile` `{seed?, throttle?, unavailable?, latency?, partialContent?, webhooks?}` | sets it; the counters start again from 0 |
//! | `DELETE /tenants/{tenantId}/faultProfile` | removes it: the tenant's traffic is served normally again |
//!
//! A bad profile (a rate outside `[0, 1]`, an empty or inverted range, an unknown key) is a 400
//! that names the key. This node applies a change at once, others within `store::faults::CACHE_TTL`.

use super::export_keys::require_tenant;
use super::ops::parse_tenant_id;
use super::routes::json;
use crate::body::JsonBody;
use crate::error::{ErrorCode, GraphError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use model::{datetime, TenantId};
use serde_json::{json, Value};
use store::faults::{FaultProfile, StoredFaultProfile};

/// `GET /secgraph/admin/v1/tenants/{tenantId}/faultProfile`.
pub async fn get_fault_profile(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    let tenant = existing_tenant(&s, &tenant).await?;
    let profiles = s.store().tenant(&tenant).fault_profile();
    let stored = profiles.get().await?.ok_or_else(|| no_profile(&tenant))?;
    let dropped = profiles.dropped_notifications().await?;
    Ok(json(
        StatusCode::OK,
        &profile_json(&tenant, &stored, dropped),
    ))
}

/// `PUT /secgraph/admin/v1/tenants/{tenantId}/faultProfile`: sets the profile (the body).
pub async fn put_fault_profile(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let tenant = existing_tenant(&s, &tenant).await?;
    let profile = FaultProfile::from_json(&body).map_err(GraphError::bad_request)?;
    let profiles = s.store().tenant(&tenant).fault_profile();
    let stored = profiles.set(&profile).await?;
    let dropped = profiles.dropped_notifications().await?;
    Ok(json(
        StatusCode::OK,
        &profile_json(&tenant, &stored, dropped),
    ))
}

/// `DELETE /secgraph/admin/v1/tenants/{tenantId}/faultProfile`: 204, or 404 without a profile.
pub async fn delete_fault_profile(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<StatusCode, GraphError> {
    let tenant = existing_tenant(&s, &tenant).await?;
    match s.store().tenant(&tenant).fault_profile().remove().await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(no_profile(&tenant)),
    }
}

async fn existing_tenant(s: &AppState, tenant: &str) -> Result<TenantId, GraphError> {
    let tenant = parse_tenant_id(tenant)?;
    require_tenant(s.store(), &tenant).await?;
    Ok(tenant)
}

fn no_profile(tenant: &TenantId) -> GraphError {
    GraphError::new(
        ErrorCode::ItemNotFound,
        format!("tenant {tenant} has no fault profile; PUT one to inject faults"),
    )
}

fn profile_json(tenant: &TenantId, stored: &StoredFaultProfile, dropped: i64) -> Value {
    json!({
        "tenantId": tenant.as_str(),
        "version": stored.version,
        "updatedDateTime": datetime::format(stored.updated),
        "profile": stored.profile,
        "droppedNotifications": dropped,
    })
}
