//! Alert correlation for secgraph: alerts that share a strong entity within a window are grouped
//! into one incident — explainably, deterministically and incrementally. Pure: no I/O.
//!
//! ```
//! use correlate::{AlertFacts, Change, Config, Engine, Entity, EntityKind};
//! use time::macros::datetime;
//!
//! let mut engine = Engine::new(Config::default(), 1);
//! let alert = |id: &str, minute: i64, entities: Vec<Entity>| AlertFacts {
//!     alert_id: id.into(),
//!     created: datetime!(2025-03-01 08:00 UTC) + time::Duration::minutes(minute),
//!     entities,
//! };
//! let device = Entity::new(EntityKind::Device, "name:ws01");
//! let c2 = Entity::new(EntityKind::Ip, "203.0.113.7");
//! engine.ingest(alert("edr-1", 0, vec![device.clone(), c2.clone()]));
//! let out = engine.ingest(alert("ids-1", 5, vec![c2.clone()]));
//! assert!(out.changes.contains(&Change::Assigned {
//!     alert_id: "ids-1".into(),
//!     incident: engine.incident_of("edr-1").unwrap(),
//! }));
//! let reasons = engine.reasons(engine.incident_of("ids-1").unwrap());
//! assert_eq!((reasons[0].rule.as_str(), &reasons[0].entity), ("same-ip", &c2));
//! assert_eq!(reasons[0].alert_ids, ["edr-1", "ids-1"]);
//! // A private address links nothing (default stop-list).
//! engine.ingest(alert("noise", 6, vec![Entity::new(EntityKind::Ip, "10.0.0.5")]));
//! assert_ne!(engine.incident_of("noise"), engine.incident_of("edr-1"));
//! ```
//!
//! * [`extract`] reads the strong-entity candidates of a [`model::Alert`]'s evidence
//!   ([`AlertFacts::from_alert`]); [`normal`] writes their normal forms.
//! * [`Config`]: the window, the declarative [`Rule`]s, the [`StopList`] and the caps.
//! * [`Engine`]: one tenant's state. [`Engine::ingest`] returns an [`Outcome`] — the [`Change`]s
//!   the host persists; [`Engine::reasons`] the `correlationReasons`; manual control through
//!   [`Engine::link`], [`Engine::unlink`], [`Engine::merge`] and
//!   [`Engine::set_incident_state`], persisted as [`Pin`]s.
//! * [`rebuild`] and [`Grouping::diff`] recompute a tenant from scratch and compare.
//!
//! The semantics — the canonical order, the step, the guards, the determinism guarantee — are
//! documented on [`step`](crate::step) and [`engine`](crate::engine), and in
//! `docs/correlation.md`.

mod alerts;
mod batch;
pub mod change;
pub mod config;
pub mod engine;
pub mod entity;
pub mod error;
mod evict;
pub mod extract;
pub mod grouping;
mod incidents;
mod interner;
mod journal;
mod manual;
pub mod normal;
pub mod pin;
mod pool;
mod reasons;
mod replay;
mod rules;
pub mod step;
pub mod stoplist;
mod suspects;
mod view;

pub use change::{Change, IncidentKey, Outcome, Reason};
pub use config::{default_rules, Config, Rule};
pub use engine::{Engine, Stats};
pub use entity::{Entity, EntityKind};
pub use error::{ConfigError, CorrelateError};
pub use extract::{extract, AlertFacts};
pub use grouping::{rebuild, GroupedIncident, Grouping, GroupingDiff};
pub use pin::{IncidentState, Pin};
pub use stoplist::{StopIndex, StopList};
