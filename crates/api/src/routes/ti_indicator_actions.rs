//! The tiIndicator bulk actions: `submitTiIndicators`, `updateTiIndicators`, `deleteTiIndicators`
//! and `deleteTiIndicatorsByExternalId` (bare or `microsoft.graph.`-qualified). Each item succeeds
//! or fails on its own: 200 when all succeeded, 206 with the per-item outcome when some failed, 400
//! only when the body as a whole is unusable. The valid items of a call are stored in one
//! transaction. Calls carry at most the configured batch limit (10,000 by default; Graph's 100 under
//! `strict_graph`).
//!
//! A failed `submitTiIndicators` item is the item as sent plus an `Error` object (`code`, `message`,
//! `target`): the item's own properties (MISP's `indicatorRequestHash`) stay, so a client can match
//! results to its requests. The delete actions answer one `resultInfo` per item, in order: `code`
//! 200 (deleted) or 404 (not found), a `message`, and `subcode` 0.

use super::ti_indicators::{
    check_critical, create_indexed, from_stored, owned, refresh_index, to_new, typed,
};
use crate::body::JsonBody;
use crate::error::GraphError;
use crate::links;
use crate::query::GraphRequest;
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use model::indicator::{
    parse_new, parse_patch, update_item_id, InputError, TiIndicator, TiIndicatorId,
};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use store::indicators::IndicatorEdit;

/// `POST /security/tiIndicators/submitTiIndicators`: creates many indicators.
pub async fn submit_indicators(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let items = bulk_items(&app, &body, "submitTiIndicators")?;
    let now = app.store().now_for(&r.who.tenant_id);
    let mut results: Vec<Option<Value>> = vec![None; items.len()];
    let mut valid = Vec::new();
    let mut positions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let checked = parse_new(item).and_then(|parsed| {
            let indicator = TiIndicator::new(
                TiIndicatorId(String::new()),
                r.who.tenant_id.clone(),
                now,
                parsed,
            );
            check_critical(&app, &indicator).map(|()| indicator)
        });
        match checked {
            Ok(indicator) => {
                valid.push(indicator);
                positions.push(i);
            }
            Err(e) => results[i] = Some(failed_item(item, &e)),
        }
    }
    let created = create_indexed(&app, &r, valid).await?;
    for (i, stored) in positions.into_iter().zip(created) {
        results[i] = Some(typed(stored.doc));
    }
    Ok(indicator_results(&app, &r, results))
}

/// `POST /security/tiIndicators/updateTiIndicators`: changes many indicators, each item naming
/// its `id`.
pub async fn update_indicators(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let items = bulk_items(&app, &body, "updateTiIndicators")?.clone();
    let mut results: Vec<Option<Value>> = vec![None; items.len()];
    let mut ids = Vec::new();
    let mut bodies: HashMap<String, Value> = HashMap::new();
    let mut positions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let id = match update_item_id(item) {
            Ok(id) => id.0,
            Err(e) => {
                results[i] = Some(failed_item(item, &e));
                continue;
            }
        };
        if bodies.contains_key(&id) {
            let e = InputError::invalid(
                "id",
                format!("Indicator '{id}' appears more than once; send one update per indicator."),
            );
            results[i] = Some(failed_item(item, &e));
            continue;
        }
        bodies.insert(id.clone(), item.clone());
        ids.push(id);
        positions.push(i);
    }
    let rails = app.clone();
    let outcomes = owned(&app, &r)
        .update(ids.clone(), move |stored| {
            let body = bodies.get(&stored.id).cloned().unwrap_or(Value::Null);
            let existing = from_stored(stored)?;
            let patch = parse_patch(&body, &existing)?;
            check_critical(&rails, &patch.indicator)?;
            to_new(&patch.indicator).map_err(|e| InputError::body(e.message))
        })
        .await?;
    refresh_index(&app, &r).await?;
    for ((i, id), outcome) in positions.into_iter().zip(ids).zip(outcomes) {
        results[i] = Some(match outcome {
            Ok(stored) => typed(stored.doc),
            Err(IndicatorEdit::NotFound) => {
                let e = InputError::invalid(
                    "id",
                    format!("No tiIndicator with id '{id}' exists for this application."),
                );
                failed_item(&items[i], &e)
            }
            Err(IndicatorEdit::Refused(e)) => failed_item(&items[i], &e),
        });
    }
    Ok(indicator_results(&app, &r, results))
}

/// `POST /security/tiIndicators/deleteTiIndicators`: deletes indicators by id.
pub async fn delete_indicators(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let keys = string_items(&app, &body, "deleteTiIndicators")?;
    let deleted = owned(&app, &r).delete(keys.clone()).await?;
    refresh_index(&app, &r).await?;
    let counts: Vec<usize> = deleted.into_iter().map(usize::from).collect();
    Ok(result_infos(&app, &r, &keys, &counts, "id"))
}

/// `POST /security/tiIndicators/deleteTiIndicatorsByExternalId`: deletes every indicator whose
/// `externalId` is one of the values.
pub async fn delete_indicators_by_external_id(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let keys = string_items(&app, &body, "deleteTiIndicatorsByExternalId")?;
    let counts = owned(&app, &r).delete_by_external_id(keys.clone()).await?;
    refresh_index(&app, &r).await?;
    Ok(result_infos(&app, &r, &keys, &counts, "externalId"))
}

/// The `value` array of a bulk body, within the batch limit.
fn bulk_items<'a>(
    app: &AppState,
    body: &'a Value,
    action: &str,
) -> Result<&'a Vec<Value>, GraphError> {
    let items = body.get("value").and_then(Value::as_array).ok_or_else(|| {
        GraphError::bad_request(format!(
            "{action} takes {{\"value\": [ ... ]}}: put the items in a 'value' array."
        ))
    })?;
    let limit = app.config().indicator_batch_limit;
    if items.len() > limit {
        return Err(GraphError::bad_request(format!(
            "{action} takes at most {limit} items per request; this one has {}. Split it into several calls.",
            items.len()
        )));
    }
    Ok(items)
}

/// The `value` array of a delete body: strings.
fn string_items(app: &AppState, body: &Value, action: &str) -> Result<Vec<String>, GraphError> {
    bulk_items(app, body, action)?
        .iter()
        .enumerate()
        .map(|(i, v)| match v.as_str() {
            Some(s) if !s.trim().is_empty() => Ok(s.to_owned()),
            _ => Err(GraphError::bad_request(format!(
                "value[{i}] of {action} must be a non-empty string; got {v}."
            ))),
        })
        .collect()
}

/// A failed item: what was sent, plus the `Error`.
fn failed_item(item: &Value, e: &InputError) -> Value {
    let mut out = match item {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    out.insert(
        "Error".into(),
        json!({"code": e.code.as_str(), "message": e.message, "target": e.property}),
    );
    Value::Object(out)
}

/// The answer of a call whose items are indicators or failed items: 200 when none failed, else 206.
fn indicator_results(app: &AppState, r: &GraphRequest, results: Vec<Option<Value>>) -> Response {
    let value: Vec<Value> = results.into_iter().flatten().collect();
    let status = partial(&succeeded(&value));
    bulk_response(
        app,
        r,
        "Collection(microsoft.graph.tiIndicator)",
        value,
        status,
    )
}

/// Whether each result succeeded (has no `Error`).
fn succeeded(value: &[Value]) -> Vec<bool> {
    value.iter().map(|v| v.get("Error").is_none()).collect()
}

/// 200 when every item succeeded, 206 otherwise.
fn partial(ok: &[bool]) -> StatusCode {
    if ok.iter().all(|&b| b) {
        StatusCode::OK
    } else {
        StatusCode::PARTIAL_CONTENT
    }
}

/// One `resultInfo` per key: 200 when `counts[i] > 0`, else 404.
fn result_infos(
    app: &AppState,
    r: &GraphRequest,
    keys: &[String],
    counts: &[usize],
    what: &str,
) -> Response {
    let value: Vec<Value> = keys
        .iter()
        .zip(counts)
        .map(|(key, &n)| match n {
            0 => json!({"code": 404, "message": format!("No tiIndicator with {what} '{key}' exists for this application."), "subcode": 0}),
            1 => json!({"code": 200, "message": format!("Deleted the tiIndicator with {what} '{key}'."), "subcode": 0}),
            n => json!({"code": 200, "message": format!("Deleted {n} tiIndicators with {what} '{key}'."), "subcode": 0}),
        })
        .collect();
    let ok: Vec<bool> = counts.iter().map(|&n| n > 0).collect();
    let status = partial(&ok);
    bulk_response(
        app,
        r,
        "Collection(microsoft.graph.resultInfo)",
        value,
        status,
    )
}

fn bulk_response(
    app: &AppState,
    r: &GraphRequest,
    fragment: &str,
    value: Vec<Value>,
    status: StatusCode,
) -> Response {
    let context = links::context_url(&app.config().public_url, r.version, fragment);
    let body = json!({"@odata.context": context, "value": value});
    response::json_response(status, response::json_bytes(&body))
}
