//! The roll-up: what an incident shows of its alerts, recomputed (in the write transaction)
//! whenever one of its alerts or its membership changes.
//!
//! | property | rule |
//! |---|---|
//! | `severity` | the highest severity of its active (not `resolved`) alerts; when every alert is resolved, the highest of all; unchanged while it has no alerts |
//! | `status` | `redirected` stays until a merge is undone; a status an analyst set (PATCH) stays until the next PATCH; otherwise `resolved` when every alert is resolved, `inProgress` when an alert is in progress, else `active` |
//! | `summary` | how many alerts (how many active), from which providers, in which categories |
//!
//! Resolving an incident (PATCH `status: resolved`) resolves its alerts (see `super::write`); a new
//! alert never joins a resolved incident (the correlation engine's guard).

use super::rows::IncidentRow;
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::enums::{AlertSeverity, AlertStatus};
use model::{datetime, IncidentStatus, TenantId};
use std::collections::{BTreeSet, HashMap};
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
    /// The stat of `alert` as it is being written.
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

/// The severity's rank for "highest" (`unknownFutureValue` counts as `unknown`).
fn rank(s: AlertSeverity) -> usize {
    match s {
        AlertSeverity::UnknownFutureValue => 0,
        s => AlertSeverity::ALL.iter().position(|m| *m == s).unwrap_or(0),
    }
}

/// The incident severity of `alerts` (`None` when there are none).
pub(crate) fn severity(alerts: &[AlertStat]) -> Option<AlertSeverity> {
    let active = alerts.iter().filter(|a| a.status != AlertStatus::Resolved);
    let highest =
        |it: &mut dyn Iterator<Item = &AlertStat>| it.map(|a| a.severity).max_by_key(|s| rank(*s));
    highest(&mut active.clone()).or_else(|| highest(&mut alerts.iter()))
}

/// The incident status given its current one, whether an analyst set it, and its alerts.
pub(crate) fn status(
    current: IncidentStatus,
    by_user: bool,
    alerts: &[AlertStat],
) -> IncidentStatus {
    if current == IncidentStatus::Redirected || by_user || alerts.is_empty() {
        return current;
    }
    if alerts.iter().all(|a| a.status == AlertStatus::Resolved) {
        IncidentStatus::Resolved
    } else if alerts.iter().any(|a| a.status == AlertStatus::InProgress) {
        IncidentStatus::InProgress
    } else {
        IncidentStatus::Active
    }
}

/// The summary sentence of `alerts` (`None` when there are none).
pub(crate) fn summary(alerts: &[AlertStat]) -> Option<String> {
    if alerts.is_empty() {
        return None;
    }
    let active = alerts
        .iter()
        .filter(|a| a.status != AlertStatus::Resolved)
        .count();
    let noun = if alerts.len() == 1 { "alert" } else { "alerts" };
    let mut text = format!("{} {noun} ({active} active)", alerts.len());
    let providers: BTreeSet<&str> = alerts
        .iter()
        .filter_map(|a| a.provider.as_deref())
        .collect();
    if !providers.is_empty() {
        text.push_str(&format!(" from {}", join(&providers)));
    }
    let categories: BTreeSet<&str> = alerts
        .iter()
        .filter_map(|a| a.category.as_deref())
        .collect();
    if !categories.is_empty() {
        text.push_str(&format!("; categories: {}", join(&categories)));
    }
    text.push('.');
    Some(text)
}

fn join(items: &BTreeSet<&str>) -> String {
    items.iter().copied().collect::<Vec<_>>().join(", ")
}

/// Applies the roll-up of `alerts` to `row`; true when anything changed.
pub(crate) fn apply(row: &mut IncidentRow, alerts: &[AlertStat]) -> bool {
    let i = &mut row.incident;
    let before = (i.severity, i.status, i.summary.clone());
    if let Some(s) = severity(alerts) {
        i.severity = s;
    }
    i.status = status(i.status, row.status_by_user, alerts);
    if !alerts.is_empty() || i.status == IncidentStatus::Redirected {
        i.summary = summary(alerts);
    }
    before != (i.severity, i.status, i.summary.clone())
}

/// The [`AlertStat`]s of the alerts of the incidents `nums`, by incident number.
pub(crate) fn alert_stats(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    nums: &[i64],
) -> Result<HashMap<i64, Vec<AlertStat>>, StoreError> {
    /// Incidents per statement.
    const CHUNK: usize = 200;
    let d = tx.dialect();
    let mut out: HashMap<i64, Vec<AlertStat>> = HashMap::new();
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
            out.entry(num).or_default().push(stat);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(severity: AlertSeverity, status: AlertStatus) -> AlertStat {
        AlertStat {
            severity,
            status,
            category: Some("Execution".into()),
            provider: Some("Suricata".into()),
            created: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn severity_is_the_highest_of_the_active_alerts() {
        use AlertSeverity::*;
        let alerts = [
            stat(High, AlertStatus::Resolved),
            stat(Low, AlertStatus::New),
            stat(Medium, AlertStatus::InProgress),
        ];
        assert_eq!(severity(&alerts), Some(Medium));
        let resolved = [
            stat(High, AlertStatus::Resolved),
            stat(Low, AlertStatus::Resolved),
        ];
        assert_eq!(
            severity(&resolved),
            Some(High),
            "all resolved: highest of all"
        );
        assert_eq!(
            severity(&[
                stat(UnknownFutureValue, AlertStatus::New),
                stat(Informational, AlertStatus::New)
            ]),
            Some(Informational)
        );
        assert_eq!(severity(&[]), None);
    }

    #[test]
    fn status_rolls_up_unless_an_analyst_or_a_merge_set_it() {
        use AlertStatus as A;
        use IncidentStatus as I;
        let all_resolved = [stat(AlertSeverity::Low, A::Resolved)];
        let working = [
            stat(AlertSeverity::Low, A::Resolved),
            stat(AlertSeverity::Low, A::InProgress),
        ];
        let fresh = [stat(AlertSeverity::Low, A::New)];
        assert_eq!(status(I::Active, false, &all_resolved), I::Resolved);
        assert_eq!(
            status(I::Resolved, false, &fresh),
            I::Active,
            "a reopened alert reopens it"
        );
        assert_eq!(status(I::Active, false, &working), I::InProgress);
        assert_eq!(
            status(I::InProgress, true, &all_resolved),
            I::InProgress,
            "set by an analyst"
        );
        assert_eq!(status(I::Redirected, false, &fresh), I::Redirected);
        assert_eq!(
            status(I::AwaitingAction, false, &[]),
            I::AwaitingAction,
            "no alerts: unchanged"
        );
    }

    #[test]
    fn summary_counts_providers_and_categories() {
        let mut other = stat(AlertSeverity::High, AlertStatus::Resolved);
        other.provider = Some("MDATP".into());
        other.category = Some("CommandAndControl".into());
        let alerts = [stat(AlertSeverity::Low, AlertStatus::New), other];
        assert_eq!(
            summary(&alerts).unwrap(),
            "2 alerts (1 active) from MDATP, Suricata; categories: CommandAndControl, Execution."
        );
    }
}
