//! The OData property tables of the entities in this crate: what `$filter`, `$orderby` and
//! `$select` may name, with each property's exact type. Every property is listed, so every property
//! is filterable (and sortable when single-valued and primitive).
//!
//! * [`ALERT`]: alerts_v2, with the polymorphic [`ALERT_EVIDENCE`] (every subtype in `derived`).
//! * [`LEGACY_ALERT`]: the legacy `microsoft.graph.alert` and its sub-records.

pub mod alert;
pub mod evidence;
pub mod indicator;
pub mod legacy;

pub use alert::{ALERT, ALERT_COMMENT};
pub use evidence::ALERT_EVIDENCE;
pub use legacy::LEGACY_ALERT;
