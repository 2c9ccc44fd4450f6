//! Token signing keys, shared by every node through the store. The newest unretired key is the
//! active one (it signs new tokens); every unretired key is published in the JWKS and accepted by
//! verifiers. Rotation adds a new active key and leaves the old ones published, so tokens they
//! signed keep working until the operator retires them (after the token lifetime has passed).

use super::{Cols, IdentityStore};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::{Row, Value};
use auth::SigningKey;
use model::datetime;
use time::OffsetDateTime;

/// A signing key with its bookkeeping.
#[derive(Debug, Clone)]
pub struct StoredSigningKey {
    /// The key.
    pub key: SigningKey,
    /// When it was added.
    pub created: OffsetDateTime,
    /// When it was retired (no longer published nor accepted); `None` while published.
    pub retired: Option<OffsetDateTime>,
}

const COLUMNS: &str = "key_pem, created, retired";

impl IdentityStore {
    /// The key that signs new tokens. When the store has no published key, one is generated and
    /// stored first (if several nodes race, one key wins and all of them return it).
    pub async fn active_signing_key(&self) -> Result<SigningKey, StoreError> {
        if let Some(key) = self.published_signing_keys().await?.into_iter().next() {
            return Ok(key);
        }
        let key = generate().await?;
        let row = key_params(&key, self.now());
        self.write(move |tx| {
            // Without it, two nodes' transactions could both see no key and both insert one.
            if let Some(lock) = tx.dialect().exclusive("first_signing_key") {
                tx.execute(&lock, &[])?;
            }
            let sql = statement(
                tx.dialect(),
                "INSERT INTO signing_keys (kid, key_pem, created) SELECT $1, $2, $3 \
                     WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE retired IS NULL)",
            );
            tx.execute(&sql, &row)
        })
        .await?;
        self.published_signing_keys()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Corrupt("the new signing key was not stored".into()))
    }

    /// Every published (unretired) key, the active one first.
    pub async fn published_signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM signing_keys WHERE retired IS NULL ORDER BY seq DESC");
        let rows = self.store.read(&sql, &[]).await?;
        rows.into_iter()
            .map(|r| key_from_row(r).map(|k| k.key))
            .collect()
    }

    /// Every key ever stored, retired ones included, newest first.
    pub async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM signing_keys ORDER BY seq DESC");
        let rows = self.store.read(&sql, &[]).await?;
        rows.into_iter().map(key_from_row).collect()
    }

    /// Generates a new key and makes it the active one; the previous keys stay published.
    pub async fn rotate_signing_key(&self) -> Result<SigningKey, StoreError> {
        let key = generate().await?;
        self.add_signing_key(&key).await?;
        Ok(key)
    }

    /// Stores `key` as the active key (refused when a key with its kid exists).
    pub async fn add_signing_key(&self, key: &SigningKey) -> Result<(), StoreError> {
        let row = key_params(key, self.now());
        let kid = key.kid.clone();
        self.write(move |tx| {
            let sql = statement(
                tx.dialect(),
                "INSERT INTO signing_keys (kid, key_pem, created) VALUES ($1, $2, $3) \
                     ON CONFLICT (kid) DO NOTHING",
            );
            if tx.execute(&sql, &row)? == 0 {
                return Err(StoreError::Rejected(format!(
                    "the signing key {kid} is already stored"
                )));
            }
            Ok(())
        })
        .await
    }

    /// Retires key `kid`: it leaves the JWKS and tokens it signed stop verifying. The active key
    /// cannot be retired (rotate first). False when no published key has that kid.
    pub async fn retire_signing_key(&self, kid: &str) -> Result<bool, StoreError> {
        let params = vec![Value::from(kid), Value::from(datetime::format(self.now()))];
        let kid = kid.to_owned();
        let retired = self
            .store
            .write(move |tx| {
                if active_kid(tx)?.as_deref() == Some(kid.as_str()) {
                    return Err(StoreError::Rejected(
                        "the active signing key cannot be retired; rotate the keys first".into(),
                    ));
                }
                let sql = statement(
                    tx.dialect(),
                    "UPDATE signing_keys SET retired = $2 WHERE kid = $1 AND retired IS NULL",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        Ok(retired > 0)
    }
}

/// Generates a key off the async workers (RSA generation takes tens to hundreds of milliseconds).
async fn generate() -> Result<SigningKey, StoreError> {
    tokio::task::spawn_blocking(SigningKey::generate)
        .await
        .map_err(|e| StoreError::Backend(format!("signing key generation stopped: {e}")))?
        .map_err(|e| StoreError::Backend(e.to_string()))
}

fn key_params(key: &SigningKey, now: OffsetDateTime) -> Vec<Value> {
    vec![
        Value::from(key.kid.as_str()),
        Value::from(key.to_pem()),
        Value::from(datetime::format(now)),
    ]
}

/// The kid of the newest unretired key, read inside a write.
fn active_kid(tx: &mut dyn Tx) -> Result<Option<String>, StoreError> {
    let sql = "SELECT kid FROM signing_keys WHERE retired IS NULL ORDER BY seq DESC LIMIT 1";
    let row = tx.query(sql, &[])?.into_iter().next();
    row.map(|r| Cols::new("signing_keys", r).text("kid"))
        .transpose()
}

fn key_from_row(row: Row) -> Result<StoredSigningKey, StoreError> {
    let mut c = Cols::new("signing_keys", row);
    let pem = c.text("key_pem")?;
    let key = SigningKey::from_pem(&pem)
        .map_err(|e| StoreError::Corrupt(format!("stored signing key: {e}")))?;
    Ok(StoredSigningKey {
        key,
        created: c.time("created")?,
        retired: c.opt_time("retired")?,
    })
}
