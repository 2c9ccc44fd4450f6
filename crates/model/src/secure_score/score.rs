//! `microsoft.graph.secureScore`: one tenant's score on one day, with each control's part.

use super::state::ControlState;
use crate::{datetime, VendorInformation};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// `microsoft.graph.secureScore`, serialised exactly as clients receive it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecureScore {
    /// `{tenantId}_{yyyy-MM-dd}` ([`snapshot_id`]).
    pub id: String,
    /// The tenant.
    pub azure_tenant_id: String,
    /// Users active in the tenant (as configured for it), when known.
    #[serde(default)]
    pub active_user_count: Option<i32>,
    /// When the snapshot was computed.
    #[serde(with = "datetime::required")]
    pub created_date_time: OffsetDateTime,
    /// Points earned.
    pub current_score: f64,
    /// `Has{service}` for each service that reported a control.
    #[serde(default)]
    pub enabled_services: Vec<String>,
    /// Licensed users (as configured for the tenant), when known.
    #[serde(default)]
    pub licensed_user_count: Option<i32>,
    /// Points available.
    pub max_score: f64,
    /// Average scores of comparable tenants, where at least five share the basis.
    #[serde(default)]
    pub average_comparative_scores: Vec<AverageComparativeScore>,
    /// Each scored control's part.
    #[serde(default)]
    pub control_scores: Vec<ControlScore>,
    /// `SecureScore` / `secgraph`.
    pub vendor_information: VendorInformation,
}

/// `microsoft.graph.averageComparativeScore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AverageComparativeScore {
    /// `AllTenants`, `TotalSeats` or `IndustryTypes`.
    pub basis: String,
    /// The average `currentScore` of the tenants sharing the basis.
    pub average_score: f64,
}

/// `microsoft.graph.controlScore` (an open type: secgraph adds `scoreInPercentage`,
/// `implementationStatus`, `state`, `count` and `lastSynced`, as Graph's own responses carry
/// extra members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlScore {
    /// The control's category.
    pub control_category: String,
    /// The control name (its profile's id).
    pub control_name: String,
    /// What the control asks for.
    pub description: String,
    /// Points earned.
    pub score: f64,
    /// `score` as a percentage of the control's `maxScore`.
    pub score_in_percentage: f64,
    /// How the score came about, in words.
    pub implementation_status: String,
    /// The state the control was scored in.
    pub state: ControlState,
    /// Items still falling short, when a report counted them.
    #[serde(default)]
    pub count: Option<u64>,
    /// When the measurement the score rests on was taken.
    #[serde(default, with = "datetime::optional")]
    pub last_synced: Option<OffsetDateTime>,
}

/// The id of `tenant`'s snapshot of `day`: `{tenantId}_{yyyy-MM-dd}`.
pub fn snapshot_id(tenant: &str, day: Date) -> String {
    format!("{tenant}_{}", day_text(day))
}

/// `yyyy-MM-dd`.
pub fn day_text(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ids_are_tenant_and_day() {
        assert_eq!(snapshot_id("t-1", date!(2026 - 03 - 09)), "t-1_2026-03-09");
    }
}
