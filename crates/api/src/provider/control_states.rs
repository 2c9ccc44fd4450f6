//! `POST /secgraph/v1/provider/controlStates`: a provider reports secure-score control states
//! (`provider_protocol::ControlStateReport`) for the caller's tenant; the latest state of each
//! control is kept per provider (`store::providers::controls`) for the secure-score computation.
//! Answers `204` once stored.

use super::{calling_provider, invalid, read_body};
use crate::error::GraphError;
use crate::principal::Principal;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use provider_protocol::ControlStateReport;

/// The route.
pub const PATH: &str = provider_protocol::endpoint::CONTROL_STATES_PATH;

/// `POST /secgraph/v1/provider/controlStates`: stores a report of control states.
pub async fn report_control_states(
    State(app): State<AppState>,
    who: Principal,
    req: Request,
) -> Result<StatusCode, GraphError> {
    let provider = calling_provider(&app, &who).await?;
    let body = read_body(&app, req).await?;
    let report: ControlStateReport =
        provider_protocol::from_json(&body).map_err(|e| invalid(&e))?;
    report.validate().map_err(|e| invalid(&e))?;
    app.store()
        .providers()
        .report_control_states(&who.tenant_id, &provider.id, report.controls)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
