//! What the roll-up ([`super::rollup`]) needs of an incident's alerts, kept as counts: an alert
//! that joins, leaves or changes updates the [`Tally`] by its [`AlertStat`] before and after, so a
//! write job rolls an incident of thousands of alerts up without reading them again. A tally is
//! read from the alerts' hot columns ([`read`]) the first time a job needs it.

use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::enums::{AlertSeverity, AlertStatus};
use model::{datetime, TenantId};
use std::collections::HashMap;
use time::OffsetDateTime;

/// What the roll-up reads of one alert of an incident (its hot columns).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlertStat {
    pub(crate) severity: AlertSeverity,
    pub(crate) status: AlertStatus,
    pub(crate) category: Option<String>,
    /// `vendorInformation.provider` (the product that raised it).
    pub(crate) provider: Option<String>,
    /// `createdDateTime`.
    pub(crate) created: OffsetDateTime,
}

impl AlertStat {
    /// The stat of `alert` as it is (being) written.
    pub(crate) fn of(alert: &model::StoredAlert) -> AlertStat {
        let a = &alert.alert;
        AlertStat {
            severity: a.severity,
            status: a.status,
            category: a.category.clone(),
            provider: alert.vendor.provider.clone(),
            created: a.created_date_time,
        }
    }
}

/// Severities counted (the members of [`AlertSeverity`]).
const SEVERITIES: usize = 6;

/// The alerts of one incident, counted by what the roll-up shows of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    alerts: u32,
    resolved: u32,
    in_progress: u32,
    /// Alerts by severity (index in [`AlertSeverity::ALL`]): all of them, and those not resolved.
    severities: [u32; SEVERITIES],
    active_severities: [u32; SEVERITIES],
    /// Alerts by provider and by category, sorted by name (a few each: a vector, not a tree).
    providers: Vec<(Box<str>, u32)>,
    categories: Vec<(Box<str>, u32)>,
    /// The earliest `createdDateTime`, exact while `earliest_exact` (removing the earliest alert
    /// forgets it: counts cannot tell which one is next).
    earliest: Option<OffsetDateTime>,
    earliest_exact: bool,
}

fn severity_index(s: AlertSeverity) -> usize {
    AlertSeverity::ALL
        .iter()
        .position(|m| *m == s)
        .unwrap_or(0)
        .min(SEVERITIES - 1)
}

/// Counts `key` in or out of the sorted `counts`.
fn bump(counts: &mut Vec<(Box<str>, u32)>, key: Option<&String>, add: bool) {
    let Some(key) = key else { return };
    match counts.binary_search_by(|(k, _)| (**k).cmp(key.as_str())) {
        Ok(i) if add => counts[i].1 += 1,
        Ok(i) => {
            counts[i].1 -= 1;
            if counts[i].1 == 0 {
                counts.remove(i);
            }
        }
        Err(i) if add => counts.insert(i, (key.as_str().into(), 1)),
        Err(_) => {}
    }
}

impl Tally {
    /// The tally of `alerts`.
    #[cfg(test)]
    pub(crate) fn of<'a>(alerts: impl IntoIterator<Item = &'a AlertStat>) -> Tally {
        let mut t = Tally::default();
        for a in alerts {
            t.add(a);
        }
        t
    }

    /// Counts `a` in.
    pub(crate) fn add(&mut self, a: &AlertStat) {
        if self.alerts == 0 {
            self.earliest = Some(a.created);
            self.earliest_exact = true;
        } else if let Some(e) = self.earliest.as_mut() {
            *e = (*e).min(a.created);
        }
        self.count(a, true);
    }

    /// Counts `a` out (it was counted in before).
    pub(crate) fn remove(&mut self, a: &AlertStat) {
        self.count(a, false);
        if self.alerts == 0 {
            *self = Tally::default();
        } else if self.earliest.is_none_or(|e| a.created <= e) {
            self.earliest_exact = false;
        }
    }

    fn count(&mut self, a: &AlertStat, add: bool) {
        let step = |n: &mut u32| {
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        };
        step(&mut self.alerts);
        match a.status {
            AlertStatus::Resolved => step(&mut self.resolved),
            AlertStatus::InProgress => step(&mut self.in_progress),
            _ => {}
        }
        let s = severity_index(a.severity);
        step(&mut self.severities[s]);
        if a.status != AlertStatus::Resolved {
            step(&mut self.active_severities[s]);
        }
        bump(&mut self.providers, a.provider.as_ref(), add);
        bump(&mut self.categories, a.category.as_ref(), add);
    }

    /// How many alerts.
    pub(crate) fn len(&self) -> u32 {
        self.alerts
    }

    /// Whether it counts no alert.
    pub(crate) fn is_empty(&self) -> bool {
        self.alerts == 0
    }

    /// How many are not resolved.
    pub(crate) fn active(&self) -> u32 {
        self.alerts - self.resolved.min(self.alerts)
    }

    /// Whether every alert is resolved (and there is one).
    pub(crate) fn all_resolved(&self) -> bool {
        self.alerts > 0 && self.resolved == self.alerts
    }

    /// Whether an alert is in progress.
    pub(crate) fn any_in_progress(&self) -> bool {
        self.in_progress > 0
    }

    /// The severities present, among the active alerts when `active`.
    pub(crate) fn severities(
        &self,
        active: bool,
    ) -> impl DoubleEndedIterator<Item = AlertSeverity> + '_ {
        let counts = if active {
            &self.active_severities
        } else {
            &self.severities
        };
        AlertSeverity::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| **n > 0)
            .map(|(s, _)| *s)
    }

    /// The providers, in order.
    pub(crate) fn providers(&self) -> impl Iterator<Item = &str> {
        self.providers.iter().map(|(k, _)| &**k)
    }

    /// The categories, in order.
    pub(crate) fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().map(|(k, _)| &**k)
    }

    /// The earliest `createdDateTime`, when known (see the field).
    pub(crate) fn earliest(&self) -> Option<OffsetDateTime> {
        self.earliest.filter(|_| self.earliest_exact)
    }
}

/// The [`Tally`]s of the incidents `nums` as their alerts' hot columns are now, by incident
/// number (an incident without alerts is absent).
pub(crate) fn read(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    nums: &[i64],
) -> Result<HashMap<i64, Tally>, StoreError> {
    /// Incidents per statement.
    const CHUNK: usize = 200;
    let d = tx.dialect();
    let mut out: HashMap<i64, Tally> = HashMap::new();
    for chunk in nums.chunks(CHUNK) {
        let items: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = statement(
            d,
            &format!(
                "SELECT incident_id, severity, status, category, vendor_provider, created_date_time \
                 FROM alerts \
                 WHERE tenant_id = $1 AND {}",
                d.ci_in("incident_id", &items)
            ),
        );
        let mut params = Vec::with_capacity(chunk.len() + 1);
        params.push(tenant.as_str().into());
        params.extend(chunk.iter().map(|n| Value::from(n.to_string())));
        for row in tx.query(&sql, &params)? {
            let mut cols = row.into_iter();
            let mut next = || cols.next().unwrap_or(Value::Null);
            let incident = next().into_text("alerts.incident_id")?;
            let Ok(num) = incident.parse::<i64>() else {
                continue;
            };
            let severity = next().into_text("alerts.severity")?;
            let status = next().into_text("alerts.status")?;
            let stat = AlertStat {
                severity: AlertSeverity::parse(&severity).unwrap_or(AlertSeverity::Unknown),
                status: AlertStatus::parse(&status).unwrap_or(AlertStatus::Unknown),
                category: next().into_opt_text("alerts.category")?,
                provider: next().into_opt_text("alerts.vendor_provider")?,
                created: datetime::parse(&next().into_text("alerts.created_date_time")?)
                    .map_err(StoreError::Corrupt)?,
            };
            out.entry(num).or_default().add(&stat);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn stat(minute: i64, severity: AlertSeverity, status: AlertStatus, p: &str) -> AlertStat {
        AlertStat {
            severity,
            status,
            category: Some(format!("cat-{p}")),
            provider: Some(p.to_owned()),
            created: OffsetDateTime::UNIX_EPOCH + Duration::minutes(minute),
        }
    }

    #[test]
    fn removing_what_was_added_gives_the_tally_of_the_rest() {
        use AlertSeverity::*;
        use AlertStatus::*;
        let a = stat(5, High, New, "x");
        let b = stat(1, Low, Resolved, "y");
        let c = stat(3, Medium, InProgress, "x");
        let mut t = Tally::of([&a, &b, &c]);
        assert_eq!(t.len(), 3);
        assert_eq!(t.active(), 2);
        assert_eq!(t.earliest(), Some(b.created));
        t.remove(&c);
        let rest = Tally::of([&a, &b]);
        assert_eq!(t.providers().collect::<Vec<_>>(), ["x", "y"]);
        assert!(!t.any_in_progress());
        assert_eq!(t.severities(true).collect::<Vec<_>>(), [High]);
        assert_eq!(t.severities(false).collect::<Vec<_>>(), [Low, High]);
        assert_eq!(
            t.earliest(),
            rest.earliest(),
            "a later alert left: still exact"
        );
        t.remove(&b);
        assert_eq!(
            t.earliest(),
            None,
            "the earliest left: unknown, not guessed"
        );
        assert_eq!(t.categories().collect::<Vec<_>>(), ["cat-x"]);
        t.remove(&a);
        assert_eq!(t, Tally::default(), "empty again");
        t.add(&c);
        assert_eq!(t.earliest(), Some(c.created));
    }
}
