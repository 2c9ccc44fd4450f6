//! The audit records of the admin commands (`secgraph tenant|app|consent|signing-key`): every
//! command that changes something is appended to the audit log with actor `cli` — the operation,
//! the tenant it belongs to, what it set (never a secret's text) and whether it succeeded. The
//! list commands change nothing and are not recorded.

use crate::admin_cli::{AdminCommand, AppCommand, ConsentCommand, KeyCommand, TenantCommand};
use api::admin::ops;
use serde_json::{json, Value};
use store::audit::{AuditActor, AuditActorKind, AuditCategory, AuditEntry, AuditResult};
use store::Store;

/// What an admin command changes, known before it runs.
#[derive(Debug)]
pub struct CliChange {
    operation: &'static str,
    /// The tenant as typed (canonicalised when recorded).
    tenant: Option<String>,
    /// The application whose home tenant the change belongs to when no tenant is named.
    client_id: Option<String>,
    resource_path: String,
    resource_id: Option<String>,
    change: Value,
}

impl CliChange {
    /// The change `command` makes, or `None` for the commands that only read.
    pub fn of(command: &AdminCommand) -> Option<CliChange> {
        use AdminCommand::*;
        let c = |operation, tenant: Option<&String>, path: String, id: Option<&String>, change| {
            CliChange {
                operation,
                tenant: tenant.cloned(),
                client_id: None,
                resource_path: path,
                resource_id: id.cloned(),
                change,
            }
        };
        Some(match command {
            Tenant(TenantCommand::Create { name, id }) => c(
                "tenant.create",
                id.as_ref(),
                "tenants".into(),
                id.as_ref(),
                json!({ "displayName": name, "id": id }),
            ),
            App(cmd) => return app_change(cmd),
            Consent(ConsentCommand::Grant {
                tenant,
                client_id,
                permissions,
            }) => c(
                "consent.grant",
                Some(tenant),
                format!("tenants/{tenant}/consents/{client_id}"),
                Some(client_id),
                json!({ "permissions": permissions }),
            ),
            Consent(ConsentCommand::Revoke { tenant, client_id }) => c(
                "consent.revoke",
                Some(tenant),
                format!("tenants/{tenant}/consents/{client_id}"),
                Some(client_id),
                Value::Null,
            ),
            Key(KeyCommand::Rotate) => c(
                "signingKey.rotate",
                None,
                "signing-keys".into(),
                None,
                Value::Null,
            ),
            Key(KeyCommand::Retire { kid }) => c(
                "signingKey.retire",
                None,
                format!("signing-keys/{kid}"),
                Some(kid),
                Value::Null,
            ),
            Tenant(TenantCommand::List) | Consent(ConsentCommand::List { .. }) => return None,
            Key(KeyCommand::List) => return None,
        })
    }

    /// Appends the record of this change, which ended with `outcome` (the command's JSON answer,
    /// or its error). A failure to record is returned for the caller to report.
    pub async fn record(
        self,
        store: &Store,
        outcome: Result<Option<&Value>, &ops::AdminError>,
    ) -> Result<(), store::StoreError> {
        let created_id = outcome
            .ok()
            .flatten()
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str);
        let tenant = match (&self.tenant, self.operation) {
            (Some(t), _) => ops::parse_tenant_id(t).ok().map(|t| t.0),
            (None, "tenant.create") => created_id.map(str::to_owned),
            (None, _) => self.home_tenant(store).await,
        };
        let mut change = self.change;
        if let (Err(e), Value::Object(map)) = (&outcome, &mut change) {
            map.insert("error".into(), Value::String(e.to_string()));
        }
        let entry = AuditEntry {
            category: AuditCategory::Cli,
            operation: self.operation.to_owned(),
            method: None,
            resource_path: self.resource_path,
            resource_id: self.resource_id,
            result: match outcome {
                Ok(_) => AuditResult::Success,
                Err(_) => AuditResult::Failure,
            },
            status_code: None,
            request_id: None,
            client_request_id: None,
            initiated_by: AuditActor {
                app: None,
                user: None,
                kind: AuditActorKind::Cli,
            },
            tenant_id: tenant,
            change: (!change.is_null()).then_some(change),
        };
        store.append_audit(entry).await.map(drop)
    }

    /// The home tenant of the application the change names, if it exists.
    async fn home_tenant(&self, store: &Store) -> Option<String> {
        let client_id = ops::parse_client_id(self.client_id.as_deref()?).ok()?;
        let app = store.identity().get_application(&client_id).await.ok()??;
        Some(app.home_tenant_id.0)
    }
}

/// The change an `app` command makes.
fn app_change(cmd: &AppCommand) -> Option<CliChange> {
    let (operation, tenant, client_id, path, id, change) = match cmd {
        AppCommand::Create {
            tenant,
            name,
            multi_tenant,
            permissions,
            all_permissions,
        } => (
            "app.create",
            Some(tenant.clone()),
            None,
            "apps".to_owned(),
            None,
            json!({ "displayName": name, "multiTenant": multi_tenant,
                    "requestedPermissions": permissions, "allPermissions": all_permissions }),
        ),
        AppCommand::AddSecret {
            client_id,
            expires_in_days,
        } => (
            "app.addSecret",
            None,
            Some(client_id.clone()),
            format!("apps/{client_id}/secrets"),
            Some(client_id.clone()),
            json!({ "expiresInDays": expires_in_days }),
        ),
        AppCommand::RemoveSecret {
            client_id,
            secret_id,
        } => (
            "app.removeSecret",
            None,
            Some(client_id.clone()),
            format!("apps/{client_id}/secrets/{secret_id}"),
            Some(secret_id.clone()),
            Value::Null,
        ),
        AppCommand::List { .. } => return None,
    };
    Some(CliChange {
        operation,
        tenant,
        client_id,
        resource_path: path,
        resource_id: id,
        change,
    })
}
