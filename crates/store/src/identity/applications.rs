//! Application registrations: an app (client id) owned by a home tenant, single- or multi-tenant,
//! with the application permissions it requests (what a tenant admin may consent to).

use super::{display_name, new_id, permissions_json, Cols, IdentityStore};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::{Row, Value};
use auth::Permission;
use model::{datetime, TenantId};
use time::OffsetDateTime;

/// A registered application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The client id (a GUID), also its `appid`/`azp` in tokens.
    pub client_id: String,
    /// The tenant that registered it.
    pub home_tenant_id: TenantId,
    /// Its name (stamped on the comments and changes it makes).
    pub display_name: String,
    /// Whether tenants other than its home tenant may consent to it.
    pub multi_tenant: bool,
    /// The application permissions it requests, in declaration order.
    pub requested_permissions: Vec<Permission>,
    /// When it was registered.
    pub created: OffsetDateTime,
}

/// What registering an application takes.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The tenant registering it (must exist).
    pub home_tenant_id: TenantId,
    /// Its name (1 to 256 characters).
    pub display_name: String,
    /// Whether other tenants may consent to it.
    pub multi_tenant: bool,
    /// The permissions it requests (duplicates are dropped).
    pub requested_permissions: Vec<Permission>,
}

const COLUMNS: &str =
    "client_id, home_tenant_id, display_name, multi_tenant, requested_permissions, created";

impl IdentityStore {
    /// Registers an application with a new client id.
    pub async fn create_application(&self, new: NewApplication) -> Result<Application, StoreError> {
        let (requested_permissions, permissions) = permissions_json(&new.requested_permissions);
        let app = Application {
            client_id: new_id(),
            home_tenant_id: new.home_tenant_id,
            display_name: display_name(&new.display_name, "application")?,
            multi_tenant: new.multi_tenant,
            requested_permissions,
            created: self.now(),
        };
        let params = vec![
            Value::from(app.client_id.as_str()),
            Value::from(app.home_tenant_id.as_str()),
            Value::from(app.display_name.as_str()),
            Value::from(app.multi_tenant),
            Value::from(permissions),
            Value::from(datetime::format(app.created)),
        ];
        let home = app.home_tenant_id.clone();
        self.write(move |tx| {
            require_tenant(tx, &home)?;
            let sql = statement(
                tx.dialect(),
                &format!("INSERT INTO applications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"),
            );
            tx.execute(&sql, &params)
        })
        .await?;
        Ok(app)
    }

    /// The application with `client_id`, if any.
    pub async fn get_application(
        &self,
        client_id: &str,
    ) -> Result<Option<Application>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!("SELECT {COLUMNS} FROM applications WHERE client_id = $1"),
        );
        let rows = self.store.read(&sql, &[client_id.into()]).await?;
        rows.into_iter()
            .next()
            .map(application_from_row)
            .transpose()
    }

    /// The applications registered by `home_tenant` (every application when `None`), oldest first.
    pub async fn list_applications(
        &self,
        home_tenant: Option<&TenantId>,
    ) -> Result<Vec<Application>, StoreError> {
        let rows = match home_tenant {
            Some(tenant) => {
                let sql = statement(
                    self.store.dialect(),
                    &format!(
                        "SELECT {COLUMNS} FROM applications WHERE home_tenant_id = $1 \
                         ORDER BY created, client_id"
                    ),
                );
                self.store.read(&sql, &[tenant.as_str().into()]).await?
            }
            None => {
                let sql = format!("SELECT {COLUMNS} FROM applications ORDER BY created, client_id");
                self.store.read(&sql, &[]).await?
            }
        };
        rows.into_iter().map(application_from_row).collect()
    }
}

/// Fails with [`StoreError::UnknownTenant`] unless `tenant` has a row.
pub(super) fn require_tenant(tx: &mut dyn Tx, tenant: &TenantId) -> Result<(), StoreError> {
    let sql = statement(tx.dialect(), "SELECT 1 FROM tenants WHERE id = $1");
    if tx.query(&sql, &[tenant.as_str().into()])?.is_empty() {
        return Err(StoreError::UnknownTenant(tenant.clone()));
    }
    Ok(())
}

/// The application `client_id` read inside a write, or a rejection naming it.
pub(crate) fn require_application(
    tx: &mut dyn Tx,
    client_id: &str,
) -> Result<Application, StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!("SELECT {COLUMNS} FROM applications WHERE client_id = $1"),
    );
    let row = tx.query(&sql, &[client_id.into()])?.into_iter().next();
    let row = row.ok_or_else(|| {
        StoreError::Rejected(format!("no application has the client id '{client_id}'"))
    })?;
    application_from_row(row)
}

fn application_from_row(row: Row) -> Result<Application, StoreError> {
    let mut c = Cols::new("applications", row);
    Ok(Application {
        client_id: c.text("client_id")?,
        home_tenant_id: TenantId(c.text("home_tenant_id")?),
        display_name: c.text("display_name")?,
        multi_tenant: c.flag("multi_tenant")?,
        requested_permissions: c.permissions("requested_permissions")?,
        created: c.time("created")?,
    })
}
