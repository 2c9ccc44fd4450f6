//! The stored rows a write job reads back: one alert's, or a whole batch's in a few statements
//! (each lookup is a round trip on PostgreSQL), compared with what is written.

use super::AlertWriter;
use crate::dialect::{placeholders, statement};
use crate::encode::{decode, Encoded};
use crate::error::StoreError;
use crate::prepared::Prepared;
use crate::value::Value;
use model::{AlertId, StoredAlert};
use std::collections::HashMap;

/// A stored row as read back for comparison.
pub(crate) struct Existing {
    doc: String,
    extra: String,
}

impl Existing {
    /// The `doc, extra` columns of a row.
    fn from_columns(cols: &mut impl Iterator<Item = Value>) -> Result<Existing, StoreError> {
        let mut next = |what: &str| cols.next().unwrap_or(Value::Null).into_text(what);
        Ok(Existing {
            doc: next("alerts.doc")?,
            extra: next("alerts.extra")?,
        })
    }

    /// Whether the row already holds what `enc` would write (so writing it is a no-op).
    pub(crate) fn is_written_as(&self, enc: &Encoded) -> bool {
        self.doc == enc.doc && self.extra == enc.extra
    }

    /// The stored alert.
    pub(crate) fn decode(&self) -> Result<StoredAlert, StoreError> {
        decode(&self.doc, &self.extra)
    }
}

impl AlertWriter<'_> {
    /// The stored row of `id`, if any.
    pub(crate) fn load(&mut self, id: &AlertId) -> Result<Option<Existing>, StoreError> {
        let rows = self.tx.query(
            &self.sql.select,
            &[self.tenant.as_str().into(), id.as_str().into()],
        )?;
        rows.into_iter()
            .next()
            .map(|row| Existing::from_columns(&mut row.into_iter()))
            .transpose()
    }

    /// The stored rows of `ids` (those that exist), read in a few statements instead of one per
    /// alert: a batch's lookups cost a round trip each on PostgreSQL.
    pub(crate) fn load_many(
        &mut self,
        ids: &[&AlertId],
    ) -> Result<HashMap<AlertId, Existing>, StoreError> {
        /// Ids per statement (well under either backend's parameter limit).
        const CHUNK: usize = 500;
        let mut found = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            let sql = statement(
                self.tx.dialect(),
                &format!(
                    "SELECT id, doc, extra FROM alerts WHERE tenant_id = $1 AND id IN ({})",
                    placeholders(2, chunk.len())
                ),
            );
            let mut params = Vec::with_capacity(chunk.len() + 1);
            params.push(self.tenant.as_str().into());
            params.extend(chunk.iter().map(|id| Value::from(id.as_str())));
            for row in self.tx.query(&sql, &params)? {
                let mut cols = row.into_iter();
                let id = AlertId(cols.next().unwrap_or(Value::Null).into_text("alerts.id")?);
                found.insert(id, Existing::from_columns(&mut cols)?);
            }
        }
        Ok(found)
    }

    /// Starts writing a batch: reads the stored rows of its alerts (those that exist) and runs the
    /// hooks' `prepare_batch` on the alerts that have none.
    pub(crate) fn open_batch(
        &mut self,
        prepared: &[Prepared],
    ) -> Result<HashMap<AlertId, Existing>, StoreError> {
        let ids: Vec<&AlertId> = prepared.iter().map(|p| &p.alert.alert.id).collect();
        let stored = self.load_many(&ids)?;
        let fresh: Vec<&StoredAlert> = prepared
            .iter()
            .map(|p| &p.alert)
            .filter(|a| !stored.contains_key(&a.alert.id))
            .collect();
        self.prepare_batch(&fresh)?;
        Ok(stored)
    }
}
