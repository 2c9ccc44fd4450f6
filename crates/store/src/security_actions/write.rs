//! Security action writes: create (with the outbox row that carries the action to its provider),
//! cancel (with the outbox row that carries the cancellation), the provider's answer to either as
//! the outbox worker records it, and the provider's status reports. Every change is a
//! read-modify-write of one row in one transaction, the row locked on PostgreSQL.
//!
//! secgraph's own `errorInfo` (a cancellation, a provider's refusal to run the action) has code
//! and subcode 0; the message says what happened. Codes other than 0 come from providers.

use super::{doc_text, from_columns, SecurityAction, SecurityActionState, SecurityActionStore};
use super::{ActionJob, CancelJob, ACTION_CANCEL_KIND, ACTION_KIND, COLUMNS};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::outbox;
use crate::providers::Provider;
use crate::value::Value;
use model::{datetime, TenantId};
use provider_protocol::PROTOCOL_VERSION;
use provider_protocol::{ActionCancellation, ActionInvocation, ActionStatus, ActionStatusUpdate};
use provider_protocol::{CallbackAnswer, CallbackResult, ResolvedAction, ResultInfo};
use time::OffsetDateTime;

/// What creating an action takes besides its provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSecurityAction {
    /// The request resolved against the provider's manifest
    /// (`ProviderManifest::resolve_action`): canonical names, normalised values.
    pub action: ResolvedAction,
    /// `actionReason`, as given.
    pub action_reason: Option<String>,
    /// `clientContext`, as given (the caller checked its length).
    pub client_context: Option<String>,
    /// The calling application (from the token).
    pub app_id: Option<String>,
    /// The signed-in user (delegated tokens only).
    pub user: Option<String>,
}

/// The outcome of a change to an existing action.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutcome {
    /// The change was recorded; the action as stored now.
    Changed(SecurityAction),
    /// Nothing to record (a repeat of the current status, or an answer that changes nothing).
    Unchanged(SecurityAction),
    /// No action with that id in this tenant.
    NotFound,
    /// The action runs at another provider (status reports only).
    NotOwner,
    /// Refused, with a message for the caller (a final action cannot change).
    Refused(String),
}

/// What a change decided after looking at the stored action.
enum Decision {
    /// Write the changed action back.
    Write,
    /// Write nothing; answer this (boxed: an outcome carries a whole action).
    Keep(Box<ActionOutcome>),
}

impl Decision {
    fn keep(outcome: ActionOutcome) -> Decision {
        Decision::Keep(Box::new(outcome))
    }
}

impl SecurityActionStore {
    /// Stores a new action `NotStarted` at `provider` and, in the same transaction, the outbox row
    /// ([`ACTION_KIND`], [`ActionJob`]) that delivers it, so the call to the provider is as durable
    /// as the action. Returns the action as stored; refused when the invocation would not be a
    /// valid envelope (for example an `actionReason` over 1,024 characters).
    pub async fn create(
        &self,
        provider: &Provider,
        new: NewSecurityAction,
        now: OffsetDateTime,
    ) -> Result<SecurityAction, StoreError> {
        let tenant = self.tenant.tenant_id().clone();
        let id = uuid::Uuid::now_v7().to_string();
        let action = fresh(&id, &tenant, provider, &new, now);
        let mut invocation = ActionInvocation::new(id, tenant.clone(), new.action, now);
        invocation.action_reason = new.action_reason;
        invocation.client_context = new.client_context;
        invocation.requested_by = new.app_id;
        invocation
            .validate()
            .map_err(|e| StoreError::Rejected(format!("The security action was refused: {e}")))?;
        let job = serde_json::to_value(ActionJob {
            provider_id: provider.id.clone(),
            invocation,
        })?;
        let row = action.clone();
        self.tenant
            .store()
            .write(move |tx| {
                insert_row(tx, &tenant, &row)?;
                outbox::insert(tx, &tenant, ACTION_KIND, &job, now)
            })
            .await?;
        Ok(action)
    }

    /// Cancels action `id` on behalf of application `app_id` (`cancelSecurityAction`): it ends
    /// `Failed` at `now` with an `errorInfo` saying who cancelled it and when, and the
    /// cancellation ([`ACTION_CANCEL_KIND`], [`CancelJob`]) is enqueued for the provider in the same
    /// transaction. [`ActionOutcome::Refused`] when the action is already `Completed` or `Failed`.
    pub async fn cancel(
        &self,
        id: &str,
        app_id: Option<String>,
        now: OffsetDateTime,
    ) -> Result<ActionOutcome, StoreError> {
        let tenant = self.tenant.tenant_id().clone();
        self.modify(id, move |tx, action| {
            if action.status.is_final() {
                return Ok(Decision::keep(ActionOutcome::Refused(format!(
                    "The security action '{}' is already {}; only an action that is NotStarted or \
                     Running can be cancelled.",
                    action.id, action.status
                ))));
            }
            let who = app_id.as_deref().unwrap_or("an unidentified caller");
            action.error_info = Some(ResultInfo {
                code: 0,
                message: Some(format!(
                    "Cancelled by application '{who}' at {} (cancelSecurityAction).",
                    datetime::format(now)
                )),
                subcode: 0,
            });
            action.advance(ActionStatus::Failed, app_id, now);
            let job = serde_json::to_value(CancelJob {
                provider_id: action.provider_id.clone(),
                cancellation: ActionCancellation {
                    protocol_version: PROTOCOL_VERSION,
                    action_id: action.id.clone(),
                    tenant_id: tenant.clone(),
                },
            })?;
            outbox::insert(tx, &tenant, ACTION_CANCEL_KIND, &job, now)?;
            Ok(Decision::Write)
        })
        .await
    }

    /// Records the provider's answer to the delivery of outbox row `kind` for action `id` (the
    /// outbox worker calls it after delivering). A `rejected` invocation ends the action `Failed`
    /// with the provider's reason in `errorInfo` (unless it is already final, for instance
    /// cancelled); `applied` means *accepted* and changes nothing, and so does any answer to a
    /// cancellation (the action is already `Failed`). An unknown `kind` is refused.
    pub async fn record_answer(
        &self,
        id: &str,
        kind: &str,
        answer: CallbackAnswer,
    ) -> Result<ActionOutcome, StoreError> {
        if kind != ACTION_KIND && kind != ACTION_CANCEL_KIND {
            return Err(StoreError::Rejected(format!(
                "'{kind}' is not a security action outbox kind ({ACTION_KIND}, {ACTION_CANCEL_KIND})"
            )));
        }
        let rejected = kind == ACTION_KIND && answer.result == CallbackResult::Rejected;
        let now = self.tenant.now();
        self.modify(id, move |tx, action| {
            if !rejected || action.status.is_final() {
                return Ok(Decision::keep(ActionOutcome::Unchanged(action.clone())));
            }
            let provider = action
                .vendor_information
                .provider
                .clone()
                .unwrap_or_default();
            let reason = answer.reason.as_deref().unwrap_or("no reason given");
            action.error_info = Some(ResultInfo {
                code: 0,
                message: Some(format!(
                    "The provider '{provider}' refused the action: {reason}"
                )),
                subcode: 0,
            });
            let app = provider_client_id(tx, &action.provider_id)?;
            action.advance(ActionStatus::Failed, app, now);
            Ok(Decision::Write)
        })
        .await
    }

    /// Records `provider`'s status report for action `id`: only the provider the action runs at
    /// may report ([`ActionOutcome::NotOwner`]); status moves forward only
    /// ([`ActionStatus::can_become`], otherwise [`ActionOutcome::Refused`]); a repeat of the
    /// current status is [`ActionOutcome::Unchanged`] and adds no state. A recorded report appends
    /// to `states` (with the provider's application id), sets `lastActionDateTime`,
    /// `completedDateTime` when final and `errorInfo` with `Failed`; its time is the report's
    /// `updatedDateTime`, or now. The update is validated here too.
    pub async fn report_status(
        &self,
        id: &str,
        provider: &Provider,
        update: ActionStatusUpdate,
    ) -> Result<ActionOutcome, StoreError> {
        update
            .validate()
            .map_err(|e| StoreError::Rejected(format!("The status report was refused: {e}")))?;
        let (provider_id, client_id) = (provider.id.clone(), provider.client_id.clone());
        let at = update
            .updated_date_time
            .unwrap_or_else(|| self.tenant.now());
        self.modify(id, move |_, action| {
            if action.provider_id != provider_id {
                return Ok(Decision::keep(ActionOutcome::NotOwner));
            }
            if action.status == update.status {
                return Ok(Decision::keep(ActionOutcome::Unchanged(action.clone())));
            }
            if !action.status.can_become(update.status) {
                return Ok(Decision::keep(ActionOutcome::Refused(format!(
                    "The security action '{}' is {} and cannot become {}: status moves forward only \
                     (NotStarted, Running, then Completed or Failed) and never leaves a final status.",
                    action.id, action.status, update.status
                ))));
            }
            action.error_info = update.error_info;
            action.advance(update.status, Some(client_id), at);
            Ok(Decision::Write)
        })
        .await
    }

    /// Reads action `id` of this tenant (locked until the transaction ends), lets `change` decide,
    /// and writes the action back when it says so.
    async fn modify<F>(&self, id: &str, change: F) -> Result<ActionOutcome, StoreError>
    where
        F: FnOnce(&mut dyn Tx, &mut SecurityAction) -> Result<Decision, StoreError>
            + Send
            + 'static,
    {
        let (tenant, id) = (self.tenant.tenant_id().clone(), id.to_owned());
        self.tenant
            .store()
            .write(move |tx| {
                let d = tx.dialect();
                let select = statement(
                    d,
                    &format!(
                        "SELECT {COLUMNS} FROM security_actions WHERE tenant_id = $1 AND id = $2{}",
                        d.lock_rows()
                    ),
                );
                let key = [Value::from(tenant.as_str()), Value::from(id.as_str())];
                let Some(row) = tx.query(&select, &key)?.into_iter().next() else {
                    return Ok(ActionOutcome::NotFound);
                };
                let mut action = from_columns(&mut row.into_iter())?;
                if let Decision::Keep(outcome) = change(tx, &mut action)? {
                    return Ok(*outcome);
                }
                let update = statement(
                    tx.dialect(),
                    "UPDATE security_actions SET status = $3, doc = $4 WHERE tenant_id = $1 AND id = $2",
                );
                let params = [
                    key[0].clone(),
                    key[1].clone(),
                    Value::from(action.status.as_str()),
                    Value::from(doc_text(&action)?),
                ];
                tx.execute(&update, &params)?;
                Ok(ActionOutcome::Changed(action))
            })
            .await
    }
}

/// A new action `NotStarted` at `now`, with its first state.
fn fresh(
    id: &str,
    tenant: &TenantId,
    provider: &Provider,
    new: &NewSecurityAction,
    now: OffsetDateTime,
) -> SecurityAction {
    SecurityAction {
        id: id.to_owned(),
        name: new.action.name.clone(),
        status: ActionStatus::NotStarted,
        action_reason: new.action_reason.clone(),
        client_context: new.client_context.clone(),
        app_id: new.app_id.clone(),
        azure_tenant_id: tenant.as_str().to_owned(),
        user: new.user.clone(),
        created_date_time: now,
        last_action_date_time: Some(now),
        completed_date_time: None,
        error_info: None,
        parameters: new.action.parameters.clone(),
        states: vec![SecurityActionState {
            app_id: new.app_id.clone(),
            status: ActionStatus::NotStarted,
            updated_date_time: Some(now),
            user: new.user.clone(),
        }],
        vendor_information: provider.vendor_information(),
        provider_id: provider.id.clone(),
    }
}

/// Inserts the row of a new action.
fn insert_row(tx: &mut dyn Tx, tenant: &TenantId, row: &SecurityAction) -> Result<(), StoreError> {
    let sql = statement(
        tx.dialect(),
        "INSERT INTO security_actions (tenant_id, id, provider_id, status, created, doc) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    );
    let params = [
        Value::from(tenant.as_str()),
        Value::from(row.id.as_str()),
        Value::from(row.provider_id.as_str()),
        Value::from(row.status.as_str()),
        Value::from(datetime::format(row.created_date_time)),
        Value::from(doc_text(row)?),
    ];
    tx.execute(&sql, &params)?;
    Ok(())
}

/// The application id of provider `provider_id` (`None` once the provider is deleted).
fn provider_client_id(tx: &mut dyn Tx, provider_id: &str) -> Result<Option<String>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT client_id FROM providers WHERE id = $1",
    );
    match tx.query(&sql, &[provider_id.into()])?.into_iter().next() {
        Some(row) => match row.into_iter().next() {
            Some(v) => v.into_text("providers.client_id").map(Some),
            None => Err(StoreError::Corrupt("provider row lacks client_id".into())),
        },
        None => Ok(None),
    }
}
