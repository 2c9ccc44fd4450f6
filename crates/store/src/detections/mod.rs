//! Detections from observed events: what an event's values match in a tenant's index, the
//! alerts raised for `alert` and `block` matches, the events kept for back-matching, and the
//! back-match that runs when indicators are added or changed.
//!
//! - **Per value**, the most specific level with a live indicator decides (allow > block > alert
//!   within it); every indicator at that level is reported. **Per event**, `block` if any value is
//!   blocked, else `alert` if any alerts, else `allow` if any value is explicitly allowed, else no
//!   verdict: an allow exempts its own value, not the event's other values.
//! - **Alerts** are raised for each indicator whose own action (as matching applies it) is `alert`
//!   or `block` at a value's deciding level, unless that value's verdict is `allow`. One alert per
//!   indicator, value and window ([`model::detection`]); an alert that already exists is left as it
//!   is (an analyst may be working on it), so repeats within a window raise nothing.
//! - **Kept events** (`ti_events`): the NDJSON line as received, with the time it was received and
//!   the event's own time, at most a configured age and count per tenant (oldest dropped first by
//!   [`crate::Store::prune_events`]). [`TenantStore::back_match`] reads them when indicators are
//!   (re)indexed and raises the alerts those indicators would have raised.

mod kept;

use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::hooks::IngestOrigin;
use crate::indicator_index::TenantIndex;
use crate::tenant::TenantStore;
use crate::value::Value;
use matcher::{Action, Query};
use model::detection::Detection;
use model::indicator::{ObservableValue, TiIndicator};
use model::observation::Observation;
use model::{AlertId, StoredAlert};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use time::OffsetDateTime;

/// Default detection window: one alert per indicator and value per hour.
pub const DEFAULT_WINDOW_SECONDS: i64 = 3600;

/// Where detection alerts come from (recorded with their changes).
pub const DETECTION_ORIGIN: &str = "threat-intelligence";

/// One indicator matching one value of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueMatch {
    /// The index of the value in [`Observation::values`].
    pub value: usize,
    /// The indicator.
    pub indicator_id: Arc<str>,
    /// The indicator's action as matching applies it.
    pub action: Action,
}

/// What an event matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventVerdict {
    /// The event's verdict; `None` when nothing matched.
    pub verdict: Option<Action>,
    /// Every indicator at each value's deciding level.
    pub matches: Vec<ValueMatch>,
    /// Each value's own verdict, in value order (`None`: no match).
    pub value_verdicts: Vec<Option<Action>>,
}

impl TenantIndex {
    /// Matches every value of `event` at `now` (see the module docs for the rules).
    pub fn match_observation(&self, event: &Observation, now: OffsetDateTime) -> EventVerdict {
        self.match_observations(&[event], now)
            .pop()
            .unwrap_or_default()
    }

    /// [`match_observation`](Self::match_observation) for each of `events`, in order. The values
    /// of all the events go through the matcher as one batch, so that the memory reads of many
    /// lookups overlap: send a request's events together.
    pub fn match_observations(
        &self,
        events: &[&Observation],
        now: OffsetDateTime,
    ) -> Vec<EventVerdict> {
        let snapshot = self.snapshot();
        let mut queries = Vec::new();
        // (event, value) of each query.
        let mut origin = Vec::new();
        let mut out: Vec<EventVerdict> = Vec::with_capacity(events.len());
        for (e, event) in events.iter().enumerate() {
            out.push(EventVerdict {
                value_verdicts: vec![None; event.values.len()],
                ..EventVerdict::default()
            });
            for (v, observed) in event.values.iter().enumerate() {
                if let Some(q) = query(&observed.value) {
                    queries.push(q);
                    origin.push((e, v));
                }
            }
        }
        snapshot.all_matches_batch(&queries, now.unix_timestamp(), |i, hits| {
            let (e, v) = origin[i];
            let Some(level) = hits.iter().map(|h| h.specificity).max() else {
                return;
            };
            let verdict = &mut out[e];
            let deciding = hits.iter().filter(|h| h.specificity == level);
            verdict.value_verdicts[v] = deciding.clone().map(|h| h.action).max();
            for hit in deciding {
                if let Some(id) = self.indicator_id(hit.key) {
                    verdict.matches.push(ValueMatch {
                        value: v,
                        indicator_id: id,
                        action: hit.action,
                    });
                }
            }
        });
        for verdict in &mut out {
            let has = |a: Action| verdict.value_verdicts.contains(&Some(a));
            verdict.verdict = [Action::Block, Action::Alert, Action::Allow]
                .into_iter()
                .find(|a| has(*a));
        }
        out
    }
}

/// The lookup of a normalised value (addresses, names, URLs, hashes, e-mails).
pub fn query(value: &ObservableValue) -> Option<Query<'_>> {
    Some(match value {
        ObservableValue::Ip(ip) => Query::Ip(*ip),
        ObservableValue::Domain(d) => Query::Domain(d),
        ObservableValue::Url(u) => Query::Url(u),
        ObservableValue::Hash(_, h) => Query::Hash(h),
        ObservableValue::Email(e) => Query::Email(e),
        ObservableValue::Cidr(..) => return None,
    })
}

/// One alert to raise: which event, which of its values, which indicator.
struct Candidate<'a> {
    event: &'a Observation,
    value: usize,
    indicator: Arc<str>,
    blocked: bool,
}

impl TenantStore {
    /// Raises the alerts the matched `events` call for (only for indicators in `only`, when given);
    /// returns how many new alerts were written.
    pub async fn raise_detections(
        &self,
        events: &[(&Observation, &EventVerdict)],
        only: Option<&HashSet<Arc<str>>>,
        window_seconds: i64,
    ) -> Result<usize, StoreError> {
        let mut candidates = Vec::new();
        for (event, verdict) in events {
            for m in &verdict.matches {
                let value_verdict = verdict.value_verdicts.get(m.value).copied().flatten();
                if m.action == Action::Allow || value_verdict == Some(Action::Allow) {
                    continue;
                }
                if only.is_some_and(|set| !set.contains(&m.indicator_id)) {
                    continue;
                }
                candidates.push(Candidate {
                    event,
                    value: m.value,
                    indicator: m.indicator_id.clone(),
                    blocked: value_verdict == Some(Action::Block),
                });
            }
        }
        if candidates.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = candidates
            .iter()
            .map(|c| c.indicator.to_string())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let indicators: HashMap<String, TiIndicator> = self
            .all_indicators()
            .get_many(&ids)
            .await?
            .into_iter()
            .filter_map(|s| {
                let id = s.id.clone();
                serde_json::from_value(serde_json::Value::Object(s.doc))
                    .ok()
                    .map(|t| (id, t))
            })
            .collect();
        let now = self.now();
        let mut alerts: HashMap<AlertId, StoredAlert> = HashMap::new();
        for c in &candidates {
            let Some(indicator) = indicators.get(c.indicator.as_ref()) else {
                continue;
            };
            let detection = Detection {
                tenant: self.tenant_id(),
                observation: c.event,
                matched: &c.event.values[c.value],
                indicator,
                blocked: c.blocked,
                window_seconds,
                now,
            };
            let id = detection.alert_id();
            if alerts.contains_key(&id) {
                continue;
            }
            let alert = detection
                .alert()
                .map_err(|e| StoreError::Corrupt(format!("detection alert: {e}")))?;
            alerts.insert(id, alert);
        }
        let existing = self
            .existing_alerts(alerts.keys().cloned().collect())
            .await?;
        let fresh: Vec<StoredAlert> = alerts
            .into_iter()
            .filter(|(id, _)| !existing.contains(id))
            .map(|(_, a)| a)
            .collect();
        if fresh.is_empty() {
            return Ok(0);
        }
        let summary = self
            .ingest(fresh, IngestOrigin::Provider(DETECTION_ORIGIN.into()))
            .await?;
        Ok(summary.created)
    }

    /// Which of `ids` are stored alerts of the tenant.
    pub async fn existing_alerts(&self, ids: Vec<AlertId>) -> Result<HashSet<AlertId>, StoreError> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(500) {
            let sql = statement(
                self.store().dialect(),
                &format!(
                    "SELECT id FROM alerts WHERE tenant_id = $1 AND id IN ({})",
                    placeholders(2, chunk.len())
                ),
            );
            let mut params = vec![Value::from(self.tenant_id().as_str())];
            params.extend(chunk.iter().map(|id| Value::from(id.as_str())));
            for row in self.store().read(&sql, &params).await? {
                let id = row
                    .into_iter()
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("alerts.id")?;
                found.insert(AlertId(id));
            }
        }
        Ok(found)
    }
}
