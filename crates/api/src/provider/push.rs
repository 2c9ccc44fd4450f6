//! `POST /secgraph/v1/provider/alerts`: a provider pushes a batch of up to 1,000 alerts
//! (`provider_protocol::AlertBatch`) and gets one result per alert, in order. The batch is stored
//! through the one ingest path, in one transaction, under the protocol's ordering and race rules
//! (`store::providers::push`); the answer is sent once it is durable.

use super::{calling_provider, invalid, read_body};
use crate::error::GraphError;
use crate::principal::Principal;
use crate::response::json_response;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use provider_protocol::{AlertBatch, PushResponse, PROTOCOL_VERSION};
use store::providers::Arrival;

/// The route.
pub const PATH: &str = provider_protocol::endpoint::PUSH_ALERTS_PATH;

/// `POST /secgraph/v1/provider/alerts`: stores a pushed batch for the caller's tenant.
pub async fn push_alerts(
    State(app): State<AppState>,
    who: Principal,
    req: Request,
) -> Result<Response, GraphError> {
    let provider = calling_provider(&app, &who).await?;
    let body = read_body(&app, req).await?;
    let batch: AlertBatch = provider_protocol::from_json(&body).map_err(|e| invalid(&e))?;
    batch.validate().map_err(|e| invalid(&e))?;
    let results = app
        .store()
        .tenant(&who.tenant_id)
        .push_alerts(&provider, batch.alerts, Arrival::Push)
        .await?;
    let answer = PushResponse {
        protocol_version: PROTOCOL_VERSION,
        results,
    };
    let body = serde_json::to_vec(&answer).map_err(GraphError::internal)?;
    Ok(json_response(StatusCode::OK, body))
}
