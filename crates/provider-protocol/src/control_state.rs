//! Secure-score control states a provider reports to `POST /secgraph/v1/provider/controlStates`;
//! secgraph's scoring turns them into `secureScore` and `secureScoreControlProfile` entities.
//!
//! ```json
//! {"protocolVersion": 1,
//!  "controls": [{"controlName": "MFARegistrationV2", "state": "Default", "score": 6.5,
//!                "maxScore": 10, "affectedItemCount": 12,
//!                "updatedDateTime": "2025-03-01T00:00:00Z"}]}
//! ```
//!
//! `controlName` is the control profile's id; `state` is a `secureScoreControlStateUpdate` state
//! (`Default`, `Ignored`, `ThirdParty`, `Reviewed`, any case); `score` is earned out of `maxScore`
//! (so `score / maxScore` is the implemented fraction); `affectedItemCount` is how many items
//! (users, devices, ...) still fall short, when the provider counts them. A report holds each
//! control once and at most [`MAX_CONTROLS`] controls; a later report replaces earlier states of
//! the controls it names.

use crate::problem::{item, Invalid, Problems};
use model::datetime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

/// Most controls in one report.
pub const MAX_CONTROLS: usize = 1000;
/// Longest control name.
pub const MAX_CONTROL_NAME_LEN: usize = 128;

model::wire_enum! {
    /// The state of a control (`microsoft.graph.secureScoreControlStateUpdate` `state`). Read in any
    /// case.
    pub enum ControlStateKind: "secgraph.provider.controlState" {
        Default = "Default", Ignored = "Ignored", ThirdParty = "ThirdParty", Reviewed = "Reviewed",
    }
}

/// `POST /secgraph/v1/provider/controlStates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlStateReport {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The controls.
    pub controls: Vec<ControlState>,
}

/// One control's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlState {
    /// The control profile's id, e.g. `MFARegistrationV2`.
    pub control_name: String,
    /// Its state.
    pub state: ControlStateKind,
    /// Points earned, `0` to `maxScore`.
    pub score: f64,
    /// Points available, more than `0`.
    pub max_score: f64,
    /// Items still falling short, when counted.
    #[serde(default)]
    pub affected_item_count: Option<u64>,
    /// When the provider measured it.
    #[serde(with = "datetime::required")]
    pub updated_date_time: OffsetDateTime,
}

impl ControlStateReport {
    /// Checks the report (see the module docs).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        if self.controls.is_empty() {
            p.push("controls", "is empty; report at least one control");
        }
        if self.controls.len() > MAX_CONTROLS {
            p.push(
                "controls",
                format!(
                    "holds {} controls; the limit is {MAX_CONTROLS}, split the report",
                    self.controls.len()
                ),
            );
            return p.finish();
        }
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(self.controls.len());
        for (i, c) in self.controls.iter().enumerate() {
            let at = item("controls", i);
            c.check(&mut p, &at);
            if let Some(first) = seen.insert(c.control_name.to_ascii_lowercase(), i) {
                p.push(
                    format!("{at}.controlName"),
                    format!(
                        "'{}' is also controls[{first}]; report each control once (names are \
                         case-insensitive)",
                        c.control_name
                    ),
                );
            }
        }
        p.finish()
    }
}

impl ControlState {
    fn check(&self, p: &mut Problems, at: &str) {
        p.text(
            &format!("{at}.controlName"),
            &self.control_name,
            MAX_CONTROL_NAME_LEN,
        );
        let max_ok = self.max_score.is_finite() && self.max_score > 0.0;
        if !max_ok {
            p.push(
                format!("{at}.maxScore"),
                format!("{} is not a positive number", self.max_score),
            );
        }
        let score_ok = self.score.is_finite() && self.score >= 0.0;
        if !score_ok {
            p.push(
                format!("{at}.score"),
                format!("{} is not a number of at least 0", self.score),
            );
        } else if max_ok && self.score > self.max_score {
            p.push(
                format!("{at}.score"),
                format!(
                    "{} is above maxScore {}; report at most maxScore",
                    self.score, self.max_score
                ),
            );
        }
    }
}
