//! Suricata EVE JSON (`eve.json`, one event per line) into alerts_v2.
//!
//! Only `event_type: alert` is an alert; every other event type (`flow`, `dns`, `http`,
//! `fileinfo`, `stats`, `drop`, …) maps to `None`. In IPS mode a blocked alert is still
//! `event_type: alert`, with `alert.action: blocked`.
//!
//! | alerts_v2 | from |
//! |---|---|
//! | `id` | UUID v5 over `suricata`, `flow_id`, `tx_id`, `gid:signature_id` and the time (UTC) |
//! | `providerAlertId` | those fields as text: `{flow_id}/{tx_id}/{gid}:{signature_id}/{time}` (`-` for an absent field) |
//! | `title` | `alert.signature` (required) |
//! | `severity` | `alert.severity`: 1 → `high`, 2 → `medium`, 3 → `low`, any other number (Suricata priorities run to 255) → `informational`; absent → `unknown` |
//! | `category`, `categories` | `alert.category` (the rule's classtype description) |
//! | `detectorId` | `gid:signature_id:rev` as in `fast.log` (`1:2024468:3`); `gid` defaults to 1, `:rev` is left out without `rev` |
//! | `detectionSource` | `customDetection` for signature ids 1000000–1999999 (the range reserved for local rules), else `unknown` |
//! | `mitreTechniques` | `alert.metadata.mitre_technique_id` (Emerging Threats rule metadata) |
//! | `createdDateTime`, first/last activity, `lastUpdateDateTime` | `timestamp` (required; `+0200`-style offsets accepted) |
//! | `description` | protocol, `src:port -> dest:port`, action, `app_proto`, `flow_id` |
//! | `vendorInformation` | provider `Suricata`, vendor `OISF` |
//!
//! Evidence is described in [`evidence`].

pub mod evidence;

use crate::alert_id::alert_id;
use crate::draft::{Draft, SURICATA};
use crate::error::ConnectorError;
use crate::record::{parse_object, Record};
use crate::timestamp;
use model::enums::{AlertSeverity, DetectionSource};
use model::StoredAlert;
use std::fmt::Write;

/// The connector's name, hashed into its alert ids.
pub const CONNECTOR: &str = "suricata";

/// Signature ids reserved for an organisation's own rules.
const LOCAL_SIDS: std::ops::RangeInclusive<u64> = 1_000_000..=1_999_999;

/// Maps one EVE line: `Ok(None)` for events that are not alerts, the alert for `event_type:
/// alert`, an error naming the field when the line is not a readable EVE event.
pub fn alert_from_eve(line: &str) -> Result<Option<StoredAlert>, ConnectorError> {
    let map = parse_object(line)?;
    let rec = Record::new(&map, "");
    let event_type = rec.req_str(
        "event_type",
        "the EVE event type, a string such as \"alert\"",
    )?;
    if event_type != "alert" {
        return Ok(None);
    }
    map_alert(&rec).map(Some)
}

fn map_alert(rec: &Record<'_>) -> Result<StoredAlert, ConnectorError> {
    let time = timestamp::required(rec, "timestamp")?;
    let title = rec.req_str("alert.signature", "the rule's message, a string")?;
    let sid = rec.req_uint(
        "alert.signature_id",
        "the rule's signature id, a whole number",
    )?;
    let gid = rec.uint("alert.gid").unwrap_or(1);
    let rule = format!("{gid}:{sid}");
    let detector_id = match rec.uint("alert.rev") {
        Some(rev) => format!("{rule}:{rev}"),
        None => rule.clone(),
    };
    let flow_id = rec.text("flow_id");
    let tx_id = rec.text("tx_id");
    let utc = model::datetime::format(time);
    let key = [
        flow_id.as_deref().unwrap_or("-"),
        tx_id.as_deref().unwrap_or("-"),
        rule.as_str(),
        utc.as_str(),
    ];
    let category = rec.str("alert.category").map(str::to_string);
    Ok(Draft {
        product: SURICATA,
        id: alert_id(CONNECTOR, &key),
        provider_alert_id: key.join("/"),
        time,
        title: title.to_string(),
        description: description(rec),
        severity: severity(rec)?,
        categories: category.iter().cloned().collect(),
        category,
        detector_id,
        detection_source: if LOCAL_SIDS.contains(&sid) {
            DetectionSource::CustomDetection
        } else {
            DetectionSource::Unknown
        },
        mitre_techniques: mitre_techniques(rec),
        evidence: evidence::evidence(rec, time),
    }
    .into_stored())
}

/// `alert.severity` (see the module table); a value that is not a whole number is an error.
fn severity(rec: &Record<'_>) -> Result<AlertSeverity, ConnectorError> {
    const EXPECTED: &str = "the rule's priority, a whole number (1 high, 2 medium, 3 low)";
    let Some(value) = rec.get("alert.severity") else {
        return Ok(AlertSeverity::Unknown);
    };
    Ok(match rec.uint("alert.severity") {
        Some(1) => AlertSeverity::High,
        Some(2) => AlertSeverity::Medium,
        Some(3) => AlertSeverity::Low,
        Some(_) => AlertSeverity::Informational,
        None => return Err(rec.invalid("alert.severity", EXPECTED, value)),
    })
}

/// `T1059`-style ids from Emerging Threats metadata, once each, in order.
fn mitre_techniques(rec: &Record<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in rec.strings("alert.metadata.mitre_technique_id") {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// `TCP 1.2.3.4:52812 -> 127.0.0.1:80, action allowed, app_proto http, flow_id 1258832998001901`;
/// parts the event lacks are left out.
fn description(rec: &Record<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let src = endpoint(rec, "src_ip", "src_port");
    let dst = endpoint(rec, "dest_ip", "dest_port");
    let mut flow = rec.str("proto").unwrap_or_default().to_string();
    if src.is_some() || dst.is_some() {
        let _ = write!(
            flow,
            "{}{} -> {}",
            if flow.is_empty() { "" } else { " " },
            src.as_deref().unwrap_or("?"),
            dst.as_deref().unwrap_or("?")
        );
    }
    if !flow.is_empty() {
        parts.push(flow);
    }
    for (label, path) in [
        ("action", "alert.action"),
        ("app_proto", "app_proto"),
        ("flow_id", "flow_id"),
    ] {
        if let Some(v) = rec.text(path) {
            parts.push(format!("{label} {v}"));
        }
    }
    parts.join(", ")
}

/// `address:port` (`[v6]:port`), or the address alone without a port.
fn endpoint(rec: &Record<'_>, ip: &str, port: &str) -> Option<String> {
    let address = rec.str(ip)?;
    Some(match rec.uint(port) {
        Some(p) if address.contains(':') => format!("[{address}]:{p}"),
        Some(p) => format!("{address}:{p}"),
        None => address.to_string(),
    })
}
