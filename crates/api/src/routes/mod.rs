//! One router module per entity set; handlers are named for their operation.

pub mod alert_views;
pub mod alerts_delta;
pub mod alerts_v2;
pub mod connector_events;
pub mod events;
pub mod fallback;
pub mod federation;
pub mod incident_actions;
pub mod incident_alerts;
pub mod incidents;
pub mod legacy_alerts;
pub mod secure_score_control_profiles;
pub mod secure_scores;
pub mod security_actions;
pub mod subscriptions;
pub mod table;
pub mod ti_export;
pub mod ti_indicator_actions;
pub mod ti_indicators;
