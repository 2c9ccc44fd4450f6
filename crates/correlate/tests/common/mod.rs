//! Shared helpers of the correlation tests: alert builders and a model of the host that applies
//! outcomes, to check that the changes an engine reports are exactly the changes it made.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use correlate::{AlertFacts, Change, Engine, Entity, EntityKind, Outcome};
use std::collections::HashMap;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// The instant minute 0 of the tests is.
pub const BASE: OffsetDateTime = datetime!(2025-03-01 08:00 UTC);

/// An alert created `minute` minutes after [`BASE`].
pub fn facts(id: &str, minute: i64, entities: &[Entity]) -> AlertFacts {
    AlertFacts {
        alert_id: id.to_string(),
        created: BASE + Duration::minutes(minute),
        entities: entities.to_vec(),
    }
}

/// Shorthands for entities.
pub fn device(name: &str) -> Entity {
    Entity::new(EntityKind::Device, format!("name:{name}"))
}
pub fn user(upn: &str) -> Entity {
    Entity::new(EntityKind::User, format!("upn:{upn}"))
}
pub fn ip(addr: &str) -> Entity {
    Entity::new(EntityKind::Ip, addr)
}
pub fn hash(h: &str) -> Entity {
    Entity::new(EntityKind::FileHash, h)
}

/// What a host persisting the outcomes knows: each alert's incident, each incident's redirect.
#[derive(Debug, Default)]
pub struct Host {
    pub alert_incident: HashMap<String, u64>,
    pub redirect: HashMap<u64, Option<u64>>,
}

impl Host {
    /// Applies an outcome, checking that it is well formed (alerts go to opened, live incidents).
    pub fn apply(&mut self, out: &Outcome) -> Result<(), String> {
        for change in &out.changes {
            match change {
                Change::Opened { incident } => {
                    self.redirect.insert(incident.0, None);
                }
                Change::Reopened { incident } => {
                    self.redirect.insert(incident.0, None);
                }
                Change::Redirected { from, into } => {
                    if !self.redirect.contains_key(&into.0) {
                        return Err(format!("{from} redirected into unknown {into}"));
                    }
                    self.redirect.insert(from.0, Some(into.0));
                }
                Change::Assigned { alert_id, incident } => {
                    if self.redirect.get(&incident.0) != Some(&None) {
                        return Err(format!("{alert_id} assigned to {incident}, not live"));
                    }
                    self.alert_incident.insert(alert_id.clone(), incident.0);
                }
                Change::Reasons { incident } => {
                    if self.redirect.get(&incident.0) != Some(&None) {
                        return Err(format!("reasons of {incident}, not live"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks that the host's view equals the engine's: every alert in the incident the engine
    /// has it in, and that incident live.
    pub fn agrees_with(&self, engine: &Engine) -> Result<(), String> {
        for inc in engine.grouping().incidents {
            if self.redirect.get(&inc.incident.0) != Some(&None) {
                return Err(format!(
                    "live incident {} not live for the host",
                    inc.incident
                ));
            }
            if let Some(r) = engine
                .reasons(inc.incident)
                .iter()
                .find(|r| r.alert_ids.is_empty())
            {
                return Err(format!("empty reason {r:?} on {}", inc.incident));
            }
            for a in &inc.alert_ids {
                if self.alert_incident.get(a) != Some(&inc.incident.0) {
                    return Err(format!(
                        "host has {a} in {:?}, engine in {}",
                        self.alert_incident.get(a),
                        inc.incident
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Checks every reason of every live incident: its alerts are in the incident and carry the
/// entity (by the facts given).
pub fn reasons_hold(engine: &Engine, alerts: &HashMap<String, AlertFacts>) -> Result<(), String> {
    for inc in engine.grouping().incidents {
        for r in engine.reasons(inc.incident) {
            for a in &r.alert_ids {
                if !inc.alert_ids.contains(a) {
                    return Err(format!(
                        "reason lists {a}, not in incident {}",
                        inc.incident
                    ));
                }
                let carries = alerts
                    .get(a)
                    .is_some_and(|f| f.entities.contains(&r.entity));
                if !carries {
                    return Err(format!("{a} does not carry {}", r.entity));
                }
            }
        }
    }
    Ok(())
}
