//! The legacy `microsoft.graph.alert` view (`/security/alerts`): its entity, sub-records and enums,
//! and the mapping between it and the stored alerts_v2 shape — [`LegacyAlert::from_stored`] one
//! way (see [`view`]), the legacy-shape import the other (see [`crate::import`]). Each concept's
//! module holds both directions of its sub-records.

pub mod alert;
pub mod context;
pub mod enums;
pub mod files;
pub mod hosts;
pub mod network;
pub mod records;
pub mod registry;
pub mod states;
pub mod view;

pub use alert::LegacyAlert;
pub use enums::*;
