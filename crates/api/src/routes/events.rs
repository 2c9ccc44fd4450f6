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
use serde::Serialize;
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
    let now = app.store().now_for(&who.tenant_id);
    let index = app.indicators().tenant(&who.tenant_id).await?;
    // Parse every line first, so that all the events' values are matched as one batch.
    let mut results: Vec<Option<LineAnswer<'_>>> = Vec::with_capacity(lines.len());
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
                results.push(Some(LineAnswer::Verdict {
                    line: n,
                    id: None,
                    verdict: "none",
                    matches: Vec::new(),
                }));
            }
            Err(e) => {
                rejected += 1;
                results.push(Some(LineAnswer::Error {
                    line: n,
                    error: LineError {
                        code: "invalidEvent",
                        message: e.to_string(),
                    },
                }));
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
    let results: Vec<LineAnswer<'_>> = results.into_iter().flatten().collect();
    let tenant = app.store().tenant(&who.tenant_id);
    let raised = tenant
        .raise_detections(&matched, None, app.indicators().detection_window())
        .await?;
    tenant.keep_events(kept).await?;
    app.indicators().count_hits(&who.tenant_id, hits, now);
    let accepted = results.len() - rejected;
    let body = Answer {
        value: results,
        accepted,
        rejected,
        alerts_raised: raised,
    };
    // Serialising these types cannot fail.
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Ok(response::json_response(StatusCode::OK, bytes))
}

/// The answer to a request, written straight from the events and verdicts (no `Value` tree).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer<'a> {
    value: Vec<LineAnswer<'a>>,
    accepted: usize,
    rejected: usize,
    alerts_raised: usize,
}

/// One line's answer: its verdict, or why it is not an event.
#[derive(Serialize)]
#[serde(untagged)]
enum LineAnswer<'a> {
    Verdict {
        line: usize,
        id: Option<&'a str>,
        verdict: &'static str,
        matches: Vec<MatchAnswer<'a>>,
    },
    Error {
        line: usize,
        error: LineError,
    },
}

#[derive(Serialize)]
struct LineError {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MatchAnswer<'a> {
    indicator_id: &'a str,
    action: &'static str,
    role: &'static str,
    value: String,
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

fn verdict_json<'a>(
    line: usize,
    event: &'a Observation,
    verdict: &'a EventVerdict,
) -> LineAnswer<'a> {
    let matches = verdict
        .matches
        .iter()
        .map(|m| {
            let observed = &event.values[m.value];
            MatchAnswer {
                indicator_id: &m.indicator_id,
                action: m.action.as_str(),
                role: observed.role.as_str(),
                value: value_text(&observed.value),
            }
        })
        .collect();
    LineAnswer::Verdict {
        line,
        id: event.id.as_deref(),
        verdict: verdict.verdict.map_or("none", |a| a.as_str()),
        matches,
    }
}
