//! The provider registry: a provider is a vendor's product bound to the vendor's (multi-tenant)
//! application, with its validated manifest and the secrets secgraph signs its calls with. Reached
//! through [`Store::providers`].
//!
//! Providers are global rows, like applications: one registration serves every tenant that consents
//! to the provider's application (that consent is what *enables* the provider for a tenant, and
//! [`ProviderStore::enabled_for`] reads it). A provider's name is fixed at registration: it is the
//! alerts' `vendorInformation.provider` and part of their ids, so renaming one would orphan its
//! alerts. Signing secrets are kept as issued, not hashed, because secgraph has to sign with them;
//! during a rotation the previous secret stays active (both are sent) until it is retired.

mod answers;
mod controls;
mod health;
pub mod push;
pub mod sync;

pub use controls::StoredControlState;
pub use health::{Arrival, ProviderHealth};
pub use sync::{AlertUpdateJob, ALERT_UPDATE_KIND};

pub(crate) use answers::{write_answers, PendingAnswer};

use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::identity::{require_application, write_announced, Cols};
use crate::value::{Row, Value};
use model::{datetime, TenantId, VendorInformation};
use provider_protocol::{ProviderManifest, ProviderMode, SigningKey};
use time::OffsetDateTime;

/// A registered provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// Registry id (a GUID).
    pub id: String,
    /// The application the provider authenticates as.
    pub client_id: String,
    /// Its validated manifest (name, vendor, mode, callback base URL, actions).
    pub manifest: ProviderManifest,
    /// Active signing secrets, newest first (the newest signs; all are sent during a rotation).
    pub secrets: Vec<String>,
    /// Whether secgraph may call it on private, loopback or link-local addresses.
    pub allow_private: bool,
    /// When it was registered.
    pub created: OffsetDateTime,
    /// When its record last changed.
    pub updated: OffsetDateTime,
}

impl Provider {
    /// The product name (`vendorInformation.provider`).
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// How its alerts arrive.
    pub fn mode(&self) -> ProviderMode {
        self.manifest.mode
    }

    /// The `vendorInformation` its alerts carry.
    pub fn vendor_information(&self) -> VendorInformation {
        self.manifest.vendor_information()
    }

    /// One signing key per active secret, newest first.
    pub fn signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        self.secrets
            .iter()
            .map(|s| SigningKey::new(s).map_err(StoreError::Corrupt))
            .collect()
    }
}

/// What registering a provider takes.
#[derive(Debug, Clone)]
pub struct NewProvider {
    /// The vendor's application (must exist; tenants enable the provider by consenting to it).
    pub client_id: String,
    /// The manifest (validated here).
    pub manifest: ProviderManifest,
    /// Allow callbacks to private, loopback and link-local addresses.
    pub allow_private: bool,
}

/// Handle on the provider registry (cheap to clone).
#[derive(Debug, Clone)]
pub struct ProviderStore {
    pub(crate) store: Store,
}

impl Store {
    /// The provider registry and the providers' per-tenant health.
    pub fn providers(&self) -> ProviderStore {
        ProviderStore {
            store: self.clone(),
        }
    }
}

const COLUMNS: &str = "id, client_id, manifest, secrets, allow_private, created, updated";

impl ProviderStore {
    /// Registers a provider; returns it and its first signing secret (shown once, to be handed to
    /// the vendor). Refused (with a message for the caller) when the manifest is invalid, the
    /// application does not exist or already backs a provider, or the name is taken.
    pub async fn register(&self, new: NewProvider) -> Result<(Provider, String), StoreError> {
        check_manifest(&new.manifest)?;
        let (secret, _) = auth::ClientSecret::generate();
        let now = self.store.clock().now();
        let provider = Provider {
            id: uuid::Uuid::new_v4().hyphenated().to_string(),
            client_id: new.client_id,
            manifest: new.manifest,
            secrets: vec![secret.clone()],
            allow_private: new.allow_private,
            created: now,
            updated: now,
        };
        let row = provider.clone();
        self.write(move |tx| {
            require_application(tx, &row.client_id)?;
            if let Some(other) = find(tx, "client_id", &row.client_id)? {
                return Err(StoreError::Rejected(format!(
                    "the application '{}' already backs the provider '{}'; one application per provider",
                    row.client_id,
                    other.name()
                )));
            }
            if let Some(other) = find(tx, "name", row.name())? {
                return Err(StoreError::Rejected(format!(
                    "a provider named '{}' is already registered (id {})",
                    row.name(),
                    other.id
                )));
            }
            let sql = statement(
                tx.dialect(),
                &format!(
                    "INSERT INTO providers (name, vendor, mode, {COLUMNS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                ),
            );
            let mut params = vec![
                Value::from(row.name()),
                Value::from(row.manifest.vendor.as_str()),
                Value::from(row.mode().as_str()),
            ];
            params.extend(row_values(&row)?);
            tx.execute(&sql, &params).map(|_| ())
        })
        .await?;
        Ok((provider, secret))
    }

    /// The provider with registry id `id`.
    pub async fn get(&self, id: &str) -> Result<Option<Provider>, StoreError> {
        self.read_one("id", id).await
    }

    /// The provider backed by application `client_id` (how a calling provider is recognised).
    pub async fn by_client_id(&self, client_id: &str) -> Result<Option<Provider>, StoreError> {
        self.read_one("client_id", client_id).await
    }

    /// Every registered provider, by name.
    pub async fn list(&self) -> Result<Vec<Provider>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM providers ORDER BY name");
        let rows = self.store.read(&sql, &[]).await?;
        rows.into_iter().map(provider_from_row).collect()
    }

    /// The providers `tenant` has enabled (consented to their applications), by name.
    pub async fn enabled_for(&self, tenant: &TenantId) -> Result<Vec<Provider>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = statement(
            self.store.dialect(),
            &format!(
                "SELECT {columns} FROM providers p JOIN consents c ON c.client_id = p.client_id \
                 WHERE c.tenant_id = $1 ORDER BY p.name"
            ),
        );
        let rows = self.store.read(&sql, &[tenant.as_str().into()]).await?;
        rows.into_iter().map(provider_from_row).collect()
    }

    /// Replaces the manifest (and, when given, the private-address allowance). The name may not
    /// change (see the module docs).
    pub async fn update(
        &self,
        id: &str,
        manifest: ProviderManifest,
        allow_private: Option<bool>,
    ) -> Result<Provider, StoreError> {
        check_manifest(&manifest)?;
        let (id, now) = (id.to_owned(), self.store.clock().now());
        self.modify(id, move |p| {
            if p.manifest.name != manifest.name {
                return Err(StoreError::Rejected(format!(
                    "a provider's name cannot change ('{}' to '{}'): its alerts carry it; \
                     register a new provider instead",
                    p.manifest.name, manifest.name
                )));
            }
            p.manifest = manifest;
            p.allow_private = allow_private.unwrap_or(p.allow_private);
            p.updated = now;
            Ok(())
        })
        .await
    }

    /// Starts a secret rotation: a new secret signs from now on, and the previous one is sent
    /// beside it until [`retire_secrets`](Self::retire_secrets). Returns the new secret.
    pub async fn rotate_secret(&self, id: &str) -> Result<String, StoreError> {
        let (secret, _) = auth::ClientSecret::generate();
        let (new, now) = (secret.clone(), self.store.clock().now());
        self.modify(id.to_owned(), move |p| {
            p.secrets.truncate(1);
            p.secrets.insert(0, new);
            p.updated = now;
            Ok(())
        })
        .await?;
        Ok(secret)
    }

    /// Ends a rotation: only the newest secret stays active.
    pub async fn retire_secrets(&self, id: &str) -> Result<Provider, StoreError> {
        let now = self.store.clock().now();
        self.modify(id.to_owned(), move |p| {
            p.secrets.truncate(1);
            p.updated = now;
            Ok(())
        })
        .await
    }

    /// Removes a provider (its per-tenant health goes with it; its alerts stay, unlinked from
    /// sync-back). Returns whether it existed.
    pub async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.write(move |tx| {
            let d = tx.dialect();
            tx.execute(
                &statement(d, "DELETE FROM provider_tenants WHERE provider_id = $1"),
                &[id.as_str().into()],
            )?;
            let n = tx.execute(
                &statement(d, "DELETE FROM providers WHERE id = $1"),
                &[id.as_str().into()],
            )?;
            Ok(n > 0)
        })
        .await
    }

    async fn read_one(&self, column: &str, value: &str) -> Result<Option<Provider>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!("SELECT {COLUMNS} FROM providers WHERE {column} = $1"),
        );
        let rows = self.store.read(&sql, &[value.into()]).await?;
        rows.into_iter().next().map(provider_from_row).transpose()
    }

    /// Read-modify-write of one provider's record in one transaction.
    async fn modify<F>(&self, id: String, change: F) -> Result<Provider, StoreError>
    where
        F: FnOnce(&mut Provider) -> Result<(), StoreError> + Send + 'static,
    {
        self.write(move |tx| {
            let mut p = find(tx, "id", &id)?
                .ok_or_else(|| StoreError::Rejected(format!("no provider has the id '{id}'")))?;
            change(&mut p)?;
            let sql = statement(
                tx.dialect(),
                "UPDATE providers SET vendor = $2, mode = $3, manifest = $4, secrets = $5, \
                 allow_private = $6, updated = $7 WHERE id = $1",
            );
            let values = row_values(&p)?;
            let params = vec![
                Value::from(p.id.as_str()),
                Value::from(p.manifest.vendor.as_str()),
                Value::from(p.mode().as_str()),
                values[2].clone(),
                values[3].clone(),
                values[4].clone(),
                values[6].clone(),
            ];
            tx.execute(&sql, &params)?;
            Ok(p)
        })
        .await
    }

    /// Runs a registry write; every node hears of it, so cached provider records are re-read.
    async fn write<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        write_announced(&self.store, work).await
    }
}

/// The manifest's problems as one message for the caller.
fn check_manifest(manifest: &ProviderManifest) -> Result<(), StoreError> {
    manifest
        .validate()
        .map_err(|e| StoreError::Rejected(format!("the provider manifest is not valid: {e}")))
}

/// The provider whose `column` is `value`, inside a transaction.
fn find(tx: &mut dyn Tx, column: &str, value: &str) -> Result<Option<Provider>, StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!("SELECT {COLUMNS} FROM providers WHERE {column} = $1"),
    );
    let row = tx.query(&sql, &[value.into()])?.into_iter().next();
    row.map(provider_from_row).transpose()
}

/// The values of [`COLUMNS`] for `p`.
fn row_values(p: &Provider) -> Result<Vec<Value>, StoreError> {
    let manifest = serde_json::to_string(&p.manifest)
        .map_err(|e| StoreError::Corrupt(format!("provider manifest: {e}")))?;
    let secrets = serde_json::Value::from(p.secrets.clone()).to_string();
    Ok(vec![
        Value::from(p.id.as_str()),
        Value::from(p.client_id.as_str()),
        Value::from(manifest),
        Value::from(secrets),
        Value::from(p.allow_private),
        Value::from(datetime::format(p.created)),
        Value::from(datetime::format(p.updated)),
    ])
}

fn provider_from_row(row: Row) -> Result<Provider, StoreError> {
    let mut c = Cols::new("providers", row);
    let id = c.text("id")?;
    let client_id = c.text("client_id")?;
    let manifest = serde_json::from_str(&c.text("manifest")?)
        .map_err(|e| StoreError::Corrupt(format!("providers.manifest of {id}: {e}")))?;
    let secrets = serde_json::from_str(&c.text("secrets")?)
        .map_err(|e| StoreError::Corrupt(format!("providers.secrets of {id}: {e}")))?;
    Ok(Provider {
        id,
        client_id,
        manifest,
        secrets,
        allow_private: c.flag("allow_private")?,
        created: c.time("created")?,
        updated: c.time("updated")?,
    })
}
