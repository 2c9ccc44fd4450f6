//! Threat-intelligence enrichment of alerts: every alert written through the ingest path (pushes,
//! imports, provider pulls, the demo, API changes) gets `threatIntelligenceMatches`, the tenant's
//! indicators matching values of its evidence; and when a tenant's indicators change, its stored
//! alerts are re-matched in the background so the matches stay current.
//!
//! - [`EnrichmentHook`] is a `before_write` [`IngestHook`]: it matches with the tenant's index if
//!   this node has loaded it (see [`IndicatorIndex::load_all`], run at startup); otherwise it leaves
//!   the alert's matches as they were, and the re-match that follows the index's load sets them.
//! - [`TenantStore::rematch_alerts`] walks the tenant's alerts in id order, compares each alert's
//!   stored matches with a fresh match, and rewrites only the alerts that differ (origin
//!   `enrichment`, so they appear in the change feed as updates). Its cost is one read of every
//!   alert of the tenant per pass; passes are coalesced (see [`IndicatorIndex::follow`]).

use crate::error::StoreError;
use crate::hooks::{IngestHook, IngestOrigin, WriteInfo};
use crate::indicator_index::TenantIndex;
use crate::tenant::TenantStore;
use crate::value::Value;
use crate::{dialect::statement, encode::decode};
use matcher::{Hit, Query};
use model::evidence::observables::evidence_observables;
use model::indicator::ObservableValue;
use model::{AlertEvidence, StoredAlert, ThreatIntelligenceMatch};
use std::sync::Arc;
use time::OffsetDateTime;

/// Alerts read per step of a re-match pass.
const PAGE: i64 = 500;

/// The `before_write` hook that sets `threatIntelligenceMatches`.
pub struct EnrichmentHook {
    pub(crate) index: crate::indicator_index::IndicatorIndex,
}

impl IngestHook for EnrichmentHook {
    fn before_write(&self, alert: &mut StoredAlert, info: &WriteInfo<'_>) -> Result<(), String> {
        if let Some(index) = self.index.loaded(info.tenant_id) {
            alert.alert.threat_intelligence_matches =
                index.evidence_matches(&alert.alert.evidence, info.now);
        }
        Ok(())
    }
}

impl TenantIndex {
    /// The live indicators matching values of `evidence` at `now`, in evidence order.
    pub fn evidence_matches(
        &self,
        evidence: &[AlertEvidence],
        now: OffsetDateTime,
    ) -> Vec<ThreatIntelligenceMatch> {
        let snapshot = self.snapshot();
        let mut hits: Vec<Hit> = Vec::new();
        let mut out = Vec::new();
        // Most tenants have no indicators: skip reading the evidence (this runs on every ingest).
        if snapshot.is_empty() {
            return out;
        }
        for value in evidence_observables(evidence) {
            let (query, text) = match &value {
                ObservableValue::Ip(ip) => (Query::Ip(*ip), ip.to_string()),
                ObservableValue::Domain(d) => (Query::Domain(d), d.clone()),
                ObservableValue::Url(u) => (Query::Url(u), u.clone()),
                ObservableValue::Hash(_, h) => (Query::Hash(h), h.clone()),
                ObservableValue::Email(e) => (Query::Email(e), e.clone()),
                ObservableValue::Cidr(..) => continue,
            };
            hits.clear();
            snapshot.all_matches(query, now.unix_timestamp(), &mut hits);
            for hit in &hits {
                let Some(id) = self.indicator_id(hit.key) else {
                    continue;
                };
                out.push(ThreatIntelligenceMatch {
                    indicator_id: id.to_string(),
                    action: hit.action.as_str().to_owned(),
                    kind: kind(&value, hit.specificity).to_owned(),
                    value: text.clone(),
                });
            }
        }
        out
    }
}

/// The indicator kind a hit on `value` at `specificity` came from.
fn kind(value: &ObservableValue, specificity: u8) -> &'static str {
    match value {
        ObservableValue::Ip(ip)
            if u32::from(specificity) == if ip.is_ipv4() { 32 } else { 128 } =>
        {
            "ip"
        }
        ObservableValue::Ip(_) | ObservableValue::Cidr(..) => "cidr",
        ObservableValue::Domain(_) => "domain",
        ObservableValue::Url(_) => "url",
        ObservableValue::Hash(..) => "hash",
        ObservableValue::Email(_) => "email",
    }
}

impl TenantStore {
    /// Re-matches every alert of the tenant against `index` and rewrites those whose
    /// `threatIntelligenceMatches` changed; returns how many were rewritten.
    pub async fn rematch_alerts(&self, index: &Arc<TenantIndex>) -> Result<usize, StoreError> {
        let sql = statement(
            self.store().dialect(),
            "SELECT id, doc, extra FROM alerts WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        );
        let mut after = String::new();
        let mut rewritten = 0;
        loop {
            let params = [
                self.tenant_id().as_str().into(),
                Value::Text(after.clone()),
                Value::Int(PAGE),
            ];
            let rows = self.store().read(&sql, &params).await?;
            let Some(last) = rows.last().and_then(|r| r.first()) else {
                return Ok(rewritten);
            };
            after = last.clone().into_text("alerts.id")?;
            let now = self.now();
            let mut stale = Vec::new();
            for row in rows {
                let mut cols = row.into_iter().skip(1);
                let doc = cols.next().unwrap_or(Value::Null).into_text("alerts.doc")?;
                let extra = cols
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("alerts.extra")?;
                let alert = decode(&doc, &extra)?;
                if index.evidence_matches(&alert.alert.evidence, now)
                    != alert.alert.threat_intelligence_matches
                {
                    stale.push(alert.alert.id);
                }
            }
            if !stale.is_empty() {
                let results = self.rewrite_alerts(stale, IngestOrigin::Enrichment).await?;
                rewritten += results.iter().filter(|r| r.is_ok()).count();
            }
        }
    }
}
