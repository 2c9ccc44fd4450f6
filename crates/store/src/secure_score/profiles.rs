//! Control profiles: materialised from the catalogue per tenant, read as OData pages (rank order by
//! default), and updated by `PATCH` (which appends a `controlStateUpdates` entry).

use super::documents::{doc_text, profile_from, CONTROL_PROFILES, PROFILE_COLUMNS};
use super::{catalogue, SecureScoreStore};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::value::Value;
use model::datetime;
use model::patch::ControlProfilePatch;
use model::secure_score::{Catalogue, SecureScoreControlProfile};
use odata::bound::{BoundExpr, BoundQuery};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One page of control profiles.
pub type ProfilePage = EntityPage<SecureScoreControlProfile>;

/// What a profile update did.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileUpdate {
    /// Stored; the profile as it is now.
    Updated(Box<SecureScoreControlProfile>),
    /// The tenant has no profile with that id.
    NotFound,
    /// The patch does not apply (its vendor is not the profile's); the message says why.
    Refused(String),
}

impl SecureScoreStore {
    /// Builds (or rebuilds, after a catalogue change) the tenant's profiles from the catalogue; a
    /// single read when they are current.
    pub async fn ensure_profiles(&self) -> Result<(), StoreError> {
        let cat = catalogue()?;
        let sql = statement(
            self.store().dialect(),
            "SELECT catalogue_version FROM secure_score_tenants WHERE tenant_id = $1",
        );
        let rows = self.store().read(&sql, &[self.tenant_id().into()]).await?;
        let current = rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .map(|v| v.into_opt_text("catalogue_version"))
            .transpose()?
            .flatten();
        if current.as_deref() == Some(cat.version.as_str()) {
            return Ok(());
        }
        let tenant = self.tenant_id().to_owned();
        let now = datetime::format(self.tenant.now());
        self.store()
            .write(move |tx| materialise(tx, cat, &tenant, &now))
            .await
    }

    /// Every profile of the tenant (materialising them first when needed), in rank order.
    pub async fn profiles(&self) -> Result<Vec<SecureScoreControlProfile>, StoreError> {
        self.ensure_profiles().await?;
        let sql = statement(
            self.store().dialect(),
            &format!(
                "SELECT {PROFILE_COLUMNS} FROM secure_score_control_profiles WHERE tenant_id = $1 \
                 ORDER BY sort_key DESC, id DESC"
            ),
        );
        let rows = self.store().read(&sql, &[self.tenant_id().into()]).await?;
        rows.into_iter()
            .map(|r| profile_from(&mut r.into_iter()))
            .collect()
    }

    /// A page of profiles: `query`'s filter (bound against
    /// [`model::secure_score::SECURE_SCORE_CONTROL_PROFILE`]), order (rank by default), `$count`,
    /// `$skiptoken` and `$skip`; `page_size` rows at most.
    pub async fn list_profiles(
        &self,
        query: &BoundQuery,
        page_size: u32,
    ) -> Result<ProfilePage, StoreError> {
        self.ensure_profiles().await?;
        let scope = self.scope();
        let q = PageQuery {
            docs: &CONTROL_PROFILES,
            scope: &scope,
            columns: PROFILE_COLUMNS,
            query,
            page_size,
        };
        list_page(self.store(), &q, profile_from).await
    }

    /// The number of the tenant's profiles matching `filter`.
    pub async fn count_profiles(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        self.ensure_profiles().await?;
        count_rows(self.store(), &CONTROL_PROFILES, &self.scope(), filter).await
    }

    /// The profile `id` (the control name, matched without case).
    pub async fn get_profile(
        &self,
        id: &str,
    ) -> Result<Option<SecureScoreControlProfile>, StoreError> {
        self.ensure_profiles().await?;
        let sql = statement(
            self.store().dialect(),
            &format!(
                "SELECT {PROFILE_COLUMNS} FROM secure_score_control_profiles \
                 WHERE tenant_id = $1 AND control_key = $2"
            ),
        );
        let params = [self.tenant_id().into(), key(id).into()];
        let rows = self.store().read(&sql, &params).await?;
        rows.into_iter()
            .next()
            .map(|r| profile_from(&mut r.into_iter()))
            .transpose()
    }

    /// Applies `patch` to profile `id` in one transaction: the update made by `updated_by` at
    /// `now` is appended to its `controlStateUpdates`.
    pub async fn update_profile(
        &self,
        id: &str,
        patch: ControlProfilePatch,
        updated_by: Option<String>,
        now: OffsetDateTime,
    ) -> Result<ProfileUpdate, StoreError> {
        self.ensure_profiles().await?;
        let (tenant, key) = (self.tenant_id().to_owned(), key(id));
        self.store()
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    &format!(
                        "SELECT {PROFILE_COLUMNS} FROM secure_score_control_profiles \
                         WHERE tenant_id = $1 AND control_key = $2{}",
                        tx.dialect().lock_rows()
                    ),
                );
                let params = [Value::from(tenant.as_str()), Value::from(key.as_str())];
                let Some(row) = tx.query(&sql, &params)?.into_iter().next() else {
                    return Ok(ProfileUpdate::NotFound);
                };
                let mut profile = profile_from(&mut row.into_iter())?;
                if let Err(e) = patch.apply(&mut profile, updated_by, now) {
                    return Ok(ProfileUpdate::Refused(e.message));
                }
                let sql = statement(
                    tx.dialect(),
                    "UPDATE secure_score_control_profiles SET doc = $3 \
                     WHERE tenant_id = $1 AND control_key = $2",
                );
                let doc = doc_text(&profile, "control profile")?;
                tx.execute(&sql, &[params[0].clone(), params[1].clone(), doc.into()])?;
                Ok(ProfileUpdate::Updated(Box::new(profile)))
            })
            .await
    }
}

/// The key a control name is stored and looked up under.
fn key(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

/// Rebuilds the tenant's profiles from `cat` around their `controlStateUpdates` (inside the
/// writer's transaction, holding the profiles' rows), unless another node already did.
fn materialise(
    tx: &mut dyn Tx,
    cat: &Catalogue,
    tenant: &str,
    now: &str,
) -> Result<(), StoreError> {
    // Two nodes materialising at once would otherwise both rebuild (harmless but wasted).
    if let Some(lock) = tx.dialect().exclusive("secure_score_profiles") {
        tx.execute(&lock, &[])?;
    }
    let version = statement(
        tx.dialect(),
        "SELECT catalogue_version FROM secure_score_tenants WHERE tenant_id = $1",
    );
    let rows = tx.query(&version, &[tenant.into()])?;
    let done = rows.into_iter().next().and_then(|r| r.into_iter().next());
    if done == Some(Value::Text(cat.version.clone())) {
        return Ok(());
    }
    for p in &rebuilt(cat, tenant, stored_profiles(tx, tenant)?) {
        upsert(tx, tenant, p)?;
    }
    let sql = statement(
        tx.dialect(),
        "INSERT INTO secure_score_tenants (tenant_id, catalogue_version, updated) \
         VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE SET \
         catalogue_version = excluded.catalogue_version",
    );
    let params = [tenant.into(), cat.version.as_str().into(), now.into()];
    tx.execute(&sql, &params).map(drop)
}

/// The tenant's stored profiles by key, locked until the transaction ends.
fn stored_profiles(
    tx: &mut dyn Tx,
    tenant: &str,
) -> Result<HashMap<String, SecureScoreControlProfile>, StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!(
            "SELECT control_key, {PROFILE_COLUMNS} FROM secure_score_control_profiles \
             WHERE tenant_id = $1{}",
            tx.dialect().lock_rows()
        ),
    );
    let mut out = HashMap::new();
    for row in tx.query(&sql, &[tenant.into()])? {
        let mut cols = row.into_iter();
        let k = cols
            .next()
            .unwrap_or(Value::Null)
            .into_text("control_key")?;
        out.insert(k, profile_from(&mut cols)?);
    }
    Ok(out)
}

/// A profile per catalogue control, carrying the `old` profile's updates; old profiles of controls
/// the catalogue no longer has are kept, marked deprecated.
fn rebuilt(
    cat: &Catalogue,
    tenant: &str,
    mut old: HashMap<String, SecureScoreControlProfile>,
) -> Vec<SecureScoreControlProfile> {
    let mut fresh = Vec::with_capacity(cat.controls.len());
    for control in &cat.controls {
        let (updates, modified) = match old.remove(&key(&control.id)) {
            Some(p) => (p.control_state_updates, p.last_modified_date_time),
            None => (Vec::new(), None),
        };
        fresh.push(SecureScoreControlProfile::from_control(
            control, tenant, updates, modified,
        ));
    }
    for mut p in old.into_values() {
        p.deprecated = true;
        fresh.push(p);
    }
    fresh
}

fn upsert(tx: &mut dyn Tx, tenant: &str, p: &SecureScoreControlProfile) -> Result<(), StoreError> {
    let sql = statement(
        tx.dialect(),
        "INSERT INTO secure_score_control_profiles (tenant_id, control_key, id, sort_key, doc) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, control_key) DO UPDATE SET \
         id = excluded.id, sort_key = excluded.sort_key, doc = excluded.doc",
    );
    let params = [
        Value::from(tenant),
        Value::from(key(&p.id)),
        Value::from(p.id.as_str()),
        Value::Int(-i64::from(p.rank)),
        Value::from(doc_text(p, "control profile")?),
    ];
    tx.execute(&sql, &params).map(drop)
}
