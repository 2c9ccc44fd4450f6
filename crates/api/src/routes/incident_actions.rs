//! [ext] Manual correlation: bound actions in secgraph's own namespace on incidents. Each is an
//! analyst's decision that the correlation engine never undoes (see `docs/incidents.md`).
//!
//! | action | body | answer |
//! |---|---|---|
//! | `POST /security/incidents/{id}/secgraph.linkAlerts` | `{"alertIds": ["…", …]}` | 200 + the incident |
//! | `POST /security/incidents/{id}/alerts/{alertId}/secgraph.unlink` | none | 200 + the incident the alert now has alone |
//! | `POST /security/incidents/{id}/secgraph.mergeInto` | `{"incidentId": "…"}` | 200 + the incident merged into (`{id}` becomes `redirected`) |

use super::incident_alerts::IncidentAlertKey;
use super::incidents;
use crate::body::{EntityKey, JsonBody};
use crate::error::{ErrorCode, GraphError};
use crate::query::GraphRequest;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;
use store::incidents::{ManualAction, ManualRefusal};

/// Most alerts one `secgraph.linkAlerts` may name.
pub const MAX_LINKED: usize = 1000;

/// `POST /security/incidents/{id}/secgraph.linkAlerts`: moves the alerts `alertIds` into the
/// incident and pins them there.
pub async fn link_alerts(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let ids = alert_ids(&body)?;
    run(&app, &r, &key.0, ManualAction::Link(ids)).await
}

/// `POST /security/incidents/{id}/alerts/{alertId}/secgraph.unlink`: takes the alert out of the
/// incident into an incident of its own; the entities it has now never link it again.
pub async fn unlink_alert(
    State(app): State<AppState>,
    r: GraphRequest,
    key: IncidentAlertKey,
) -> Result<Response, GraphError> {
    let action = ManualAction::Unlink(key.alert.clone());
    run(&app, &r, &key.incident, action).await
}

/// `POST /security/incidents/{id}/secgraph.mergeInto`: merges the incident into `incidentId`
/// (it becomes `redirected`, its alerts move).
pub async fn merge_into(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let into = string_parameter(&body, "incidentId")?;
    run(&app, &r, &key.0, ManualAction::MergeInto(into)).await
}

async fn run(
    app: &AppState,
    r: &GraphRequest,
    id: &str,
    action: ManualAction,
) -> Result<Response, GraphError> {
    let outcome = incidents::incidents(app, r)
        .correlate_manually(id, action, &r.who.display_name)
        .await?;
    match outcome {
        Ok(incident) => incidents::entity(app, r, &incident, None, None),
        Err(refusal) => Err(refused(refusal)),
    }
}

/// The Graph error of a refused decision.
fn refused(refusal: ManualRefusal) -> GraphError {
    match refusal {
        ManualRefusal::UnknownIncident(id) => incidents::not_found(&id),
        ManualRefusal::AlertNotInIncident { incident, alert } => GraphError::new(
            ErrorCode::ItemNotFound,
            format!("Incident '{incident}' has no alert with id '{alert}'."),
        ),
        other => GraphError::bad_request(other.to_string()),
    }
}

/// The `alertIds` parameter: a non-empty array of alert ids, at most [`MAX_LINKED`].
fn alert_ids(body: &Value) -> Result<Vec<String>, GraphError> {
    let value = parameter(body, "alertIds")?;
    let bad = || GraphError::bad_request("'alertIds' must be a non-empty array of alert ids.");
    let items = value.as_array().ok_or_else(bad)?;
    if items.is_empty() {
        return Err(bad());
    }
    if items.len() > MAX_LINKED {
        return Err(GraphError::bad_request(format!(
            "'alertIds' names {} alerts; link at most {MAX_LINKED} per call.",
            items.len()
        )));
    }
    items
        .iter()
        .map(|v| match v.as_str() {
            Some(s) if !s.is_empty() => Ok(s.to_owned()),
            _ => Err(bad()),
        })
        .collect()
}

/// A required non-empty string parameter.
fn string_parameter(body: &Value, name: &str) -> Result<String, GraphError> {
    match parameter(body, name)?.as_str() {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => Err(GraphError::bad_request(format!(
            "'{name}' must be a non-empty string."
        ))),
    }
}

/// The action parameter `name` (matched case-insensitively, as Graph matches action parameters);
/// any other parameter is a 400 naming it.
fn parameter<'a>(body: &'a Value, name: &str) -> Result<&'a Value, GraphError> {
    let obj = body
        .as_object()
        .ok_or_else(|| GraphError::bad_request("The request body must be a JSON object."))?;
    let mut found = None;
    for (k, v) in obj {
        if k.eq_ignore_ascii_case(name) {
            found = Some(v);
        } else if !k.contains('@') {
            return Err(GraphError::bad_request(format!(
                "'{k}' is not a parameter of this action; send only '{name}'."
            )));
        }
    }
    found.ok_or_else(|| GraphError::bad_request(format!("The parameter '{name}' is required.")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_match_case_insensitively_and_refuse_strangers() {
        assert_eq!(
            alert_ids(&json!({"AlertIds": ["a", "b"]})).unwrap(),
            ["a", "b"]
        );
        assert!(alert_ids(&json!({"alertIds": []})).is_err());
        assert!(alert_ids(&json!({"alertIds": ["a", 1]})).is_err());
        let e = alert_ids(&json!({"alertIds": ["a"], "x": 1})).unwrap_err();
        assert!(e.message.contains("'x'"), "{}", e.message);
        assert_eq!(
            string_parameter(&json!({"incidentId": "7"}), "incidentId").unwrap(),
            "7"
        );
        assert!(string_parameter(&json!({}), "incidentId").is_err());
    }
}
