//! Secure score: `microsoft.graph.secureScore` (one tenant's score on one day) and
//! `microsoft.graph.secureScoreControlProfile` (a control as one tenant sees it), the control
//! catalogue they are built from, and the pure scoring and comparison rules.
//!
//! * [`catalogue`]: the controls (`catalogue.json`, written by us), with how each is measured and
//!   its CIS Controls v8 and MITRE ATT&CK mappings.
//! * [`profile`], [`state`]: control profiles and the tenant's `controlStateUpdates`.
//! * [`score`]: the daily snapshot entity; [`scoring`]: measurements and decisions to a score;
//!   [`comparison`]: `averageComparativeScores`.
//! * [`schema`]: the OData property tables [`SECURE_SCORE`] and [`SECURE_SCORE_CONTROL_PROFILE`].
//!
//! The update body (`PATCH .../secureScoreControlProfiles/{id}`) is
//! [`crate::patch::ControlProfilePatch`].

pub mod catalogue;
pub mod comparison;
pub mod profile;
pub mod schema;
pub mod score;
pub mod scoring;
pub mod state;

pub use catalogue::{Catalogue, CatalogueError, Control, ControlCategory};
pub use comparison::{averages, Peer, MIN_TENANTS};
pub use profile::SecureScoreControlProfile;
pub use schema::{SECURE_SCORE, SECURE_SCORE_CONTROL_PROFILE};
pub use score::{snapshot_id, AverageComparativeScore, ControlScore, SecureScore};
pub use scoring::{compute, Measurement, ScoreInputs, ADMIN_SOURCE};
pub use state::{ControlState, ControlStateUpdate};
