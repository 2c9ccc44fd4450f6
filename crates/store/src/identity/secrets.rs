//! Client secrets of an application: stored as SHA-256 with a three-character hint and an optional
//! expiry. The plaintext exists only in [`NewSecret`], returned once by
//! [`IdentityStore::create_secret`]. Removing a secret refuses new tokens at once.

use super::applications::require_application;
use super::{new_id, Cols, IdentityStore};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::{Row, Value};
use auth::{ClientSecret, SecretHash};
use model::datetime;
use std::fmt;
use time::OffsetDateTime;

/// A stored client secret (no plaintext).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSecret {
    /// The secret's id (a GUID; Graph's `keyId`).
    pub id: String,
    /// The application it authenticates.
    pub client_id: String,
    /// SHA-256 of the plaintext.
    pub hash: SecretHash,
    /// The plaintext's last three characters.
    pub hint: String,
    /// When it stops working (`None`: never); the token endpoint compares it with its clock.
    pub expires: Option<OffsetDateTime>,
    /// When it was added.
    pub created: OffsetDateTime,
}

/// A secret just created: the plaintext to show once, and what was stored.
#[derive(Clone)]
pub struct NewSecret {
    /// The secret itself; it is not stored and cannot be shown again.
    pub plaintext: String,
    /// The stored record.
    pub secret: AppSecret,
}

impl fmt::Debug for NewSecret {
    /// Never prints the plaintext.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSecret")
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, client_id, hash, hint, expires, created";

impl IdentityStore {
    /// Generates a secret for `client_id` (see [`ClientSecret::generate`]) and stores its hash.
    pub async fn create_secret(
        &self,
        client_id: &str,
        expires: Option<OffsetDateTime>,
    ) -> Result<NewSecret, StoreError> {
        let (plaintext, hash) = ClientSecret::generate();
        let hint = ClientSecret::hint(&plaintext);
        let secret = self.add_secret(client_id, hash, &hint, expires).await?;
        Ok(NewSecret { plaintext, secret })
    }

    /// Stores a secret hash for `client_id`, refused when no such application exists.
    pub async fn add_secret(
        &self,
        client_id: &str,
        hash: SecretHash,
        hint: &str,
        expires: Option<OffsetDateTime>,
    ) -> Result<AppSecret, StoreError> {
        let secret = AppSecret {
            id: new_id(),
            client_id: client_id.to_owned(),
            hash,
            hint: hint.to_owned(),
            expires,
            created: self.now(),
        };
        let params = vec![
            Value::from(secret.id.as_str()),
            Value::from(secret.client_id.as_str()),
            Value::from(secret.hash.to_hex()),
            Value::from(secret.hint.as_str()),
            Value::from(secret.expires.map(datetime::format)),
            Value::from(datetime::format(secret.created)),
        ];
        let client = secret.client_id.clone();
        self.write(move |tx| {
            require_application(tx, &client)?;
            let sql = statement(
                tx.dialect(),
                &format!(
                    "INSERT INTO application_secrets ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
                ),
            );
            tx.execute(&sql, &params)
        })
        .await?;
        Ok(secret)
    }

    /// Deletes secret `secret_id` of `client_id`; false when there was none.
    pub async fn remove_secret(
        &self,
        client_id: &str,
        secret_id: &str,
    ) -> Result<bool, StoreError> {
        let params = vec![Value::from(client_id), Value::from(secret_id)];
        let removed = self
            .store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "DELETE FROM application_secrets WHERE client_id = $1 AND id = $2",
                );
                tx.execute(&sql, &params)
            })
            .await?;
        Ok(removed > 0)
    }

    /// The secrets of `client_id`, oldest first.
    pub async fn list_secrets(&self, client_id: &str) -> Result<Vec<AppSecret>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!(
                "SELECT {COLUMNS} FROM application_secrets WHERE client_id = $1 ORDER BY created, id"
            ),
        );
        let rows = self.store.read(&sql, &[client_id.into()]).await?;
        rows.into_iter().map(secret_from_row).collect()
    }
}

fn secret_from_row(row: Row) -> Result<AppSecret, StoreError> {
    let mut c = Cols::new("application_secrets", row);
    let id = c.text("id")?;
    let client_id = c.text("client_id")?;
    let hex = c.text("hash")?;
    let hash = SecretHash::from_hex(&hex)
        .ok_or_else(|| StoreError::Corrupt(format!("secret {id} has a malformed hash")))?;
    Ok(AppSecret {
        id,
        client_id,
        hash,
        hint: c.text("hint")?,
        expires: c.opt_time("expires")?,
        created: c.time("created")?,
    })
}
