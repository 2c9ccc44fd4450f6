//! The emulator clock of a tenant (under `/secgraph/admin/v1`; emulator mode only, see
//! `docs/emulator.md`): its time may be set, advanced and frozen so that expiry, retention,
//! subscription lifetimes and secure-score days can be tested without waiting. The store keeps the
//! setting (`store::tenant_clocks`); every node of a deployment applies it.
//!
//! | method and path | does |
//! | --- | --- |
//! | `GET /tenants/{tenantId}/clock` | `{tenantId, now, offsetSeconds, frozen}` |
//! | `PUT /tenants/{tenantId}/clock` `{now?, frozen?}` | sets the time (default: the current one), frozen or running; never backwards |
//! | `POST /tenants/{tenantId}/clock/advance` `{by}` | moves it forward by an ISO 8601 duration or a number of seconds |
//! | `DELETE /tenants/{tenantId}/clock` | back to real time (204) |

use super::duration::parse_by;
use super::ops::existing_tenant;
use super::routes::json;
use crate::body::JsonBody;
use crate::error::{ErrorCode, GraphError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::{datetime, TenantId};
use serde_json::{json, Map, Value};
use store::{ClockError, TenantClockStore};

/// `GET /secgraph/admin/v1/tenants/{tenantId}/clock`: the tenant's time and how it is set.
pub async fn get_clock(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    let (tenant, clock) = tenant_clock(&s, &tenant).await?;
    Ok(json(StatusCode::OK, &describe(&s, &tenant, &clock)))
}

/// `PUT /secgraph/admin/v1/tenants/{tenantId}/clock`: sets the tenant's time to `now` (default:
/// its current time), `frozen` there or running on (default). An instant before the tenant's
/// current time is refused (400).
pub async fn set_clock(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let (tenant, clock) = tenant_clock(&s, &tenant).await?;
    let body = object(&body, &["now", "frozen"])?;
    let at = match body.get("now") {
        None | Some(Value::Null) => s.store().now_for(&tenant),
        Some(Value::String(t)) => {
            datetime::parse(t).map_err(|e| GraphError::bad_request(format!("'now': {e}")))?
        }
        Some(_) => {
            return Err(GraphError::bad_request(
                "'now' must be a date-time string such as \"2027-01-01T00:00:00Z\"",
            ))
        }
    };
    let frozen = match body.get("frozen") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(GraphError::bad_request("'frozen' must be true or false")),
    };
    clock.set(at, frozen).await.map_err(clock_error)?;
    Ok(json(StatusCode::OK, &describe(&s, &tenant, &clock)))
}

/// `POST /secgraph/admin/v1/tenants/{tenantId}/clock/advance`: moves the tenant's time forward by
/// `by` (`"PT1H"`, or seconds); a frozen clock stays frozen at the later instant.
pub async fn advance_clock(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let (tenant, clock) = tenant_clock(&s, &tenant).await?;
    let body = object(&body, &["by"])?;
    let by = body
        .get("by")
        .ok_or_else(|| GraphError::bad_request("'by' is required, e.g. {\"by\": \"PT1H\"}"))?;
    let by = parse_by(by).map_err(GraphError::bad_request)?;
    clock.advance(by).await.map_err(clock_error)?;
    Ok(json(StatusCode::OK, &describe(&s, &tenant, &clock)))
}

/// `DELETE /secgraph/admin/v1/tenants/{tenantId}/clock`: the tenant's time is real time again.
pub async fn reset_clock(
    State(s): State<AppState>,
    Path(tenant): Path<String>,
) -> Result<Response, GraphError> {
    let (_, clock) = tenant_clock(&s, &tenant).await?;
    clock.reset().await.map_err(GraphError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The tenant's clock, after checking that the server is in emulator mode and the tenant exists.
async fn tenant_clock(
    s: &AppState,
    tenant: &str,
) -> Result<(TenantId, TenantClockStore), GraphError> {
    if !s.store().tenant_clocks_enabled() {
        return Err(GraphError::new(
            ErrorCode::AccessDenied,
            "The tenant clock is an emulator feature: start the server with `secgraph serve \
             --emulator` (or `--demo`, or `emulator = true` in the configuration file).",
        ));
    }
    let tenant = existing_tenant(s.store(), tenant).await?;
    let clock = s.store().tenant(&tenant).clock();
    Ok((tenant, clock))
}

/// The body as an object with only `known` properties.
fn object<'a>(body: &'a Value, known: &[&str]) -> Result<&'a Map<String, Value>, GraphError> {
    let body = body
        .as_object()
        .ok_or_else(|| GraphError::bad_request("The request body must be a JSON object."))?;
    if let Some(other) = body.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(GraphError::bad_request(format!(
            "Unknown property '{other}': the body takes {}.",
            known.join(", ")
        )));
    }
    Ok(body)
}

fn clock_error(e: ClockError) -> GraphError {
    match e {
        ClockError::Backwards(m) | ClockError::OutOfRange(m) => GraphError::bad_request(m),
        ClockError::Store(e) => GraphError::internal(e),
    }
}

/// `{tenantId, now, offsetSeconds, frozen}`.
fn describe(s: &AppState, tenant: &TenantId, clock: &TenantClockStore) -> Value {
    let base = s.store().clock().now();
    let setting = clock.get();
    let now = setting.now(base);
    json!({
        "tenantId": tenant.as_str(),
        "now": datetime::format(now),
        "offsetSeconds": (now - base).as_seconds_f64(),
        "frozen": setting.frozen.is_some(),
    })
}
