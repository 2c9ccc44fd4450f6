//! Export keys: revocable per-tenant credentials for devices that poll indicator exports
//! (`/secgraph/v1/tiIndicators/export`) but cannot do OAuth — firewalls and proxies reading an
//! external dynamic list.
//!
//! A key is `sgx_<id>_<secret>`: `id` is a GUID (the row to look up), `secret` is 32 bytes from the
//! operating system's random source written as 43 base64url characters. Only the SHA-256 of the
//! whole key is stored (as with client secrets: a random value needs no slow hash), with its last
//! four characters as a hint; the key itself exists only in the [`NewExportKey`] returned by
//! [`ExportKeyStore::create`]. Revoking keeps the row (for the record) and refuses the key at once:
//! every check reads the row, nothing is cached.
//!
//! Tenant scope: [`ExportKeyStore`] is reached from a [`TenantStore`] and every statement it runs
//! names the tenant. The one query that does not is [`Store::check_export_key`], which is how a
//! presented key tells which tenant it belongs to; it answers nothing but that tenant (and only when
//! the whole key matches).

use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::outbox::parse_time;
use crate::tenant::TenantStore;
use crate::value::{Row, Value};
use auth::SecretHash;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use model::{datetime, TenantId};
use rand::rngs::OsRng;
use rand::RngCore;
use std::fmt;
use time::OffsetDateTime;

/// What every export key starts with (so it can be told from an OAuth token and found by scanners).
pub const EXPORT_KEY_PREFIX: &str = "sgx_";
/// Random bytes in a key's secret part.
pub const EXPORT_KEY_RANDOM_BYTES: usize = 32;
/// Characters of the key kept as its hint.
pub const EXPORT_KEY_HINT_CHARS: usize = 4;
/// Longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 256;

/// A stored export key (never the key itself, never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportKey {
    /// The key's id (a GUID; the middle part of the key).
    pub id: String,
    /// The tenant whose indicators it exports.
    pub tenant_id: TenantId,
    /// The key's last four characters.
    pub hint: String,
    /// What the operator wrote about it (where it is used); may be empty.
    pub description: String,
    /// When it was created.
    pub created: OffsetDateTime,
    /// When it was revoked; `None` while it works.
    pub revoked: Option<OffsetDateTime>,
}

/// A key just created: the key to hand over once, and what was stored.
#[derive(Clone)]
pub struct NewExportKey {
    /// The key itself (`sgx_<id>_<secret>`); it is not stored and cannot be shown again.
    pub key: String,
    /// The stored record.
    pub record: ExportKey,
}

impl fmt::Debug for NewExportKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewExportKey")
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}

/// What a presented key turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKeyCheck {
    /// A live key of `tenant_id`.
    Valid {
        /// Its tenant.
        tenant_id: TenantId,
        /// Its id (for logs).
        key_id: String,
    },
    /// The whole key matched, but it was revoked.
    Revoked,
    /// Not a key of this store: malformed, unknown id, or wrong secret (not told apart).
    Unknown,
}

/// The export keys of one tenant.
#[derive(Debug, Clone)]
pub struct ExportKeyStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's export keys.
    pub fn export_keys(&self) -> ExportKeyStore {
        ExportKeyStore {
            tenant: self.clone(),
        }
    }
}

const COLUMNS: &str = "id, tenant_id, hint, description, created, revoked";

impl ExportKeyStore {
    /// Generates a key for the tenant and stores its hash. `description` is trimmed; more than
    /// [`MAX_DESCRIPTION_CHARS`] characters or a control character is refused
    /// ([`StoreError::Rejected`]); an unknown tenant is [`StoreError::UnknownTenant`].
    pub async fn create(&self, description: &str) -> Result<NewExportKey, StoreError> {
        let description = checked_description(description)?;
        let id = uuid::Uuid::new_v4().hyphenated().to_string();
        let key = format!("{EXPORT_KEY_PREFIX}{id}_{}", random_secret());
        let skip = key.chars().count().saturating_sub(EXPORT_KEY_HINT_CHARS);
        let record = ExportKey {
            id,
            tenant_id: self.tenant.tenant_id().clone(),
            hint: key.chars().skip(skip).collect(),
            description,
            created: self.tenant.now(),
            revoked: None,
        };
        let params = vec![
            Value::from(record.id.as_str()),
            Value::from(record.tenant_id.as_str()),
            Value::from(SecretHash::of(&key).to_hex()),
            Value::from(record.hint.as_str()),
            Value::from(record.description.as_str()),
            Value::from(datetime::format(record.created)),
        ];
        let tenant = record.tenant_id.clone();
        self.tenant
            .store()
            .write(move |tx| {
                let sql = statement(tx.dialect(), "SELECT 1 FROM tenants WHERE id = $1");
                if tx.query(&sql, &[tenant.as_str().into()])?.is_empty() {
                    return Err(StoreError::UnknownTenant(tenant));
                }
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO ti_export_keys (id, tenant_id, hash, hint, description, created) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        Ok(NewExportKey { key, record })
    }

    /// The tenant's keys, revoked ones included, oldest first.
    pub async fn list(&self) -> Result<Vec<ExportKey>, StoreError> {
        let sql = statement(
            self.tenant.store().dialect(),
            &format!(
                "SELECT {COLUMNS} FROM ti_export_keys WHERE tenant_id = $1 ORDER BY created, id"
            ),
        );
        let rows = self
            .tenant
            .store()
            .read(&sql, &[self.tenant.tenant_id().as_str().into()])
            .await?;
        rows.into_iter().map(key_from_row).collect()
    }

    /// Revokes key `id` of the tenant: it is refused from the next request on. `None` when the
    /// tenant has no such key; a key revoked before keeps its first revocation time.
    pub async fn revoke(&self, id: &str) -> Result<Option<ExportKey>, StoreError> {
        let now = datetime::format(self.tenant.now());
        let tenant = self.tenant.tenant_id().as_str().to_owned();
        let id = id.trim().to_owned();
        self.tenant
            .store()
            .write(move |tx| {
                let update = statement(
                    tx.dialect(),
                    "UPDATE ti_export_keys SET revoked = $3 \
                     WHERE tenant_id = $1 AND id = $2 AND revoked IS NULL",
                );
                let scope = [Value::from(tenant.as_str()), Value::from(id.as_str())];
                tx.execute(&update, &[scope[0].clone(), scope[1].clone(), now.into()])?;
                let select = statement(
                    tx.dialect(),
                    &format!(
                        "SELECT {COLUMNS} FROM ti_export_keys WHERE tenant_id = $1 AND id = $2"
                    ),
                );
                tx.query(&select, &scope)?
                    .into_iter()
                    .next()
                    .map(key_from_row)
                    .transpose()
            })
            .await
    }
}

impl Store {
    /// What `presented` is: a live key (and its tenant), a revoked one, or nothing of ours. The row
    /// is found by the key's id; the SHA-256 of the whole key is compared in constant time.
    pub async fn check_export_key(&self, presented: &str) -> Result<ExportKeyCheck, StoreError> {
        let Some(id) = key_id(presented) else {
            return Ok(ExportKeyCheck::Unknown);
        };
        let sql = statement(
            self.dialect(),
            "SELECT tenant_id, hash, revoked FROM ti_export_keys WHERE id = $1",
        );
        let rows = self.read(&sql, &[id.into()]).await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(ExportKeyCheck::Unknown);
        };
        let mut cols = row.into_iter();
        let mut next = |what: &str| {
            cols.next()
                .ok_or_else(|| StoreError::Corrupt(format!("ti_export_keys row lacks {what}")))
        };
        let tenant_id = TenantId(next("tenant_id")?.into_text("ti_export_keys.tenant_id")?);
        let hex = next("hash")?.into_text("ti_export_keys.hash")?;
        let revoked = next("revoked")?.into_opt_text("ti_export_keys.revoked")?;
        let hash = SecretHash::from_hex(&hex)
            .ok_or_else(|| StoreError::Corrupt(format!("export key {id} has a malformed hash")))?;
        Ok(match (hash.verify(presented), revoked) {
            (false, _) => ExportKeyCheck::Unknown,
            (true, Some(_)) => ExportKeyCheck::Revoked,
            (true, None) => ExportKeyCheck::Valid {
                tenant_id,
                key_id: id.to_owned(),
            },
        })
    }
}

/// Whether `text` has the shape of an export key (`sgx_` + GUID + `_` + 43 base64url characters).
pub fn looks_like_export_key(text: &str) -> bool {
    key_id(text).is_some()
}

/// The id part of a well-formed key.
fn key_id(key: &str) -> Option<&str> {
    let (id, secret) = key.strip_prefix(EXPORT_KEY_PREFIX)?.split_once('_')?;
    let guid = id.len() == 36 && uuid::Uuid::try_parse(id).is_ok();
    let secret_ok = secret.len() == 43
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (guid && secret_ok).then_some(id)
}

/// 32 random bytes, base64url without padding (43 characters).
fn random_secret() -> String {
    let mut bytes = [0u8; EXPORT_KEY_RANDOM_BYTES];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A description as stored: trimmed, at most [`MAX_DESCRIPTION_CHARS`], no control characters.
fn checked_description(text: &str) -> Result<String, StoreError> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(StoreError::Rejected(format!(
            "the export key description must be at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(StoreError::Rejected(
            "the export key description must not contain control characters (line breaks, tabs)"
                .to_owned(),
        ));
    }
    Ok(text.to_owned())
}

fn key_from_row(row: Row) -> Result<ExportKey, StoreError> {
    let mut cols = row.into_iter();
    let mut next = |what: &str| {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt(format!("ti_export_keys row lacks {what}")))
    };
    let id = next("id")?.into_text("ti_export_keys.id")?;
    let tenant_id = TenantId(next("tenant_id")?.into_text("ti_export_keys.tenant_id")?);
    let hint = next("hint")?.into_text("ti_export_keys.hint")?;
    let description = next("description")?.into_text("ti_export_keys.description")?;
    let created = parse_time(&next("created")?.into_text("ti_export_keys.created")?)?;
    let revoked = next("revoked")?
        .into_opt_text("ti_export_keys.revoked")?
        .as_deref()
        .map(parse_time)
        .transpose()?;
    Ok(ExportKey {
        id,
        tenant_id,
        hint,
        description,
        created,
        revoked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shape_is_checked_before_any_lookup() {
        let good = format!("sgx_{}_{}", uuid::Uuid::nil().hyphenated(), "A".repeat(43));
        assert!(looks_like_export_key(&good));
        assert!(
            !looks_like_export_key(&good[..good.len() - 1]),
            "short secret"
        );
        assert!(
            !looks_like_export_key(&good.replace("sgx_", "sgy_")),
            "prefix"
        );
        let bad_secret = format!(
            "sgx_{}_{}",
            uuid::Uuid::nil().hyphenated(),
            "A!".repeat(21) + "A"
        );
        assert!(!looks_like_export_key(&bad_secret), "non-base64url secret");
        assert!(
            !looks_like_export_key("eyJhbGciOi.x.y"),
            "a JWT is not a key"
        );
    }

    #[test]
    fn secrets_are_43_base64url_characters() {
        let s = random_secret();
        assert_eq!(s.len(), 43);
        assert_ne!(s, random_secret());
    }

    #[test]
    fn descriptions_are_trimmed_and_bounded() {
        assert_eq!(checked_description("  fw-1  ").unwrap(), "fw-1");
        assert!(checked_description(&"x".repeat(257)).is_err());
        assert!(checked_description("a\nb").is_err());
    }
}
