//! The control catalogue: the secure-score controls secgraph scores, shipped as data
//! (`catalogue.json`, compiled in) and written by the secgraph authors in their own words. Each control
//! says what to do, how its state is measured, and which CIS Controls v8 safeguards and MITRE ATT&CK
//! mitigations it corresponds to — by identifier only (`6.5`, `M1032`).
//!
//! A control's `id` is the name providers report against (`controlName` in
//! `POST /secgraph/v1/provider/controlStates`) and the id of its `secureScoreControlProfile`. Its
//! rank is its priority: controls ordered by `maxScore` (highest first), then by implementation cost
//! (lowest first), then by their order in the file.
//!
//! [`Catalogue::builtin`] parses and checks the file once ([`Catalogue::check`]); the crate's tests
//! prove it passes, so a release cannot ship a broken catalogue.

use crate::wire_enum;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The catalogue's source text.
const SOURCE: &str = include_str!("catalogue.json");

/// Threat names a control may list (`secureScoreControlProfile.threats`).
pub const THREATS: &[&str] = &[
    "accountBreach",
    "dataDeletion",
    "dataExfiltration",
    "dataSpillage",
    "elevationOfPrivilege",
    "maliciousInsider",
    "passwordCracking",
    "phishingOrWhaling",
    "spoofing",
];

/// The fewest controls the catalogue may hold.
pub const MIN_CONTROLS: usize = 40;

wire_enum! {
    /// `controlCategory` of a control.
    pub enum ControlCategory: "secgraph.secureScore.controlCategory" {
        Identity = "Identity", Data = "Data", Device = "Device", Apps = "Apps",
        Infrastructure = "Infrastructure",
    }
}

wire_enum! {
    /// `actionType`: changing a setting, reviewing something regularly, or a practice people follow.
    pub enum ActionType: "secgraph.secureScore.actionType" {
        Config = "Config", Review = "Review", Behavior = "Behavior",
    }
}

wire_enum! {
    /// `tier`: how basic the control is.
    pub enum Tier: "secgraph.secureScore.tier" {
        Core = "Core", DefenseInDepth = "Defense in Depth", Advanced = "Advanced",
    }
}

wire_enum! {
    /// `implementationCost` and `userImpact`.
    pub enum Level: "secgraph.secureScore.level" {
        Low = "Low", Moderate = "Moderate", High = "High",
    }
}

/// One control of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Control {
    /// The control name: the profile's id and what providers report against.
    pub id: String,
    /// What to achieve, in one line.
    pub title: String,
    /// Its category.
    pub category: ControlCategory,
    /// The kind of product that measures it (`Directory`, `Endpoint`, `Mail`, `Network`, ...); a
    /// tenant with a reported control of a service has `Has{service}` in `enabledServices`.
    pub service: String,
    /// Config, Review or Behavior.
    pub action_type: ActionType,
    /// Core, Defense in Depth or Advanced.
    pub tier: Tier,
    /// Points the control is worth.
    pub max_score: f64,
    /// Effort to put it in place.
    pub implementation_cost: Level,
    /// How much users notice.
    pub user_impact: Level,
    /// Threats it counters ([`THREATS`]).
    pub threats: Vec<String>,
    /// How to put it in place.
    pub remediation: String,
    /// What changes for users when it is in place.
    pub remediation_impact: String,
    /// How its state is measured: what `score / maxScore` and `affectedItemCount` of a report
    /// stand for.
    pub measurement: String,
    /// CIS Controls v8 safeguards (`6.5`).
    #[serde(default)]
    pub cis: Vec<String>,
    /// MITRE ATT&CK mitigations (`M1032`).
    #[serde(default)]
    pub mitre: Vec<String>,
    /// Where to act, when there is such a page.
    #[serde(default)]
    pub action_url: Option<String>,
    /// Kept for history, no longer scored.
    #[serde(default)]
    pub deprecated: bool,
    /// Priority, 1 first (computed, see the module docs).
    #[serde(skip_deserializing, default)]
    pub rank: i32,
}

/// The catalogue file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalogue {
    /// The catalogue's name.
    pub name: String,
    /// Raised on every change of the controls.
    pub revision: u32,
    /// The controls, in file order.
    pub controls: Vec<Control>,
    /// A fingerprint of the file (FNV-1a of its text), so stores can tell when it changed.
    #[serde(skip)]
    pub version: String,
}

/// Why the catalogue was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the secure-score catalogue is invalid: {0}")]
pub struct CatalogueError(pub String);

impl Catalogue {
    /// The built-in catalogue, parsed and checked once.
    pub fn builtin() -> Result<&'static Catalogue, CatalogueError> {
        static BUILTIN: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Catalogue::parse(SOURCE))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a catalogue text, computing ranks and the version.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let mut c: Catalogue =
            serde_json::from_str(text).map_err(|e| CatalogueError(e.to_string()))?;
        c.version = format!("{}-{:016x}", c.revision, fnv1a(text.as_bytes()));
        c.assign_ranks();
        c.check()?;
        Ok(c)
    }

    /// The control named `name` (case-insensitively).
    pub fn get(&self, name: &str) -> Option<&Control> {
        self.controls
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(name.trim()))
    }

    /// The controls that count towards `maxScore` (not deprecated).
    pub fn scored(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| !c.deprecated)
    }

    /// Ranks by `maxScore` descending, implementation cost ascending, then file order.
    fn assign_ranks(&mut self) {
        let mut order: Vec<usize> = (0..self.controls.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.controls[a], &self.controls[b]);
            y.max_score
                .total_cmp(&x.max_score)
                .then(cost(x).cmp(&cost(y)))
                .then(a.cmp(&b))
        });
        for (rank, i) in order.into_iter().enumerate() {
            self.controls[i].rank = i32::try_from(rank + 1).unwrap_or(i32::MAX);
        }
    }

    /// Checks every rule the rest of secgraph relies on: at least [`MIN_CONTROLS`] controls, every
    /// category present, unique ids (ignoring case) made of letters and digits, positive finite
    /// scores, known threats, safeguard and mitigation identifiers of the right shape, and no empty
    /// texts.
    pub fn check(&self) -> Result<(), CatalogueError> {
        let mut problems = Vec::new();
        if self.controls.len() < MIN_CONTROLS {
            problems.push(format!(
                "{} controls; at least {MIN_CONTROLS} are required",
                self.controls.len()
            ));
        }
        for category in ControlCategory::ALL {
            if !self.controls.iter().any(|c| c.category == *category) {
                problems.push(format!("no control in category {category}"));
            }
        }
        let mut seen = HashSet::new();
        for c in &self.controls {
            if !seen.insert(c.id.to_ascii_lowercase()) {
                problems.push(format!("{}: the id is used twice", c.id));
            }
            c.check(&mut problems);
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(CatalogueError(problems.join("; "))),
        }
    }
}

impl Control {
    fn check(&self, problems: &mut Vec<String>) {
        let id = &self.id;
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id.starts_with(|ch: char| ch.is_ascii_uppercase())
            && id.chars().all(|ch| ch.is_ascii_alphanumeric());
        if !id_ok {
            problems.push(format!(
                "'{id}' is not a PascalCase name of letters and digits"
            ));
        }
        if !(self.max_score.is_finite() && self.max_score > 0.0) {
            problems.push(format!("{id}: maxScore must be a positive number"));
        }
        let texts = [
            ("title", &self.title),
            ("service", &self.service),
            ("remediation", &self.remediation),
            ("remediationImpact", &self.remediation_impact),
            ("measurement", &self.measurement),
        ];
        for (name, text) in texts {
            if text.trim().is_empty() {
                problems.push(format!("{id}: {name} is empty"));
            }
        }
        if self.threats.is_empty() {
            problems.push(format!("{id}: name at least one threat"));
        }
        for t in &self.threats {
            if !THREATS.contains(&t.as_str()) {
                problems.push(format!("{id}: unknown threat '{t}'"));
            }
        }
        for s in &self.cis {
            if !is_cis_safeguard(s) {
                problems.push(format!("{id}: '{s}' is not a CIS Controls v8 safeguard"));
            }
        }
        for m in &self.mitre {
            if !is_mitre_mitigation(m) {
                problems.push(format!("{id}: '{m}' is not an ATT&CK mitigation id"));
            }
        }
    }
}

/// `N.M` with control N in 1..=18 and a safeguard number of at most two digits.
fn is_cis_safeguard(s: &str) -> bool {
    let Some((control, safeguard)) = s.split_once('.') else {
        return false;
    };
    let number = |t: &str| t.len() <= 2 && !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    number(control)
        && number(safeguard)
        && (1..=18).contains(&control.parse::<u8>().unwrap_or(0))
        && safeguard.parse::<u8>().unwrap_or(0) >= 1
}

/// `M1` followed by three digits (the enterprise mitigations).
fn is_mitre_mitigation(s: &str) -> bool {
    s.len() == 5 && s.starts_with("M1") && s[2..].chars().all(|c| c.is_ascii_digit())
}

fn cost(c: &Control) -> usize {
    Level::ALL
        .iter()
        .position(|l| *l == c.implementation_cost)
        .unwrap_or(0)
}

/// FNV-1a, 64 bits: a stable fingerprint (the standard library's hasher may change between
/// releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_passes_its_checks() {
        let c = Catalogue::builtin().unwrap();
        assert!(c.controls.len() >= MIN_CONTROLS);
        let mut ranks: Vec<i32> = c.controls.iter().map(|c| c.rank).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (1..=c.controls.len() as i32).collect::<Vec<_>>());
        assert!(c.version.starts_with(&format!("{}-", c.revision)));
        assert!(c
            .controls
            .iter()
            .all(|c| !c.cis.is_empty() || !c.mitre.is_empty()));
    }

    #[test]
    fn ranks_follow_points_then_cost() {
        let c = Catalogue::builtin().unwrap();
        let first = c.controls.iter().find(|c| c.rank == 1).unwrap();
        let top = c.controls.iter().map(|c| c.max_score).fold(0.0, f64::max);
        assert_eq!(first.max_score, top);
        assert_eq!(first.implementation_cost, Level::Low);
    }

    #[test]
    fn names_are_found_in_any_case() {
        let c = Catalogue::builtin().unwrap();
        assert_eq!(c.get(" adminmfa ").unwrap().id, "AdminMfa");
        assert!(c.get("NoSuchControl").is_none());
    }

    #[test]
    fn broken_catalogues_are_refused_with_every_problem() {
        let text = r#"{"name": "x", "revision": 1, "controls": [
            {"id": "bad id", "title": "", "category": "Identity", "service": "Directory",
             "actionType": "Config", "tier": "Core", "maxScore": 0, "implementationCost": "Low",
             "userImpact": "Low", "threats": ["weather"], "remediation": "r",
             "remediationImpact": "i", "measurement": "m", "cis": ["19.1"], "mitre": ["T1059"]}]}"#;
        let e = Catalogue::parse(text).unwrap_err().0;
        for needle in [
            "at least 40",
            "category Data",
            "PascalCase",
            "maxScore",
            "title is empty",
            "unknown threat 'weather'",
            "'19.1'",
            "'T1059'",
        ] {
            assert!(e.contains(needle), "{needle} missing from: {e}");
        }
    }

    #[test]
    fn safeguard_and_mitigation_shapes() {
        assert!(is_cis_safeguard("6.5") && is_cis_safeguard("13.11"));
        assert!(!is_cis_safeguard("0.1") && !is_cis_safeguard("6") && !is_cis_safeguard("6.0"));
        assert!(is_mitre_mitigation("M1032"));
        assert!(!is_mitre_mitigation("M32") && !is_mitre_mitigation("T1032"));
    }
}
