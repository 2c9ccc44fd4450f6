//! What the engine tells its host: incident keys, the changes to persist ([`Outcome`]) and the
//! reasons an incident exists ([`Reason`], the `correlationReasons` extension property).

use crate::entity::Entity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An incident's key. The engine allocates keys from a counter the host seeds
/// ([`crate::Engine::new`]); the host maps them to its incident ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncidentKey(pub u64);

impl fmt::Display for IncidentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why alerts are in one incident: they share `entity`, and `rule` links on its kind.
/// Serialised camelCase: `{"rule":"same-device","entity":{"kind":"device","value":"name:ws01"},
/// "alertIds":["a1","a2"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The rule that made the link (the first rule, in configuration order, that makes it).
    pub rule: String,
    /// The shared entity.
    pub entity: Entity,
    /// The incident's alerts that carry the entity, in canonical order (`createdDateTime`, then
    /// id); alerts already evicted from the window are not listed.
    pub alert_ids: Vec<String>,
}

/// One change the host must persist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum Change {
    /// A new incident.
    Opened {
        /// Its key.
        incident: IncidentKey,
    },
    /// The alert now belongs to `incident` (always a live incident, never a redirected one):
    /// set the alert's `incidentId`.
    Assigned {
        /// The alert.
        alert_id: String,
        /// Its incident.
        incident: IncidentKey,
    },
    /// `from` was merged into `into`: set its `status` to `redirected` and its
    /// `redirectIncidentId` to `into`. Its alerts are reassigned by their own [`Change::Assigned`].
    Redirected {
        /// The younger incident, now redirected.
        from: IncidentKey,
        /// The live incident it now redirects to.
        into: IncidentKey,
    },
    /// A redirect undone: a late alert showed that the merge does not belong to the canonical
    /// grouping. The incident is live again (its previous status applies).
    Reopened {
        /// The incident.
        incident: IncidentKey,
    },
    /// The incident's `correlationReasons` changed: read them with
    /// [`Engine::reasons`](crate::Engine::reasons) when the call's changes are applied. The
    /// engine builds them on that request and keeps them until the incident changes again, so a
    /// host that applies many calls' changes at once builds each incident's reasons once, not once
    /// per call (an incident of n alerts costs O(n) to list).
    Reasons {
        /// The incident.
        incident: IncidentKey,
    },
}

/// The changes one engine call made, in the order the host must apply them: openings, reopenings,
/// redirects, assignments, then reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Outcome {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Appends `other`'s changes.
    pub fn extend(&mut self, other: Outcome) {
        self.changes.extend(other.changes);
    }
}
