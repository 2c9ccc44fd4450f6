//! Ninety days of plausible secure-score history for the demo tenant, ending on the anchor day:
//! what an administrator reported about each control day by day, the tenant's decisions about a
//! few controls, and its settings. Deterministic like the alerts (ChaCha8 streams keyed by the
//! seed), with no clock.
//!
//! The story: a mid-sized company of 250 people that improves steadily. Most measured controls
//! drift upwards with day-to-day noise; about a third are finished by a project on one day (the
//! fraction jumps); update controls follow a monthly sawtooth (patches fall behind, then catch up).
//! Training and cloud controls are never measured. The tenant records that phishing training is
//! run by a third party (day 20), accepts the risk of mobile wiping (day 45, Ignored) and reviews
//! data-loss prevention (day 60).

use crate::DemoConfig;
use model::secure_score::{
    Catalogue, CatalogueError, Control, ControlState, ControlStateUpdate, Measurement, ADMIN_SOURCE,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Duration, OffsetDateTime};

/// Days of history (the anchor day is the last).
pub const HISTORY_DAYS: u32 = 90;
/// The demo tenant's licensed users.
pub const LICENSED_USERS: i32 = 250;
/// The demo tenant's active users.
pub const ACTIVE_USERS: i32 = 212;
/// The demo tenant's industry.
pub const INDUSTRY: &str = "Professional services";
/// Who made the demo tenant's decisions.
pub const DECIDED_BY: &str = "secops@contoso-demo.example";

/// Services the demo tenant measures (controls of other services stay unmeasured).
const MEASURED: &[&str] = &[
    "Directory",
    "Endpoint",
    "Mail",
    "Network",
    "Logging",
    "Backup",
    "Storage",
];

/// The demo tenant's secure-score history.
#[derive(Debug, Clone, PartialEq)]
pub struct SecureScoreHistory {
    /// One entry per day, oldest first; the last is at the anchor.
    pub days: Vec<HistoryDay>,
    /// The tenant's decisions, by control name, oldest first.
    pub decisions: Vec<(String, ControlStateUpdate)>,
}

/// What was known on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryDay {
    /// When the day's snapshot was taken.
    pub created: OffsetDateTime,
    /// Every measurement of that day.
    pub measurements: Vec<Measurement>,
}

impl SecureScoreHistory {
    /// The decisions in force at `at`, by lowercase control name.
    pub fn decisions_at(
        &self,
        at: OffsetDateTime,
    ) -> std::collections::HashMap<String, ControlState> {
        let mut out = std::collections::HashMap::new();
        for (name, u) in &self.decisions {
            if u.updated_date_time.is_none_or(|t| t <= at) {
                out.insert(name.to_ascii_lowercase(), u.state);
            }
        }
        out
    }
}

/// The history for `cfg` (its seed and anchor).
pub fn secure_score_history(cfg: &DemoConfig) -> Result<SecureScoreHistory, CatalogueError> {
    let catalogue = Catalogue::builtin()?;
    let plans: Vec<(usize, &Control, Plan)> = catalogue
        .scored()
        .enumerate()
        .filter(|(_, c)| MEASURED.contains(&c.service.as_str()))
        .map(|(i, c)| (i, c, Plan::draw(cfg.seed, i, c)))
        .collect();
    let last = i64::from(HISTORY_DAYS) - 1;
    let days = (0..=last)
        .map(|day| {
            let created = cfg.anchor - Duration::days(last - day);
            let measurements = plans
                .iter()
                .map(|(i, c, plan)| plan.measure(cfg.seed, *i, c, day, created))
                .collect();
            HistoryDay {
                created,
                measurements,
            }
        })
        .collect();
    let decisions = decisions(cfg, last);
    Ok(SecureScoreHistory { days, decisions })
}

/// The demo tenant's three decisions (see the module docs), on days 20, 45 and 60 of the window
/// whose last day is `last`.
fn decisions(cfg: &DemoConfig, last: i64) -> Vec<(String, ControlStateUpdate)> {
    let decided = |day: i64, control: &str, state, comment: &str| {
        let at = cfg.anchor - Duration::days(last - day) + Duration::hours(9);
        let update = ControlStateUpdate {
            assigned_to: Some("secops".to_owned()),
            comment: Some(comment.to_owned()),
            state,
            updated_by: Some(DECIDED_BY.to_owned()),
            updated_date_time: Some(at),
        };
        (control.to_owned(), update)
    };
    vec![
        decided(
            20,
            "PhishingAwarenessTraining",
            ControlState::ThirdParty,
            "Training and phishing simulations run on the HR learning platform.",
        ),
        decided(
            45,
            "MobileRemoteWipe",
            ControlState::Ignored,
            "No company data is kept on phones; risk accepted until the mobile rollout.",
        ),
        decided(
            60,
            "DataLossPrevention",
            ControlState::Reviewed,
            "Reviewed with legal; policies planned for next quarter.",
        ),
    ]
}

/// How one control evolves over the window.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plan {
    /// From `from` to `to`, linearly.
    Drift { from: f64, to: f64 },
    /// At `from` until `day`, then at `to`.
    Project { from: f64, to: f64, day: i64 },
    /// Falls behind by up to `depth` over each 28-day cycle starting at `phase`, then recovers.
    Sawtooth { depth: f64, phase: i64 },
}

impl Plan {
    fn draw(seed: u64, index: usize, c: &Control) -> Plan {
        let mut rng = stream(seed, index, 0);
        if c.id.contains("Updates") {
            return Plan::Sawtooth {
                depth: rng.gen_range(0.15..0.35),
                phase: rng.gen_range(0..28),
            };
        }
        let from = rng.gen_range(0.05..0.7);
        if rng.gen_bool(0.35) {
            Plan::Project {
                from,
                to: rng.gen_range(0.85..=1.0),
                day: rng.gen_range(10..80),
            }
        } else {
            Plan::Drift {
                from,
                to: (from + rng.gen_range(0.0..0.4)).min(1.0),
            }
        }
    }

    /// The implemented fraction on `day` (0 = first day), before noise.
    fn fraction(self, day: i64) -> f64 {
        let progress = day as f64 / f64::from(HISTORY_DAYS - 1);
        match self {
            Plan::Drift { from, to } => from + (to - from) * progress,
            Plan::Project { from, to, day: at } => match day >= at {
                true => to,
                false => from,
            },
            Plan::Sawtooth { depth, phase } => 1.0 - depth * (((day + phase) % 28) as f64 / 27.0),
        }
    }

    fn measure(
        self,
        seed: u64,
        index: usize,
        c: &Control,
        day: i64,
        at: OffsetDateTime,
    ) -> Measurement {
        let mut rng = stream(seed, index, day as u64 + 1);
        let noise = match self {
            Plan::Project { .. } => 0.0,
            _ => rng.gen_range(-0.03..0.03),
        };
        let fraction = (self.fraction(day) + noise).clamp(0.0, 1.0);
        let population = population(c);
        let affected = ((1.0 - fraction) * f64::from(population)).round() as u64;
        Measurement {
            control_name: c.id.clone(),
            source: ADMIN_SOURCE.to_owned(),
            state: ControlState::Default,
            score: (fraction * 100.0).round(),
            max_score: 100.0,
            affected_item_count: Some(affected),
            updated_date_time: at,
        }
    }
}

/// How many items a control counts: administrators for the privileged-account controls, otherwise
/// its service's users, devices, mailboxes, network segments, log sources or backed-up systems.
fn population(c: &Control) -> u32 {
    let privileged = ["Admin", "Privileged", "Emergency"];
    if privileged.iter().any(|p| c.id.contains(p)) {
        return 12;
    }
    match c.service.as_str() {
        "Directory" => 250,
        "Endpoint" => 310,
        "Mail" => 250,
        "Network" => 14,
        "Logging" => 120,
        "Backup" => 40,
        _ => 25,
    }
}

/// The random stream of control `index` on step `step` (0: its plan; day + 1: that day's noise),
/// independent of every other control and day.
fn stream(seed: u64, index: usize, step: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5ec0_5c0e);
    rng.set_stream(((index as u64) << 16) | step);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::secure_score::{compute, ScoreInputs};
    use model::TenantId;

    fn cfg() -> DemoConfig {
        DemoConfig::new(
            TenantId(crate::DEMO_TENANT_ID.into()),
            time::macros::datetime!(2026-11-01 00:00 UTC),
        )
    }

    fn scores(h: &SecureScoreHistory) -> Vec<f64> {
        let c = Catalogue::builtin().unwrap();
        h.days
            .iter()
            .map(|d| {
                let inputs = ScoreInputs {
                    tenant: "t".into(),
                    created: d.created,
                    measurements: d.measurements.clone(),
                    decisions: h.decisions_at(d.created),
                    licensed_user_count: Some(LICENSED_USERS),
                    active_user_count: Some(ACTIVE_USERS),
                };
                compute(c, &inputs).current_score
            })
            .collect()
    }

    #[test]
    fn ninety_days_ending_at_the_anchor_improving_overall() {
        let h = secure_score_history(&cfg()).unwrap();
        assert_eq!(h.days.len(), 90);
        assert_eq!(h.days[89].created, cfg().anchor);
        assert_eq!(h.days[0].created, cfg().anchor - Duration::days(89));
        let s = scores(&h);
        let max = Catalogue::builtin()
            .unwrap()
            .scored()
            .map(|c| c.max_score)
            .sum::<f64>();
        assert!(
            s[0] > 0.2 * max && s[89] < 0.95 * max,
            "{} .. {} of {max}",
            s[0],
            s[89]
        );
        assert!(
            s[89] > s[0] + 10.0,
            "the tenant improves: {} -> {}",
            s[0],
            s[89]
        );
        assert!(
            s.windows(2).any(|w| w[1] < w[0]),
            "and sometimes slips back"
        );
    }

    #[test]
    fn the_same_seed_and_anchor_give_the_same_history() {
        assert_eq!(
            secure_score_history(&cfg()).unwrap(),
            secure_score_history(&cfg()).unwrap()
        );
        let mut other = cfg();
        other.seed += 1;
        assert_ne!(
            secure_score_history(&other).unwrap().days,
            secure_score_history(&cfg()).unwrap().days
        );
    }

    #[test]
    fn decisions_take_effect_on_their_day() {
        let h = secure_score_history(&cfg()).unwrap();
        assert!(h.decisions_at(h.days[19].created).is_empty());
        let later = h.decisions_at(h.days[89].created);
        assert_eq!(later.get("mobileremotewipe"), Some(&ControlState::Ignored));
        assert_eq!(later.len(), 3);
    }
}
