//! A tenant's decisions about a control: `secureScoreControlStateUpdate` entries, appended by
//! `PATCH /security/secureScoreControlProfiles/{id}`, and the state they set.

use crate::datetime;
use crate::wire_enum;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

wire_enum! {
    /// `secureScoreControlStateUpdate.state` (an `Edm.String` in Graph's metadata with these four
    /// documented values). Read in any case, written in this spelling.
    ///
    /// * `Default`: scored from what providers (or the admin API) report.
    /// * `Ignored`: the tenant accepts the risk; the control earns nothing while its `maxScore` still
    ///   counts.
    /// * `ThirdParty`: a product secgraph does not see covers it; it earns its full `maxScore`.
    /// * `Reviewed`: reviewed, scored like `Default`.
    pub enum ControlState: "secgraph.secureScore.controlState" {
        Default = "Default", Ignored = "Ignored", ThirdParty = "ThirdParty", Reviewed = "Reviewed",
    }
}

/// `microsoft.graph.secureScoreControlStateUpdate`: one decision, with who made it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlStateUpdate {
    /// Who the control is assigned to (free text, as given).
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// Why (free text, as given).
    #[serde(default)]
    pub comment: Option<String>,
    /// The state set.
    pub state: ControlState,
    /// Who made the change (the caller's user principal name, or its application id for app-only
    /// calls).
    #[serde(default)]
    pub updated_by: Option<String>,
    /// When.
    #[serde(default, with = "datetime::optional")]
    pub updated_date_time: Option<OffsetDateTime>,
}

/// The state in force at `at`: the last update made at or before `at` (updates are kept oldest
/// first), `Default` when there is none.
pub fn state_at(updates: &[ControlStateUpdate], at: OffsetDateTime) -> ControlState {
    updates
        .iter()
        .rev()
        .find(|u| u.updated_date_time.is_none_or(|t| t <= at))
        .map_or(ControlState::Default, |u| u.state)
}

/// The state in force now: the last update's, `Default` when there is none.
pub fn current_state(updates: &[ControlStateUpdate]) -> ControlState {
    updates.last().map_or(ControlState::Default, |u| u.state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn update(state: ControlState, at: OffsetDateTime) -> ControlStateUpdate {
        ControlStateUpdate {
            assigned_to: None,
            comment: None,
            state,
            updated_by: Some("a@b".into()),
            updated_date_time: Some(at),
        }
    }

    #[test]
    fn the_state_in_force_is_the_last_one_set_by_then() {
        let u = [
            update(ControlState::ThirdParty, datetime!(2026-01-10 00:00 UTC)),
            update(ControlState::Ignored, datetime!(2026-02-10 00:00 UTC)),
        ];
        assert_eq!(
            state_at(&u, datetime!(2026-01-01 00:00 UTC)),
            ControlState::Default
        );
        assert_eq!(
            state_at(&u, datetime!(2026-01-20 00:00 UTC)),
            ControlState::ThirdParty
        );
        assert_eq!(
            state_at(&u, datetime!(2026-03-01 00:00 UTC)),
            ControlState::Ignored
        );
        assert_eq!(current_state(&u), ControlState::Ignored);
        assert_eq!(current_state(&[]), ControlState::Default);
    }

    #[test]
    fn states_are_read_in_any_case() {
        let u: ControlStateUpdate =
            serde_json::from_str(r#"{"state": "thirdparty", "assignedTo": ""}"#).unwrap();
        assert_eq!(u.state, ControlState::ThirdParty);
        let text = serde_json::to_string(&u).unwrap();
        assert!(text.contains(r#""state":"ThirdParty""#), "{text}");
        assert!(text.contains(r#""updatedDateTime":null"#), "{text}");
    }
}
