//! Wazuh alerts (`alerts.json`, one alert per line) into alerts_v2.
//!
//! A line is a bare alert or one read back from the indexer by Logstash,
//! `{"@version":"1","_source":{<alert>},"@timestamp":…}`: a top-level `_source` object is the
//! alert, and errors then name fields as `_source.rule.level`.
//!
//! | alerts_v2 | from |
//! |---|---|
//! | `id` | UUID v5 over `wazuh`, `id`, the time (UTC), `agent.id` and `rule.id` (the alert id is unique per manager; agent and rule keep template-made and multi-node alerts apart) |
//! | `providerAlertId` | `id` (required, e.g. `1708023911.181468`) |
//! | `title` | `rule.description`, else `Wazuh rule {rule.id}` |
//! | `severity` | `rule.level` (required, 0–15): 0–3 → `informational` (ignored events, system notifications, successful or authorised events), 4–6 → `low`, 7–11 → `medium`, 12–15 → `high` (Wazuh's own dashboard calls 12–14 high and 15 critical; Graph has no critical) |
//! | `category` | the last of `rule.groups` (Wazuh lists groups from general to specific: `syslog, sshd, authentication_success`) |
//! | `categories` | all of `rule.groups` |
//! | `detectorId` | `rule.id` (required) |
//! | `detectionSource` | `customDetection` for rule ids ≥ 100000 (Wazuh's range for user-defined rules), else `unknown` |
//! | `mitreTechniques` | `rule.mitre.id` |
//! | `createdDateTime`, first/last activity, `lastUpdateDateTime` | `timestamp` (`2024-01-01T10:00:00.000+0000`), else `@timestamp`; the template placeholder `"{timestamp}"` is an error |
//! | `description` | rule, level, agent, `location`, then `full_log` (else `data.title` or `data.vulnerability.title`), cut at 4,000 characters |
//! | `vendorInformation` | provider `Wazuh`, vendor `Wazuh` |
//!
//! Evidence is described in [`evidence`].

pub mod evidence;

use crate::alert_id::alert_id;
use crate::draft::{Draft, WAZUH};
use crate::error::ConnectorError;
use crate::record::{parse_object, Record};
use crate::timestamp;
use model::enums::{AlertSeverity, DetectionSource};
use model::StoredAlert;
use serde_json::Value;
use std::fmt::Write;

/// The connector's name, hashed into its alert ids.
pub const CONNECTOR: &str = "wazuh";

/// Rule ids from here on are user-defined (Wazuh reserves 100000–120000 for local rules).
const FIRST_LOCAL_RULE: u64 = 100_000;

/// Longest log excerpt kept in the description, in characters.
const LOG_CHARS: usize = 4_000;

/// Maps one `alerts.json` line (bare or Logstash-wrapped); an error names the field at fault.
pub fn alert_from_json(line: &str) -> Result<StoredAlert, ConnectorError> {
    let outer = parse_object(line)?;
    let rec = match outer.get("_source") {
        Some(Value::Object(inner)) => Record::new(inner, "_source."),
        _ => Record::new(&outer, ""),
    };
    map_alert(&rec)
}

fn map_alert(rec: &Record<'_>) -> Result<StoredAlert, ConnectorError> {
    let time = match rec.get("timestamp") {
        Some(_) => timestamp::required(rec, "timestamp")?,
        None => timestamp::required(rec, "@timestamp")?,
    };
    let wazuh_id = rec.req_text("id", "the Wazuh alert id, such as \"1708023911.181468\"")?;
    let rule_id = rec.req_text("rule.id", "the rule id, such as \"5715\"")?;
    let level = level(rec)?;
    let groups: Vec<String> = rec
        .strings("rule.groups")
        .into_iter()
        .map(str::to_string)
        .collect();
    let utc = model::datetime::format(time);
    let agent_id = rec.text("agent.id").unwrap_or_else(|| "-".into());
    let key = [
        wazuh_id.as_str(),
        utc.as_str(),
        agent_id.as_str(),
        rule_id.as_str(),
    ];
    let custom = rule_id.parse::<u64>().is_ok_and(|n| n >= FIRST_LOCAL_RULE);
    Ok(Draft {
        product: WAZUH,
        id: alert_id(CONNECTOR, &key),
        provider_alert_id: wazuh_id,
        time,
        title: rec
            .str("rule.description")
            .map_or_else(|| format!("Wazuh rule {rule_id}"), str::to_string),
        description: description(rec, &rule_id, level, &groups),
        severity: severity(level),
        category: groups.last().cloned(),
        categories: groups,
        detector_id: rule_id,
        detection_source: if custom {
            DetectionSource::CustomDetection
        } else {
            DetectionSource::Unknown
        },
        mitre_techniques: dedup(rec.strings("rule.mitre.id")),
        evidence: evidence::evidence(rec, time),
    }
    .into_stored())
}

/// `rule.level`, required, 0–15.
fn level(rec: &Record<'_>) -> Result<u64, ConnectorError> {
    const EXPECTED: &str = "the rule level, a whole number 0-15";
    let level = rec.req_uint("rule.level", EXPECTED)?;
    if level > 15 {
        let found = rec.get("rule.level").cloned().unwrap_or(Value::Null);
        return Err(rec.invalid("rule.level", EXPECTED, &found));
    }
    Ok(level)
}

/// The severity of a rule level 0–15 (see the module table).
pub fn severity(level: u64) -> AlertSeverity {
    match level {
        0..=3 => AlertSeverity::Informational,
        4..=6 => AlertSeverity::Low,
        7..=11 => AlertSeverity::Medium,
        _ => AlertSeverity::High,
    }
}

fn dedup(items: Vec<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// `Rule 5715 (level 3; syslog, sshd, authentication_success) on agent 000 (ubuntu2204), location
/// /var/log/auth.log.` and, after a blank line, the log excerpt.
fn description(rec: &Record<'_>, rule_id: &str, level: u64, groups: &[String]) -> String {
    let mut text = format!("Rule {rule_id} (level {level}");
    if !groups.is_empty() {
        let _ = write!(text, "; {}", groups.join(", "));
    }
    text.push(')');
    match (rec.text("agent.id"), rec.str("agent.name")) {
        (Some(id), Some(name)) => {
            let _ = write!(text, " on agent {id} ({name})");
        }
        (Some(id), None) => {
            let _ = write!(text, " on agent {id}");
        }
        (None, Some(name)) => {
            let _ = write!(text, " on agent {name}");
        }
        (None, None) => {}
    }
    if let Some(location) = rec.str("location") {
        let _ = write!(text, ", location {location}");
    }
    text.push('.');
    let log = rec
        .str("full_log")
        .or_else(|| rec.str("data.title"))
        .or_else(|| rec.str("data.vulnerability.title"));
    if let Some(log) = log {
        text.push_str("\n\n");
        text.extend(log.chars().take(LOG_CHARS));
    }
    text
}
