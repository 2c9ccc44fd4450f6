//! `POST /secgraph/v1/subscriptions/{id}/replay?since=<sequence>` (a secgraph extension, not a
//! Graph API): queues again, through the ordinary delivery path, the retained notifications of one
//! of the caller's subscriptions whose `@secgraph.sequence` is greater than `since`. They keep their
//! ids and carry `"@secgraph.replayed": true`. The route needs a permission that can create some
//! subscription (as `/subscriptions`), and the subscription must be the calling application's and
//! its resource one the caller may read (else 404/403, as `GET /subscriptions/{id}`).
//!
//! Answers `202` with `{"queued", "lastSequence", "more"}`: at most
//! [`store::subscriptions::MAX_REPLAY`] are queued per request; with `more` ask again with
//! `since=lastSequence`. A `since` before what the retention window still holds is a 400 with the
//! inner code `replayWindowExpired` that says from where a replay is complete.

use super::{owned_by, NOUN};
use crate::error::GraphError;
use crate::principal::Principal;
use crate::response::{json_bytes, json_response};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use store::subscriptions::Replay;

/// The route.
pub const REPLAY_PATH: &str = "/secgraph/v1/subscriptions/{id}/replay";

/// `POST /secgraph/v1/subscriptions/{id}/replay?since=<sequence>`: re-sends the retained
/// notifications after `since`. 202 with what was queued.
pub async fn replay_subscription(
    State(app): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, GraphError> {
    let since = since(query.as_deref())?;
    owned_by(&app, &who, &id).await?;
    let subs = app.store().tenant(&who.tenant_id).subscriptions();
    match subs.replay(&id, since).await? {
        Replay::Queued {
            count,
            last_sequence,
            more,
        } => {
            let body = serde_json::json!({
                "subscriptionId": id,
                "since": since,
                "queued": count,
                "lastSequence": last_sequence,
                "more": more,
            });
            Ok(json_response(StatusCode::ACCEPTED, json_bytes(&body)))
        }
        Replay::Expired { floor } => Err(GraphError::bad_request(format!(
            "Notifications of subscription '{id}' after sequence {since} are no longer all \
             retained (the retention window removed those up to {floor}); replay with \
             since={floor} or later, and read what changed before it with GET or delta."
        ))
        .with_inner_code("replayWindowExpired")),
        Replay::NotFound => Err(GraphError::not_found(NOUN, &id)),
    }
}

/// Reads `since` (required, a whole number ≥ 0) from the query string.
fn since(query: Option<&str>) -> Result<i64, GraphError> {
    let mut since = None;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "since" => since = Some(value.into_owned()),
            other => {
                return Err(GraphError::bad_request(format!(
                    "The query option '{other}' is not supported by replay; send only \
                     since=<sequence>."
                )))
            }
        }
    }
    let text = since.ok_or_else(|| {
        GraphError::bad_request(
            "The query option 'since' is required: the highest @secgraph.sequence your receiver \
             has processed (0 for everything retained).",
        )
    })?;
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            GraphError::bad_request(format!(
                "The query option 'since' is '{text}'; it must be a whole number, 0 or more \
                 (a @secgraph.sequence your receiver has seen)."
            ))
        })
}
