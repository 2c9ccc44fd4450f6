//! Tenants: create, get, list. (The tenants table predates identity: `Store::ensure_tenant` upserts
//! a tenant with a chosen id for imports and the demo.)

use super::{display_name, new_id, Cols, IdentityStore};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::{Row, Value};
use model::{datetime, TenantId};
use time::OffsetDateTime;

/// A tenant (an organisation; every Graph entity belongs to one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// The tenant id (a GUID).
    pub id: TenantId,
    /// Its name.
    pub display_name: String,
    /// When it was created.
    pub created: OffsetDateTime,
}

const COLUMNS: &str = "id, display_name, created";

impl IdentityStore {
    /// Creates a tenant with a new GUID.
    pub async fn create_tenant(&self, name: &str) -> Result<Tenant, StoreError> {
        self.create_tenant_with_id(&TenantId(new_id()), name).await
    }

    /// Creates a tenant with the given id, which must be a GUID (stored in canonical lowercase);
    /// refused when a tenant with that id exists.
    pub async fn create_tenant_with_id(
        &self,
        id: &TenantId,
        name: &str,
    ) -> Result<Tenant, StoreError> {
        let id = uuid::Uuid::parse_str(id.as_str())
            .map_err(|_| StoreError::Rejected(format!("the tenant id '{id}' is not a GUID")))?;
        let tenant = Tenant {
            id: TenantId(id.hyphenated().to_string()),
            display_name: display_name(name, "tenant")?,
            created: self.now(),
        };
        let params = vec![
            Value::from(tenant.id.as_str()),
            Value::from(tenant.display_name.as_str()),
            Value::from(datetime::format(tenant.created)),
        ];
        let inserted = self
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO tenants (id, display_name, created) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        if inserted == 0 {
            return Err(StoreError::Rejected(format!(
                "a tenant with id {} already exists",
                tenant.id
            )));
        }
        Ok(tenant)
    }

    /// The tenant with `id`, if any.
    pub async fn get_tenant(&self, id: &TenantId) -> Result<Option<Tenant>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!("SELECT {COLUMNS} FROM tenants WHERE id = $1"),
        );
        let rows = self.store.read(&sql, &[id.as_str().into()]).await?;
        rows.into_iter().next().map(tenant_from_row).transpose()
    }

    /// Every tenant, oldest first.
    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY created, id");
        let rows = self.store.read(&sql, &[]).await?;
        rows.into_iter().map(tenant_from_row).collect()
    }
}

fn tenant_from_row(row: Row) -> Result<Tenant, StoreError> {
    let mut c = Cols::new("tenants", row);
    Ok(Tenant {
        id: TenantId(c.text("id")?),
        display_name: c.text("display_name")?,
        created: c.time("created")?,
    })
}
