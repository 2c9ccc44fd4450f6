//! The three callbacks that change something at the provider — alert updates, action invocations
//! and cancellations — each parsed, validated, and answered through the idempotency cache.

use super::problem::ProblemResponse;
use super::{Provider, Shared, Unavailable};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, Invalid,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// An envelope the router reads: parsed from JSON, then checked by its own `validate`.
trait Envelope: DeserializeOwned {
    fn check(&self) -> Result<(), Invalid>;
}

impl Envelope for AlertUpdate {
    fn check(&self) -> Result<(), Invalid> {
        self.validate()
    }
}

impl Envelope for ActionInvocation {
    fn check(&self) -> Result<(), Invalid> {
        self.validate()
    }
}

impl Envelope for ActionCancellation {
    fn check(&self) -> Result<(), Invalid> {
        self.validate()
    }
}

/// The envelope in `body`, or the `400` listing everything wrong with it.
fn read<T: Envelope>(body: &[u8]) -> Result<T, ProblemResponse> {
    let refuse = |e: Invalid| ProblemResponse::invalid(e.problems);
    let envelope: T = provider_protocol::from_json(body).map_err(refuse)?;
    envelope.check().map_err(refuse)?;
    Ok(envelope)
}

/// Sends the provider's answer, logging one that breaks the protocol (a rejection without a
/// reason) so the vendor sees it in their own logs as well as in secgraph's.
fn send(what: &str, answer: Result<CallbackAnswer, Unavailable>) -> Response {
    let answer = match answer {
        Ok(a) => a,
        Err(unavailable) => return unavailable.into_response(),
    };
    if let Err(e) = answer.validate() {
        tracing::warn!(%what, problems = %e, "the provider's answer breaks the protocol");
    }
    Json(answer).into_response()
}

/// `POST /alertUpdates`: runs [`Provider::alert_update`] once per `idempotencyKey`.
pub(crate) async fn alert_updates<P: Provider>(
    State(shared): State<Arc<Shared<P>>>,
    body: Bytes,
) -> Response {
    let update: AlertUpdate = match read(&body) {
        Ok(u) => u,
        Err(refusal) => return refusal.into_response(),
    };
    let key = format!(
        "alertUpdate\n{}\n{}",
        update.tenant_id, update.idempotency_key
    );
    let provider = Arc::clone(&shared.provider);
    let answer = shared
        .cache
        .answer(key, || async move { provider.alert_update(update).await })
        .await;
    send("alertUpdates", answer)
}

/// `POST /actions`: runs [`Provider::invoke_action`] once per `actionId`.
pub(crate) async fn invoke_action<P: Provider>(
    State(shared): State<Arc<Shared<P>>>,
    body: Bytes,
) -> Response {
    let action: ActionInvocation = match read(&body) {
        Ok(a) => a,
        Err(refusal) => return refusal.into_response(),
    };
    let key = format!("action\n{}\n{}", action.tenant_id, action.action_id);
    let provider = Arc::clone(&shared.provider);
    let answer = shared
        .cache
        .answer(key, || async move { provider.invoke_action(action).await })
        .await;
    send("actions", answer)
}

/// `POST /actions/{actionId}/cancel`: runs [`Provider::cancel_action`] once per `actionId`; the
/// body's `actionId` must be the one in the path.
pub(crate) async fn cancel_action<P: Provider>(
    State(shared): State<Arc<Shared<P>>>,
    Path(action_id): Path<String>,
    body: Bytes,
) -> Response {
    let cancel: ActionCancellation = match read(&body) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    if cancel.action_id != action_id {
        let e = Invalid::at(
            "actionId",
            format!(
                "'{}' is not the action in the path ('{action_id}'); send the same id in both",
                cancel.action_id
            ),
        );
        return ProblemResponse::invalid(e.problems).into_response();
    }
    let key = format!("cancel\n{}\n{}", cancel.tenant_id, cancel.action_id);
    let provider = Arc::clone(&shared.provider);
    let answer = shared
        .cache
        .answer(key, || async move { provider.cancel_action(cancel).await })
        .await;
    send("cancel", answer)
}
