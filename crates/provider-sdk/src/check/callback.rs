//! The alert-update checks: a valid update is answered with a valid `CallbackAnswer`, the same
//! `idempotencyKey` again gets the same answer, and members this protocol version does not define
//! are ignored rather than refused.

use super::caller::{describe, Signing};
use super::report::{Report, Verdict};
use super::Run;
use model::enums::AlertStatus;
use model::{AlertId, TenantId};
use provider_protocol::{AlertChanges, AlertUpdate, Endpoint, ProviderVersion, PROTOCOL_VERSION};
use serde_json::{json, Value};
use time::OffsetDateTime;
use uuid::Uuid;

/// A valid alert update with a fresh idempotency key, for the alert `secgraph-check-{purpose}`.
pub(crate) fn alert_update(run: &Run, purpose: &str) -> AlertUpdate {
    AlertUpdate {
        protocol_version: PROTOCOL_VERSION,
        idempotency_key: Uuid::new_v4(),
        tenant_id: TenantId(run.options.tenant_id.clone()),
        alert_id: AlertId(Uuid::new_v4().to_string()),
        provider_alert_id: format!("secgraph-check-{purpose}"),
        base_version: Some(ProviderVersion::Sequence(1)),
        changes: AlertChanges {
            status: Some(AlertStatus::InProgress),
            assigned_to: Some(Some("analyst@contoso.example".into())),
            ..AlertChanges::default()
        },
        changed_by: Some("secgraph provider check".into()),
        changed_date_time: OffsetDateTime::now_utc(),
    }
}

/// [`alert_update`] as JSON bytes.
pub(crate) fn alert_update_body(run: &Run, purpose: &str) -> Vec<u8> {
    serde_json::to_vec(&alert_update(run, purpose)).unwrap_or_default()
}

/// Runs the alert-update checks.
pub(crate) async fn run(run: &mut Run, report: &mut Report) {
    let body = alert_update_body(run, "update");
    let first = valid(run, &body).await;
    let again = match &first {
        Ok(answer) => idempotent(run, &body, answer).await,
        Err(_) => Err(Verdict::Skip(
            "the first alert update got no valid answer; fix alertUpdates.valid first".into(),
        )),
    };
    report.record(
        "alertUpdates.valid",
        first.map(|a| format!("answered {}", describe(&a))),
    );
    report.record("alertUpdates.idempotent", again);
    report.record("envelope.unknownMembers", unknown_members(run).await);
}

async fn valid(run: &mut Run, body: &[u8]) -> Result<provider_protocol::CallbackAnswer, Verdict> {
    let reply = run
        .caller
        .call(&Endpoint::AlertUpdates, body, Signing::Valid)
        .await?;
    let answer = run
        .answer("alertUpdates", &reply)
        .map_err(|e| format!("POST alertUpdates {e}"))?;
    Ok(answer)
}

async fn idempotent(
    run: &mut Run,
    body: &[u8],
    first: &provider_protocol::CallbackAnswer,
) -> Result<String, Verdict> {
    let reply = run
        .caller
        .call(&Endpoint::AlertUpdates, body, Signing::Valid)
        .await?;
    let again = run
        .answer("alertUpdates (repeat)", &reply)
        .map_err(|e| format!("the repeated update (same idempotencyKey) {e}"))?;
    if &again == first {
        Ok(format!(
            "the repeat was answered {} as before",
            describe(&again)
        ))
    } else {
        Err(Verdict::Fail(format!(
            "the same idempotencyKey was answered {} the first time and {} the second; secgraph \
             delivers at least once, so remember the keys you handled and answer a repeat as the \
             first time without applying it again",
            describe(first),
            describe(&again)
        )))
    }
}

async fn unknown_members(run: &mut Run) -> Result<String, Verdict> {
    let mut value = serde_json::to_value(alert_update(run, "unknown-members"))
        .map_err(|e| format!("internal: {e}"))?;
    if let Value::Object(obj) = &mut value {
        obj.insert("secgraphFutureMember".into(), json!({"nested": [1, 2, 3]}));
        if let Some(Value::Object(changes)) = obj.get_mut("changes") {
            changes.insert("secgraphFutureChange".into(), json!("ignored"));
        }
    }
    let body = serde_json::to_vec(&value).map_err(|e| format!("internal: {e}"))?;
    let reply = run
        .caller
        .call(&Endpoint::AlertUpdates, &body, Signing::Valid)
        .await?;
    let answer = run
        .answer("alertUpdates (unknown members)", &reply)
        .map_err(|e| {
            format!(
                "an alert update with the extra members secgraphFutureMember and \
             changes.secgraphFutureChange {e}; ignore members you do not know, so that a newer \
             secgraph can talk to you"
            )
        })?;
    Ok(format!(
        "a body with unknown members was answered {}",
        describe(&answer)
    ))
}
