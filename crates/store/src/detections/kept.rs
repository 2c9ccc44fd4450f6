//! The events kept for back-matching (`ti_events`): writing them, pruning them by age and count,
//! and matching them again when indicators are added or changed.

use super::EventVerdict;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::indicator_index::TenantIndex;
use crate::multirow::{insert_rows, Slot};
use crate::tenant::TenantStore;
use crate::value::Value;
use model::datetime;
use model::observation::{parse_ndjson_line, Observation};
use std::collections::HashSet;
use std::sync::Arc;
use time::OffsetDateTime;

/// Kept events written per statement.
const KEEP_CHUNK: usize = 250;

/// Kept events read per back-matching step.
const BACK_MATCH_PAGE: i64 = 2000;

impl TenantStore {
    /// Keeps `events` (the NDJSON lines as received, each with the event's own time) for
    /// back-matching.
    pub async fn keep_events(
        &self,
        events: Vec<(OffsetDateTime, String)>,
    ) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let tenant = self.tenant_id().as_str().to_owned();
        let received = datetime::format(self.now());
        self.store()
            .write(move |tx| {
                let own = events.into_iter().flat_map(|(observed, line)| {
                    [Value::Text(datetime::format(observed)), Value::Text(line)]
                });
                insert_rows(
                    tx,
                    "ti_events (tenant_id, received, observed, event)",
                    &[Slot::Shared(1), Slot::Shared(2), Slot::Own(0), Slot::Own(1)],
                    &[tenant.as_str().into(), received.as_str().into()],
                    own,
                    KEEP_CHUNK,
                )?;
                Ok(())
            })
            .await
    }

    /// Matches the kept events against the tenant's index and raises the alerts of the indicators
    /// `indexed` (just created or changed); returns how many alerts were raised.
    pub async fn back_match(
        &self,
        index: &Arc<TenantIndex>,
        indexed: &[Arc<str>],
        window_seconds: i64,
    ) -> Result<usize, StoreError> {
        let only: HashSet<Arc<str>> = indexed.iter().cloned().collect();
        let sql = statement(
            self.store().dialect(),
            "SELECT id, received, event FROM ti_events WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        );
        let mut after = 0_i64;
        let mut raised = 0;
        loop {
            let params = [
                self.tenant_id().as_str().into(),
                Value::Int(after),
                Value::Int(BACK_MATCH_PAGE),
            ];
            let rows = self.store().read(&sql, &params).await?;
            if rows.is_empty() {
                return Ok(raised);
            }
            let now = self.now();
            let mut parsed = Vec::with_capacity(rows.len());
            for row in rows {
                let mut cols = row.into_iter();
                after = cols.next().unwrap_or(Value::Null).as_int("ti_events.id")?;
                let received = cols
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("ti_events.received")?;
                let line = cols
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("ti_events.event")?;
                let received = datetime::parse(&received).map_err(StoreError::Corrupt)?;
                if let Ok(event) = parse_ndjson_line(line.as_bytes(), received) {
                    parsed.push(event);
                }
            }
            let refs: Vec<&Observation> = parsed.iter().collect();
            let verdicts = index.match_observations(&refs, now);
            let events: Vec<(Observation, EventVerdict)> = parsed
                .into_iter()
                .zip(verdicts)
                .filter(|(_, verdict)| {
                    verdict
                        .matches
                        .iter()
                        .any(|m| only.contains(&m.indicator_id))
                })
                .collect();
            let refs: Vec<(&Observation, &EventVerdict)> =
                events.iter().map(|(e, v)| (e, v)).collect();
            raised += self
                .raise_detections(&refs, Some(&only), window_seconds)
                .await?;
        }
    }
}

impl crate::handle::Store {
    /// Drops kept events received before `cutoff`, and in each tenant all but the newest
    /// `max_per_tenant`; returns how many were dropped.
    pub async fn prune_events(
        &self,
        cutoff: OffsetDateTime,
        max_per_tenant: u64,
    ) -> Result<usize, StoreError> {
        let cutoff = datetime::format(cutoff);
        let max = i64::try_from(max_per_tenant).unwrap_or(i64::MAX);
        self.write(move |tx| {
            let by_age = statement(tx.dialect(), "DELETE FROM ti_events WHERE received < $1");
            let mut dropped = tx.execute(&by_age, &[cutoff.into()])?;
            let tenants = tx.query(
                "SELECT tenant_id, COUNT(*) FROM ti_events GROUP BY tenant_id",
                &[],
            )?;
            for row in tenants {
                let mut cols = row.into_iter();
                let tenant = cols
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("ti_events.tenant_id")?;
                let count = cols.next().unwrap_or(Value::Null).as_int("COUNT(*)")?;
                if count <= max {
                    continue;
                }
                let sql = statement(
                    tx.dialect(),
                    "DELETE FROM ti_events WHERE tenant_id = $1 AND id <= \
                     (SELECT id FROM ti_events WHERE tenant_id = $1 ORDER BY id LIMIT 1 OFFSET $2)",
                );
                dropped += tx.execute(&sql, &[tenant.into(), Value::Int(count - max - 1)])?;
            }
            Ok(dropped)
        })
        .await
    }
}
