//! `POST /secgraph/v1/connectors/{kind}/events` (a secgraph extension, not a Graph API): a product
//! streams its own output — Suricata EVE JSON (`suricata`) or Wazuh `alerts.json` lines (`wazuh`),
//! NDJSON, one line per event — and secgraph turns the alerts among them into alerts_v2 alerts
//! with evidence (`connectors`), in the caller's tenant. Lines that are valid but no alert
//! (Suricata `flow`, `dns`, `stats`, …) are skipped; lines that cannot be read are reported by
//! number with what is wrong, and the others are still stored. Alert ids are derived from the
//! event, so sending a line again stores nothing new and never undoes an analyst's change. The
//! answer comes once the alerts are durable:
//! `{"created", "alreadyStored", "skipped", "rejected": [{"line", "message"}]}`.
//! Requires `SecurityAlert.ReadWrite.All`.

use crate::error::GraphError;
use crate::principal::Principal;
use crate::response::json_response;
use crate::state::AppState;
use auth::permission::{Permission, Requirement};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use connectors::ConnectorKind;
use serde_json::json;
use store::IngestOrigin;

/// The route.
pub const PATH: &str = "/secgraph/v1/connectors/{kind}/events";

/// Streaming a product's output raises alerts: `SecurityAlert.ReadWrite.All`.
pub const CONNECTOR_EVENTS: Requirement = Requirement(&[Permission::SecurityAlertReadWriteAll]);

/// `POST /secgraph/v1/connectors/{kind}/events`: stores the alerts of an NDJSON body of `kind`'s
/// output in the caller's tenant.
pub async fn submit_connector_events(
    State(app): State<AppState>,
    Path(kind): Path<String>,
    who: Principal,
    req: Request,
) -> Result<Response, GraphError> {
    let kind: ConnectorKind = kind.parse().map_err(GraphError::bad_request)?;
    let limit = app.config().max_body_bytes;
    let body = axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            GraphError::bad_request(format!("The body must be NDJSON of at most {limit} bytes."))
        })?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| GraphError::bad_request(format!("The body is not UTF-8 text: {e}.")))?;
    if text.trim().is_empty() {
        return Err(GraphError::bad_request(format!(
            "The body is empty: send {kind} output as NDJSON, one event per line."
        )));
    }
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let (mut alerts, errors) = connectors::parse_stream(kind, text);
    let found = alerts.len();
    for a in &mut alerts {
        a.alert.tenant_id = Some(who.tenant_id.to_string());
    }
    let summary = app
        .store()
        .tenant(&who.tenant_id)
        .ingest_new(alerts, IngestOrigin::Connector(kind.name().to_owned()))
        .await?;
    let rejected: Vec<_> = errors
        .iter()
        .map(|e| json!({"line": e.line, "message": e.error.to_string()}))
        .collect();
    let answer = json!({
        "created": summary.created,
        "alreadyStored": summary.unchanged,
        "skipped": lines - found - errors.len(),
        "rejected": rejected,
    });
    Ok(json_response(StatusCode::OK, answer.to_string()))
}
