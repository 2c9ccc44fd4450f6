//! The roll-up: what an incident shows of its alerts, recomputed (in the write transaction)
//! whenever one of its alerts or its membership changes, from the counts of its alerts
//! ([`Tally`], kept current by every alert write).
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
use super::tally::Tally;
use model::enums::AlertSeverity;
use model::IncidentStatus;

/// The severity's rank for "highest" (`unknownFutureValue` counts as `unknown`).
fn rank(s: AlertSeverity) -> usize {
    match s {
        AlertSeverity::UnknownFutureValue => 0,
        s => AlertSeverity::ALL.iter().position(|m| *m == s).unwrap_or(0),
    }
}

/// The incident severity of `alerts` (`None` when there are none). Of two of the same rank
/// (`unknown`, `unknownFutureValue`) the first declared wins.
pub(crate) fn severity(alerts: &Tally) -> Option<AlertSeverity> {
    let highest = |active: bool| alerts.severities(active).rev().max_by_key(|s| rank(*s));
    highest(true).or_else(|| highest(false))
}

/// The incident status given its current one, whether an analyst set it, and its alerts.
pub(crate) fn status(current: IncidentStatus, by_user: bool, alerts: &Tally) -> IncidentStatus {
    if current == IncidentStatus::Redirected || by_user || alerts.is_empty() {
        return current;
    }
    if alerts.all_resolved() {
        IncidentStatus::Resolved
    } else if alerts.any_in_progress() {
        IncidentStatus::InProgress
    } else {
        IncidentStatus::Active
    }
}

/// The summary sentence of `alerts` (`None` when there are none).
pub(crate) fn summary(alerts: &Tally) -> Option<String> {
    if alerts.is_empty() {
        return None;
    }
    let noun = if alerts.len() == 1 { "alert" } else { "alerts" };
    let mut text = format!("{} {noun} ({} active)", alerts.len(), alerts.active());
    let providers: Vec<&str> = alerts.providers().collect();
    if !providers.is_empty() {
        text.push_str(&format!(" from {}", providers.join(", ")));
    }
    let categories: Vec<&str> = alerts.categories().collect();
    if !categories.is_empty() {
        text.push_str(&format!("; categories: {}", categories.join(", ")));
    }
    text.push('.');
    Some(text)
}

/// Applies the roll-up of `alerts` to `row`; true when anything changed.
pub(crate) fn apply(row: &mut IncidentRow, alerts: &Tally) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::tally::AlertStat;
    use super::*;
    use model::enums::AlertStatus;
    use time::OffsetDateTime;

    fn tally(alerts: &[AlertStat]) -> Tally {
        Tally::of(alerts)
    }

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
        assert_eq!(severity(&tally(&alerts)), Some(Medium));
        let resolved = [
            stat(High, AlertStatus::Resolved),
            stat(Low, AlertStatus::Resolved),
        ];
        assert_eq!(
            severity(&tally(&resolved)),
            Some(High),
            "all resolved: highest of all"
        );
        assert_eq!(
            severity(&tally(&[
                stat(UnknownFutureValue, AlertStatus::New),
                stat(Informational, AlertStatus::New)
            ])),
            Some(Informational)
        );
        assert_eq!(severity(&tally(&[])), None);
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
        assert_eq!(status(I::Active, false, &tally(&all_resolved)), I::Resolved);
        assert_eq!(
            status(I::Resolved, false, &tally(&fresh)),
            I::Active,
            "a reopened alert reopens it"
        );
        assert_eq!(status(I::Active, false, &tally(&working)), I::InProgress);
        assert_eq!(
            status(I::InProgress, true, &tally(&all_resolved)),
            I::InProgress,
            "set by an analyst"
        );
        assert_eq!(status(I::Redirected, false, &tally(&fresh)), I::Redirected);
        assert_eq!(
            status(I::AwaitingAction, false, &tally(&[])),
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
            summary(&tally(&alerts)).unwrap(),
            "2 alerts (1 active) from MDATP, Suricata; categories: CommandAndControl, Execution."
        );
    }
}
