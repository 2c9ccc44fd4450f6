//! The firewall's alerts: one per blocked address that was seen (`providerAlertId`
//! `fw-blocked-{address}`), with an integer version that grows with every sighting and every
//! analyst change, kept in `alerts.json`; and the journal of alert updates secgraph sent
//! (`alert-updates.jsonl`).
//!
//! An analyst's change (status, classification, determination, assignment) is remembered and
//! carried in every later push of the alert, so a sighting after a PATCH reflects it — which is
//! what the `providerVersion` answered to the update promises secgraph.

use crate::state_file;
use model::datetime;
use provider_protocol::{AlertUpdate, ProviderVersion, PushedAlert};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The alerts file's name in the state directory.
pub const FILE: &str = "alerts.json";
/// The alert-update journal's name in the state directory.
pub const JOURNAL: &str = "alert-updates.jsonl";
/// The alert members an analyst's change sets in later pushes.
const ANALYST_MEMBERS: &[&str] = &[
    "status",
    "classification",
    "determination",
    "assignedTo",
    "resolvedDateTime",
];

/// One alert as the firewall keeps it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AlertRecord {
    /// The blocked address; absent for an alert this firewall only heard of through an update.
    #[serde(default)]
    address: Option<String>,
    /// Grows with every sighting and every applied update.
    version: u64,
    /// The first sighting, in Graph's date-time format.
    created_date_time: String,
    /// How often the address was seen.
    sightings: u64,
    /// Members set by analysts through secgraph.
    #[serde(default)]
    analyst: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OnDisk {
    alerts: BTreeMap<String, AlertRecord>,
}

/// The alerts and where they live.
#[derive(Debug)]
pub struct AlertBook {
    dir: PathBuf,
    alerts: BTreeMap<String, AlertRecord>,
}

/// The firewall's alert id for a blocked address.
pub fn alert_id(address: &str) -> String {
    format!("fw-blocked-{address}")
}

impl AlertBook {
    /// The alerts stored in `dir`.
    pub fn open(dir: &Path) -> io::Result<AlertBook> {
        let on_disk: OnDisk = state_file::read(&dir.join(FILE))?;
        Ok(AlertBook {
            dir: dir.to_path_buf(),
            alerts: on_disk.alerts,
        })
    }

    /// Records a sighting of each blocked address (with its evidence roles, `source` and/or
    /// `destination`) and returns the alerts to push, each with its new version. Written to disk
    /// before returning.
    pub async fn sightings(
        &mut self,
        seen: &[(String, Vec<&'static str>)],
        now: OffsetDateTime,
    ) -> io::Result<Vec<PushedAlert>> {
        let mut next = self.alerts.clone();
        let mut pushed = Vec::with_capacity(seen.len());
        for (address, roles) in seen {
            let id = alert_id(address);
            let record = next.entry(id.clone()).or_insert_with(|| AlertRecord {
                created_date_time: datetime::format(now),
                ..AlertRecord::default()
            });
            record.address = Some(address.clone());
            record.version += 1;
            record.sightings += 1;
            pushed.push(push_item(&id, record, address, roles, now));
        }
        self.save(next).await?;
        Ok(pushed)
    }

    /// Applies an analyst's change: the alert's version grows and the changed members are kept
    /// for later pushes; the update is journalled. Returns the new version.
    pub async fn apply_update(
        &mut self,
        update: &AlertUpdate,
        now: OffsetDateTime,
    ) -> io::Result<u64> {
        let mut next = self.alerts.clone();
        let record = next
            .entry(update.provider_alert_id.clone())
            .or_insert_with(|| AlertRecord {
                created_date_time: datetime::format(now),
                ..AlertRecord::default()
            });
        record.version += 1;
        let version = record.version;
        if let Ok(Value::Object(changes)) = serde_json::to_value(&update.changes) {
            for (member, value) in changes {
                if ANALYST_MEMBERS.contains(&member.as_str()) {
                    record.analyst.insert(member, value);
                }
            }
        }
        let entry = json!({"receivedDateTime": datetime::format(now),
                           "providerVersion": version, "update": update});
        let journal = self.dir.join(JOURNAL);
        tokio::task::spawn_blocking(move || state_file::append_line(&journal, &entry))
            .await
            .map_err(io::Error::other)??;
        self.save(next).await?;
        Ok(version)
    }

    /// Writes `next` to disk, then makes it the state in memory.
    async fn save(&mut self, next: BTreeMap<String, AlertRecord>) -> io::Result<()> {
        let path = self.dir.join(FILE);
        let on_disk = OnDisk {
            alerts: next.clone(),
        };
        tokio::task::spawn_blocking(move || state_file::write(&path, &on_disk))
            .await
            .map_err(io::Error::other)??;
        self.alerts = next;
        Ok(())
    }
}

/// The alerts_v2 object pushed for a sighting: "Blocked address seen", medium, with the address
/// as `ipEvidence` in the roles it was seen in, and the analyst's members on top.
fn push_item(
    id: &str,
    record: &AlertRecord,
    address: &str,
    roles: &[&str],
    now: OffsetDateTime,
) -> PushedAlert {
    let now = datetime::format(now);
    let created = &record.created_date_time;
    let sides = roles.join(" and ");
    let alert = json!({
        "title": "Blocked address seen",
        "description": format!(
            "Traffic with {address} (as {sides}), which is on the block list, was seen and \
             dropped; seen {} time(s) since {created}.", record.sightings),
        "severity": "medium",
        "status": "new",
        "category": "CommandAndControl",
        "createdDateTime": created,
        "lastUpdateDateTime": now,
        "firstActivityDateTime": created,
        "lastActivityDateTime": now,
        "evidence": [{
            "@odata.type": "#microsoft.graph.security.ipEvidence",
            "ipAddress": address,
            "createdDateTime": created,
            "verdict": "malicious",
            "roles": roles,
        }],
    });
    let mut alert = match alert {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for (member, value) in &record.analyst {
        alert.insert(member.clone(), value.clone());
    }
    PushedAlert {
        provider_alert_id: id.to_string(),
        version: ProviderVersion::Sequence(record.version),
        alert: alert.into(),
    }
}
