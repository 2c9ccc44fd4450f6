//! Manual decisions and guard state, as the host persists them and feeds them back.
//!
//! A human's decision is a [`Pin`]: the engine never undoes it. A manual action on an incident
//! (link, unlink, merge, a state change) pins every alert the incident then holds to it, so its
//! membership stands whatever arrives later; the incident can still grow by correlation, and be
//! merged by correlation when the guards allow. The host persists [`crate::Engine::pins`] and
//! passes them to [`crate::Engine::restore`] and [`crate::rebuild`].

use crate::change::IncidentKey;
use crate::engine::Place;
use crate::entity::Entity;
use model::enums::AlertClassification;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The guard state of an incident, set by the host when a user changes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentState {
    /// Resolved incidents take no new alerts and merge with nothing.
    pub resolved: bool,
    /// Incidents assigned to different people never merge (empty means unassigned; compared
    /// case-insensitively).
    pub assigned_to: Option<String>,
    /// Incidents with different classifications never merge (`unknown` counts as none).
    pub classification: Option<AlertClassification>,
}

impl IncidentState {
    /// The assignee, trimmed and lowercased; `None` when unassigned.
    pub(crate) fn assignee(&self) -> Option<String> {
        let a = self.assigned_to.as_deref()?.trim();
        (!a.is_empty()).then(|| a.to_lowercase())
    }

    /// The classification, `None` for none or `unknown`.
    pub(crate) fn class(&self) -> Option<AlertClassification> {
        self.classification.filter(|c| {
            !matches!(
                c,
                AlertClassification::Unknown | AlertClassification::UnknownFutureValue
            )
        })
    }
}

/// One manual decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "pin", rename_all = "camelCase")]
pub enum Pin {
    /// The alert belongs to `incident`, whatever correlation would decide; it links no incidents
    /// itself (later alerts may still join the incident through its entities).
    #[serde(rename_all = "camelCase")]
    Link {
        /// The alert.
        alert_id: String,
        /// Its incident.
        incident: IncidentKey,
    },
    /// The alert was unlinked: it belongs to `incident` (opened for it), and the `entities` it
    /// had then never link it again (entities it gains later do).
    #[serde(rename_all = "camelCase")]
    Unlink {
        /// The alert.
        alert_id: String,
        /// The incident opened for it.
        incident: IncidentKey,
        /// The entities that no longer link it.
        entities: Vec<Entity>,
    },
    /// The incident's guard state.
    #[serde(rename_all = "camelCase")]
    State {
        /// The incident.
        incident: IncidentKey,
        /// Its state.
        state: IncidentState,
    },
}

impl Pin {
    /// The incident the pin names.
    pub fn incident(&self) -> IncidentKey {
        match self {
            Pin::Link { incident, .. }
            | Pin::Unlink { incident, .. }
            | Pin::State { incident, .. } => *incident,
        }
    }
}

/// The manual decisions.
#[derive(Debug, Default)]
pub(crate) struct Pins {
    /// Pinned alerts by id (changed only through [`Pins::set_place`] and
    /// [`Pins::remove_place`], which keep `claims` in step).
    places: HashMap<Box<str>, Place>,
    /// How many pinned alerts name each incident key. A claimed key belongs to the incident its
    /// pinned alerts open or join: an alert that merely correlates never opens under it (in
    /// canonical order, as [`crate::rebuild`] processes the pins, it could not have).
    claims: HashMap<u64, u32, foldhash::fast::FixedState>,
    /// Guard states by incident key (looked up for every incident of a candidate's merge tree on
    /// every decision: a fast fixed hasher, as for the other key maps).
    pub states: HashMap<u64, IncidentState, foldhash::fast::FixedState>,
}

impl Pins {
    /// Where pinned alert `id` belongs.
    pub(crate) fn place(&self, id: &str) -> Option<&Place> {
        self.places.get(id)
    }

    /// Whether alert `id` is pinned.
    pub(crate) fn is_pinned(&self, id: &str) -> bool {
        self.places.contains_key(id)
    }

    /// Every pinned alert and its place.
    pub(crate) fn places(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.places.iter().map(|(id, p)| (&**id, p))
    }

    /// How many alerts are pinned.
    pub(crate) fn pinned_count(&self) -> usize {
        self.places.len()
    }

    /// Pins alert `id` to `place` (replacing an earlier pin).
    pub(crate) fn set_place(&mut self, id: Box<str>, place: Place) {
        *self.claims.entry(place.key).or_default() += 1;
        if let Some(old) = self.places.insert(id, place) {
            self.unclaim(old.key);
        }
    }

    /// Forgets the pin of alert `id`.
    pub(crate) fn remove_place(&mut self, id: &str) {
        if let Some(old) = self.places.remove(id) {
            self.unclaim(old.key);
        }
    }

    /// Whether a pinned alert names incident `key`.
    pub(crate) fn claimed(&self, key: u64) -> bool {
        self.claims.contains_key(&key)
    }

    fn unclaim(&mut self, key: u64) {
        if let Some(n) = self.claims.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                self.claims.remove(&key);
            }
        }
    }
}
