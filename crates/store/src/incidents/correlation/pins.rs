//! Persisting the engine's pins (`correlate::Pin`: analysts' link/unlink/merge decisions and the
//! guard state of incidents) in `incident_pins`, one row per pin key: `alert:<id>` for where an
//! alert is pinned, `incident:<n>` for an incident's state. Saving writes only what changed since
//! the last save (the node remembers what the database holds; a rebuilt engine reloads it), so a
//! tenant with many pinned incidents does not rewrite them all on every change.

use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use correlate::Pin;
use model::{datetime, TenantId};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The key of a pin: one per alert placement, one per incident state.
pub(crate) fn key(pin: &Pin) -> String {
    match pin {
        Pin::Link { alert_id, .. } | Pin::Unlink { alert_id, .. } => format!("alert:{alert_id}"),
        Pin::State { incident, .. } => format!("incident:{incident}"),
    }
}

/// `pins` by key.
pub(crate) fn keyed(pins: &[Pin]) -> HashMap<String, Pin> {
    pins.iter().map(|p| (key(p), p.clone())).collect()
}

/// Makes the database hold `pins` (the engine's whole set) but the `held` ones a rebuild added
/// (while they are unchanged), given that it holds `saved`, and updates `saved`.
pub(crate) fn save(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    saved: &mut HashMap<String, Pin>,
    held: &HashMap<String, Pin>,
    pins: &[Pin],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut current = keyed(pins);
    current.retain(|k, pin| held.get(k) != Some(pin));
    let d = tx.dialect();
    let delete = statement(
        d,
        "DELETE FROM incident_pins WHERE tenant_id = $1 AND pin_key = $2",
    );
    for gone in saved.keys().filter(|k| !current.contains_key(*k)) {
        tx.execute(&delete, &[tenant.as_str().into(), gone.as_str().into()])?;
    }
    let upsert = statement(
        d,
        "INSERT INTO incident_pins (tenant_id, pin_key, pin, updated) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, pin_key) DO UPDATE SET pin = excluded.pin, \
         updated = excluded.updated",
    );
    let at = datetime::format(now);
    for (k, pin) in &current {
        if saved.get(k) != Some(pin) {
            let text = serde_json::to_string(pin)?;
            let params = [
                tenant.as_str().into(),
                k.as_str().into(),
                text.into(),
                at.as_str().into(),
            ];
            tx.execute(&upsert, &params)?;
        }
    }
    *saved = current;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use correlate::{IncidentKey, IncidentState};

    #[test]
    fn each_alert_and_each_incident_has_one_key() {
        let link = Pin::Link {
            alert_id: "a".into(),
            incident: IncidentKey(3),
        };
        let state = Pin::State {
            incident: IncidentKey(3),
            state: IncidentState::default(),
        };
        assert_eq!(key(&link), "alert:a");
        assert_eq!(key(&state), "incident:3");
    }
}
