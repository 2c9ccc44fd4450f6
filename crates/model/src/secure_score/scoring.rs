//! Scoring: a tenant's measurements and decisions in, a [`SecureScore`] out. Pure, so the daily
//! snapshot, the on-demand computation and the demo history all score alike.
//!
//! Each scored (not deprecated) catalogue control is worth its `maxScore`, and `maxScore` of the
//! snapshot is their sum. A control earns:
//!
//! 1. nothing when the tenant set it `Ignored` (the risk is accepted; its points still count in
//!    `maxScore`, so ignoring a control never raises the percentage);
//! 2. its full points when the tenant set it `ThirdParty`;
//! 3. otherwise (`Default`, `Reviewed`) its points times the best implemented fraction among the
//!    reports about it: `score / maxScore` of a report in state `Default` or `Reviewed`, `1` for a
//!    report in state `ThirdParty`, `0` for one in state `Ignored`. A control nobody reported earns
//!    nothing.
//!
//! Points are rounded to two decimals. Reports naming controls the catalogue does not know are
//! ignored. `enabledServices` holds `Has{service}` for each service with at least one reported
//! control.

use super::catalogue::{Catalogue, Control};
use super::profile::vendor_information;
use super::score::{snapshot_id, ControlScore, SecureScore};
use super::state::ControlState;
use std::collections::{BTreeSet, HashMap};
use time::OffsetDateTime;

/// Where a measurement made through the admin API or CLI comes from.
pub const ADMIN_SOURCE: &str = "admin";

/// One measurement of a control, from a provider's report or the admin API.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The control name as reported (matched without case).
    pub control_name: String,
    /// Who reported it: a provider's name, or [`ADMIN_SOURCE`].
    pub source: String,
    /// The state reported.
    pub state: ControlState,
    /// Points earned out of `max_score`.
    pub score: f64,
    /// The reporter's scale (more than 0).
    pub max_score: f64,
    /// Items still falling short, when counted.
    pub affected_item_count: Option<u64>,
    /// When it was measured.
    pub updated_date_time: OffsetDateTime,
}

impl Measurement {
    /// The implemented fraction this report stands for (0 to 1).
    pub fn fraction(&self) -> f64 {
        match self.state {
            ControlState::ThirdParty => 1.0,
            ControlState::Ignored => 0.0,
            ControlState::Default | ControlState::Reviewed => {
                if self.max_score > 0.0 && self.score.is_finite() {
                    (self.score / self.max_score).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            }
        }
    }
}

/// Everything one tenant's snapshot is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInputs {
    /// The tenant.
    pub tenant: String,
    /// When the snapshot is computed (its day is the snapshot's day, UTC).
    pub created: OffsetDateTime,
    /// Every measurement known, of any control.
    pub measurements: Vec<Measurement>,
    /// The tenant's state per control name (lowercase keys); absent means `Default`.
    pub decisions: HashMap<String, ControlState>,
    /// Licensed users, when configured.
    pub licensed_user_count: Option<i32>,
    /// Active users, when configured.
    pub active_user_count: Option<i32>,
}

/// Scores `inputs` against `catalogue` (`averageComparativeScores` is left empty: it depends on
/// other tenants).
pub fn compute(catalogue: &Catalogue, inputs: &ScoreInputs) -> SecureScore {
    let mut by_control: HashMap<String, Vec<&Measurement>> = HashMap::new();
    for m in &inputs.measurements {
        by_control
            .entry(m.control_name.trim().to_ascii_lowercase())
            .or_default()
            .push(m);
    }
    let mut controls: Vec<&Control> = catalogue.scored().collect();
    controls.sort_by_key(|c| c.rank);
    let mut services = BTreeSet::new();
    let mut scores = Vec::with_capacity(controls.len());
    let (mut current, mut max) = (0.0, 0.0);
    for c in controls {
        let key = c.id.to_ascii_lowercase();
        let reports = by_control.get(&key).map_or(&[][..], Vec::as_slice);
        if !reports.is_empty() {
            services.insert(format!("Has{}", c.service));
        }
        let decision = inputs
            .decisions
            .get(&key)
            .copied()
            .unwrap_or(ControlState::Default);
        let s = score_control(c, decision, reports);
        current += s.score;
        max += c.max_score;
        scores.push(s);
    }
    let day = inputs.created.to_offset(time::UtcOffset::UTC).date();
    SecureScore {
        id: snapshot_id(&inputs.tenant, day),
        azure_tenant_id: inputs.tenant.clone(),
        active_user_count: inputs.active_user_count,
        created_date_time: inputs.created,
        current_score: round2(current),
        enabled_services: services.into_iter().collect(),
        licensed_user_count: inputs.licensed_user_count,
        max_score: round2(max),
        average_comparative_scores: Vec::new(),
        control_scores: scores,
        vendor_information: vendor_information(),
    }
}

/// One control's part (see the module docs for the rules).
fn score_control(c: &Control, decision: ControlState, reports: &[&Measurement]) -> ControlScore {
    let best = reports.iter().copied().max_by(|a, b| {
        a.fraction()
            .total_cmp(&b.fraction())
            .then(a.updated_date_time.cmp(&b.updated_date_time))
    });
    let (fraction, state, status) = match (decision, best) {
        (ControlState::Ignored, _) => (
            0.0,
            decision,
            "Ignored by the tenant: the risk is accepted, so the control earns no points while its \
             maxScore still counts."
                .to_owned(),
        ),
        (ControlState::ThirdParty, _) => (
            1.0,
            decision,
            "Covered by a third-party product, as the tenant stated: full points.".to_owned(),
        ),
        (_, None) => (
            0.0,
            decision,
            "Not measured: no provider or administrator has reported this control.".to_owned(),
        ),
        (_, Some(m)) => {
            let state = match (decision, m.state) {
                (ControlState::Reviewed, _) => ControlState::Reviewed,
                (_, reported) => reported,
            };
            (m.fraction(), state, measured_status(m))
        }
    };
    ControlScore {
        control_category: c.category.as_str().to_owned(),
        control_name: c.id.clone(),
        description: c.title.clone(),
        score: round2(c.max_score * fraction),
        score_in_percentage: round2(fraction * 100.0),
        implementation_status: status,
        state,
        count: best.and_then(|m| m.affected_item_count),
        last_synced: best.map(|m| m.updated_date_time),
    }
}

/// `75% implemented (3 items affected), reported by Edge Firewall on 2026-03-01.`
fn measured_status(m: &Measurement) -> String {
    let what = match m.state {
        ControlState::ThirdParty => "Covered by a third-party product".to_owned(),
        ControlState::Ignored => "Reported as ignored".to_owned(),
        _ => format!("{}% implemented", round2(m.fraction() * 100.0)),
    };
    let affected = match m.affected_item_count {
        Some(1) => " (1 item affected)".to_owned(),
        Some(n) => format!(" ({n} items affected)"),
        None => String::new(),
    };
    let day = super::score::day_text(m.updated_date_time.to_offset(time::UtcOffset::UTC).date());
    format!("{what}{affected}, reported by {} on {day}.", m.source)
}

/// Rounds to two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn m(name: &str, source: &str, state: ControlState, score: f64, max: f64) -> Measurement {
        Measurement {
            control_name: name.into(),
            source: source.into(),
            state,
            score,
            max_score: max,
            affected_item_count: Some(3),
            updated_date_time: datetime!(2026-03-01 06:00 UTC),
        }
    }

    fn inputs(measurements: Vec<Measurement>, decisions: &[(&str, ControlState)]) -> ScoreInputs {
        ScoreInputs {
            tenant: "t1".into(),
            created: datetime!(2026-03-02 01:00 UTC),
            measurements,
            decisions: decisions
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), *v))
                .collect(),
            licensed_user_count: Some(100),
            active_user_count: None,
        }
    }

    fn part<'a>(s: &'a SecureScore, name: &str) -> &'a ControlScore {
        s.control_scores
            .iter()
            .find(|c| c.control_name == name)
            .unwrap()
    }

    #[test]
    fn nothing_reported_scores_zero_of_the_catalogue_total() {
        let c = Catalogue::builtin().unwrap();
        let s = compute(c, &inputs(vec![], &[]));
        let total: f64 = c.scored().map(|c| c.max_score).sum();
        assert_eq!((s.current_score, s.max_score), (0.0, total));
        assert_eq!(s.control_scores.len(), c.scored().count());
        assert_eq!(s.id, "t1_2026-03-02");
        assert!(s.enabled_services.is_empty());
        assert_eq!(s.control_scores[0].control_name, "AdminMfa");
        assert!(part(&s, "UserMfa")
            .implementation_status
            .starts_with("Not measured"));
    }

    #[test]
    fn fractions_scale_to_the_catalogue_points_and_the_best_report_counts() {
        let c = Catalogue::builtin().unwrap();
        let s = compute(
            c,
            &inputs(
                vec![
                    m("adminmfa", "Okta", ControlState::Default, 3.0, 4.0),
                    m("AdminMfa", "admin", ControlState::Default, 1.0, 4.0),
                    m("NoSuchControl", "x", ControlState::Default, 1.0, 1.0),
                ],
                &[],
            ),
        );
        let p = part(&s, "AdminMfa");
        assert_eq!(
            (p.score, p.score_in_percentage, p.count),
            (7.5, 75.0, Some(3))
        );
        assert_eq!(p.state, ControlState::Default);
        assert_eq!(
            p.implementation_status,
            "75% implemented (3 items affected), reported by Okta on 2026-03-01."
        );
        assert_eq!(s.current_score, 7.5);
        assert_eq!(s.enabled_services, ["HasDirectory"]);
    }

    #[test]
    fn third_party_earns_full_points_and_ignored_none_while_max_still_counts() {
        let c = Catalogue::builtin().unwrap();
        let reported = vec![
            m("UserMfa", "Okta", ControlState::Default, 5.0, 10.0),
            m(
                "DnsFiltering",
                "Umbrella",
                ControlState::ThirdParty,
                0.0,
                1.0,
            ),
        ];
        let base = compute(c, &inputs(reported.clone(), &[]));
        assert_eq!(part(&base, "UserMfa").score, 4.5);
        assert_eq!(part(&base, "DnsFiltering").score, 5.0);
        assert_eq!(part(&base, "DnsFiltering").state, ControlState::ThirdParty);
        let decided = compute(
            c,
            &inputs(
                reported,
                &[
                    ("UserMfa", ControlState::Ignored),
                    ("AdminMfa", ControlState::ThirdParty),
                    ("DnsFiltering", ControlState::Reviewed),
                ],
            ),
        );
        assert_eq!(part(&decided, "UserMfa").score, 0.0);
        assert_eq!(part(&decided, "UserMfa").state, ControlState::Ignored);
        assert_eq!(part(&decided, "AdminMfa").score, 10.0);
        assert_eq!(part(&decided, "DnsFiltering").state, ControlState::Reviewed);
        assert_eq!(decided.max_score, base.max_score);
        assert_eq!(decided.current_score, 15.0);
    }

    #[test]
    fn a_reported_ignored_state_earns_nothing_unless_another_report_measures_more() {
        let c = Catalogue::builtin().unwrap();
        let only = compute(
            c,
            &inputs(
                vec![m("AdminMfa", "a", ControlState::Ignored, 4.0, 4.0)],
                &[],
            ),
        );
        assert_eq!(part(&only, "AdminMfa").score, 0.0);
        let both = compute(
            c,
            &inputs(
                vec![
                    m("AdminMfa", "a", ControlState::Ignored, 4.0, 4.0),
                    m("AdminMfa", "b", ControlState::Default, 1.0, 2.0),
                ],
                &[],
            ),
        );
        assert_eq!(part(&both, "AdminMfa").score, 5.0);
    }
}
