//! Microsoft Graph security entities as typed structs that serialise straight to Graph JSON, their
//! enums with wire strings, id newtypes, and each entity's OData property table.
//!
//! * [`Alert`] (alerts_v2) with fully typed [`AlertEvidence`]; [`StoredAlert`] adds what the legacy
//!   view needs, and [`LegacyAlert::from_stored`] computes that view.
//! * [`schema`]: the property tables [`schema::ALERT`] and [`schema::LEGACY_ALERT`].
//! * [`patch`]: the bodies that change an alert; [`import`]: alerts exported from Graph.
//! * [`evolvable`]: hiding enum members declared after `unknownFutureValue`.
//! * [`Incident`]: a group of alerts of one attack, with its property tables ([`incident::schema`]).
//! * [`secure_score`]: secure scores and control profiles, the control catalogue, scoring.

pub mod alert;
pub mod datetime;
pub mod detection;
pub mod enums;
pub mod evidence;
pub mod evolvable;
pub mod ids;
pub mod import;
pub mod incident;
pub mod indicator;
pub mod intel;
pub mod legacy;
pub mod observation;
pub mod open_enum;
pub mod patch;
pub mod schema;
pub mod secure_score;
pub mod serde_util;
pub mod stored;
pub mod sync;
pub mod wire_enum;

pub use alert::{Alert, AlertComment, ThreatIntelligenceMatch};
pub use evidence::AlertEvidence;
pub use evolvable::{evolvable_spans, has_evolvable_text, hide_evolvable_members};
pub use ids::{AlertId, IncidentId, TenantId};
pub use import::alert_from_json;
pub use incident::{Incident, IncidentStatus};
pub use indicator::{TiIndicator, TiIndicatorBody, TiIndicatorId};
pub use legacy::LegacyAlert;
pub use open_enum::OpenEnum;
pub use patch::{parse_comment_body, AlertPatch, LegacyAlertPatch, PatchError};
pub use stored::{LegacyState, StoredAlert, VendorInformation};
pub use sync::{Answered, PendingChanges, ProviderLink, ProviderSync, ProviderSyncState};
