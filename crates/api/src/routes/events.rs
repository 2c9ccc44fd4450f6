//! `POST /secgraph/v1/events` (a secgraph extension, not a Graph API): enforcement points and
//! sensors send observed events (NDJSON, one event per line — our ECS-style schema, ECS flattened,
//! OCSF, Suricata EVE or Wazuh alerts; see `model::observation`) and get a verdict per event from
//! the tenant's threat indicators, in request order. `alert` and `block` matches raise alerts_v2
//! alerts (one per indicator, value and detection window), and the events are kept for
//! back-matching indicators added later. Requires `SecurityAlert.ReadWrite.All` (it raises alerts).
//!
//! The answer: `{"value": [{"line", "id", "verdict", "matches": [{"indicatorId", "action", "role",
//! "value"}]} | {"line", "error": {"code", "message"}}], "accepted", "rejected", "alertsRaised"}`;
//! `verdict` is `block`, `alert`, `allow` or `none`. A line that is not an event is reported on its
//! own line of the answer; the others are still matched.

use crate::error::GraphError;
use crate::principal::Principal;
use crate::response;
use crate::state::AppState;
use auth::permission::{Permission, Requirement};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use model::detection::value_text;
use model::observation::{parse_ndjson_line, Observation, ObservationErrorKind};
use serde_json::{json, Value};
use store::detections::EventVerdict;

/// The route.
pub const PATH: &str = "/secgraph/v1/events";

/// Submitting events: `SecurityAlert.ReadWrite.All` (matches raise alerts).
pub const EVENTS: Requirement = Requirement(&[Permission::SecurityAlertReadWriteAll]);

/// `POST /secgraph/v1/events`: matches each event of an NDJSON body against the caller's tenant's
/// indicators and answers a verdict per event.
pub async fn submit_events(
    State(app): State<AppState>,
    who: Principal,
    req: Request,
) -> Result<Response, GraphError> {
    let limit = app.config().max_body_bytes;
    let body = axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            GraphError::bad_request(format!("The body must be NDJSON of at most {limit} bytes."))
        })?;
    let lines = split_events(&body)?;
    let now = app.store().clock().now();
    let index = app.indicators().tenant(&who.tenant_id).await?;
    // Parse every line first, so that all the events' values are matched as one batch.
    let mut results: Vec<Option<Value>> = Vec::with_capacity(lines.len());
    let mut parsed: Vec<(usize, usize, Observation)> = Vec::new();
    let mut kept = Vec::new();
    let mut rejected = 0;
    for (n, line) in lines {
        match parse_ndjson_line(line, now) {
            Ok(event) => {
                if app.config().keep_events {
                    kept.push((event.time, String::from_utf8_lossy(line).into_owned()));
                }
                parsed.push((results.len(), n, event));
                results.push(None);
            }
            // A well-formed event with nothing to match (Suricata `stats`, a PAM login) is accepted
            // with no verdict: it is not a client error.
            Err(e) if e.kind == ObservationErrorKind::NothingMatchable => {
                results.push(Some(
                    json!({"line": n, "id": null, "verdict": "none", "matches": []}),
                ));
            }
            Err(e) => {
                rejected += 1;
                results.push(Some(
                    json!({"line": n, "error": {"code": "invalidEvent", "message": e.to_string()}}),
                ));
            }
        }
    }
    let events: Vec<&Observation> = parsed.iter().map(|(_, _, e)| e).collect();
    let verdicts = index.match_observations(&events, now);
    let mut matched: Vec<(&Observation, &EventVerdict)> = Vec::new();
    let mut hits = Vec::new();
    for ((slot, n, event), verdict) in parsed.iter().zip(&verdicts) {
        results[*slot] = Some(verdict_json(*n, event, verdict));
        hits.extend(verdict.matches.iter().map(|m| m.indicator_id.clone()));
        if verdict.verdict.is_some() {
            matched.push((event, verdict));
        }
    }
    let results: Vec<Value> = results.into_iter().flatten().collect();
    let tenant = app.store().tenant(&who.tenant_id);
    let raised = tenant
        .raise_detections(&matched, None, app.indicators().detection_window())
        .await?;
    tenant.keep_events(kept).await?;
    app.indicators().count_hits(&who.tenant_id, hits, now);
    let accepted = results.len() - rejected;
    let body = json!({"value": results, "accepted": accepted, "rejected": rejected, "alertsRaised": raised});
    Ok(response::json_response(
        StatusCode::OK,
        response::json_bytes(&body),
    ))
}

/// The events of the body (its non-blank NDJSON lines) with their 1-based line numbers.
fn split_events(body: &[u8]) -> Result<Vec<(usize, &[u8])>, GraphError> {
    let trimmed = body.iter().position(|b| !b.is_ascii_whitespace());
    if trimmed.is_none() {
        return Err(GraphError::bad_request(
            "The body is empty: send events as NDJSON, one JSON object per line.",
        ));
    }
    if trimmed.is_some_and(|i| body[i] == b'[') {
        return Err(GraphError::bad_request(
            "Send events as NDJSON (one JSON object per line, Content-Type application/x-ndjson), not as a JSON array.",
        ));
    }
    Ok(body
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| l.iter().any(|b| !b.is_ascii_whitespace()))
        .map(|(i, l)| (i + 1, l))
        .collect())
}

fn verdict_json(line: usize, event: &Observation, verdict: &EventVerdict) -> Value {
    let matches: Vec<Value> = verdict
        .matches
        .iter()
        .map(|m| {
            let observed = &event.values[m.value];
            json!({"indicatorId": &*m.indicator_id, "action": m.action.as_str(),
                   "role": observed.role.as_str(), "value": value_text(&observed.value)})
        })
        .collect();
    json!({
        "line": line,
        "id": event.id,
        "verdict": verdict.verdict.map_or("none", |a| a.as_str()),
        "matches": matches,
    })
}
