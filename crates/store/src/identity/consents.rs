//! Admin consents: a tenant grants an application some of the permissions it requests. Tokens for
//! (tenant, app) are issued only while a consent exists and carry exactly its permissions; granting
//! again replaces the set, revoking refuses new tokens at once (tokens already issued live until
//! their `exp`). Either change, to a consent that existed, sends the application's change
//! subscriptions in the tenant `reauthorizationRequired`.

use super::applications::{require_application, require_tenant};
use super::{permissions_json, Cols, IdentityStore};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::subscriptions;
use crate::value::{Row, Value};
use auth::Permission;
use model::{datetime, TenantId};
use time::OffsetDateTime;

/// A tenant's consent to an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The consenting tenant.
    pub tenant_id: TenantId,
    /// The application.
    pub client_id: String,
    /// The permissions granted (a subset of those requested), in declaration order.
    pub permissions: Vec<Permission>,
    /// When this grant was made.
    pub granted: OffsetDateTime,
}

const COLUMNS: &str = "tenant_id, client_id, permissions, granted";

impl IdentityStore {
    /// Records `tenant`'s consent to `client_id` for `permissions`, replacing any earlier grant.
    /// Refused when the tenant or application does not exist, when the application is
    /// single-tenant and `tenant` is not its home, or when a permission is not requested by it.
    pub async fn grant_consent(
        &self,
        tenant: &TenantId,
        client_id: &str,
        permissions: &[Permission],
    ) -> Result<Consent, StoreError> {
        let (permissions, json) = permissions_json(permissions);
        let consent = Consent {
            tenant_id: tenant.clone(),
            client_id: client_id.to_owned(),
            permissions,
            granted: self.now(),
        };
        let params = vec![
            Value::from(consent.tenant_id.as_str()),
            Value::from(consent.client_id.as_str()),
            Value::from(json),
            Value::from(datetime::format(consent.granted)),
        ];
        let check = consent.clone();
        self.write(move |tx| {
            require_tenant(tx, &check.tenant_id)?;
            let app = require_application(tx, &check.client_id)?;
            check_grant(&app, &check)?;
            let before = statement(
                tx.dialect(),
                "SELECT permissions FROM consents WHERE tenant_id = $1 AND client_id = $2",
            );
            let previous = tx.query(&before, &params[..2])?;
            let changed = previous
                .into_iter()
                .next()
                .and_then(|row| row.into_iter().next())
                .is_some_and(|old| old != params[2]);
            if changed {
                subscriptions::consent_changed(
                    tx,
                    &check.tenant_id,
                    &check.client_id,
                    check.granted,
                )?;
            }
            let sql = statement(
                tx.dialect(),
                &format!(
                    "INSERT INTO consents ({COLUMNS}) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (tenant_id, client_id) DO UPDATE SET \
                         permissions = excluded.permissions, granted = excluded.granted"
                ),
            );
            tx.execute(&sql, &params)
        })
        .await?;
        Ok(consent)
    }

    /// Withdraws `tenant`'s consent to `client_id`; false when there was none.
    pub async fn revoke_consent(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<bool, StoreError> {
        let params = vec![Value::from(tenant.as_str()), Value::from(client_id)];
        let (tenant, client_id, now) = (tenant.clone(), client_id.to_owned(), self.now());
        let removed = self
            .store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "DELETE FROM consents WHERE tenant_id = $1 AND client_id = $2",
                );
                let removed = tx.execute(&sql, &params)?;
                if removed > 0 {
                    subscriptions::consent_changed(tx, &tenant, &client_id, now)?;
                }
                Ok(removed)
            })
            .await?;
        Ok(removed > 0)
    }

    /// `tenant`'s consent to `client_id`, if any.
    pub async fn get_consent(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<Option<Consent>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!("SELECT {COLUMNS} FROM consents WHERE tenant_id = $1 AND client_id = $2"),
        );
        let rows = self
            .store
            .read(&sql, &[tenant.as_str().into(), client_id.into()])
            .await?;
        rows.into_iter().next().map(consent_from_row).transpose()
    }

    /// The consents given by `tenant` (every consent when `None`), oldest first.
    pub async fn list_consents(
        &self,
        tenant: Option<&TenantId>,
    ) -> Result<Vec<Consent>, StoreError> {
        let rows = match tenant {
            Some(tenant) => {
                let sql = statement(
                    self.store.dialect(),
                    &format!(
                        "SELECT {COLUMNS} FROM consents WHERE tenant_id = $1 \
                         ORDER BY granted, client_id"
                    ),
                );
                self.store.read(&sql, &[tenant.as_str().into()]).await?
            }
            None => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM consents ORDER BY granted, tenant_id, client_id"
                );
                self.store.read(&sql, &[]).await?
            }
        };
        rows.into_iter().map(consent_from_row).collect()
    }
}

/// The consent rules that depend on the application.
fn check_grant(app: &super::Application, consent: &Consent) -> Result<(), StoreError> {
    if !app.multi_tenant && app.home_tenant_id != consent.tenant_id {
        return Err(StoreError::Rejected(format!(
            "the application '{}' ({}) is single-tenant: only its home tenant {} can consent to it",
            app.display_name, app.client_id, app.home_tenant_id
        )));
    }
    let extra: Vec<&str> = consent
        .permissions
        .iter()
        .filter(|p| !app.requested_permissions.contains(p))
        .map(|p| p.as_str())
        .collect();
    if !extra.is_empty() {
        return Err(StoreError::Rejected(format!(
            "the application '{}' does not request {}; it requests {}",
            app.display_name,
            extra.join(", "),
            names(&app.requested_permissions)
        )));
    }
    Ok(())
}

fn names(permissions: &[Permission]) -> String {
    if permissions.is_empty() {
        return "no permissions".to_owned();
    }
    permissions
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn consent_from_row(row: Row) -> Result<Consent, StoreError> {
    let mut c = Cols::new("consents", row);
    Ok(Consent {
        tenant_id: TenantId(c.text("tenant_id")?),
        client_id: c.text("client_id")?,
        permissions: c.permissions("permissions")?,
        granted: c.time("granted")?,
    })
}
