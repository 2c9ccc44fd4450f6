//! A legacy `microsoft.graph.alert` as a stored alert.
//!
//! | alerts_v2 | from legacy |
//! |---|---|
//! | `id`, `title`, `description`, `category`, `assignedTo`, `createdDateTime` | the same properties |
//! | `providerAlertId` | `id` |
//! | `severity` | `severity` (missing → `unknown`) |
//! | `status` | `newAlert` → `new`; `inProgress`; `resolved`; `dismissed` → `resolved` + [`LegacyState::dismissed`]; `unknown` (missing → `new`) |
//! | `firstActivityDateTime`, `lastActivityDateTime` | `eventDateTime`, `lastEventDateTime` |
//! | `lastUpdateDateTime` | `lastModifiedDateTime`, else `createdDateTime` |
//! | `resolvedDateTime` | `closedDateTime` |
//! | `tenantId` | the importing tenant |
//! | `classification` | `feedback`: `truePositive`, `falsePositive`, `benignPositive` → `informationalExpectedActivity`, `unknown` |
//! | `actorDisplayName` | `activityGroupName` |
//! | `incidentId`, `detectorId`, `alertWebUrl` | the first of `incidentIds`, `detectionIds`, `sourceMaterials` |
//! | `recommendedActions` | `recommendedActions` joined with newlines |
//! | `threatFamilyName`, `threatDisplayName` | `malwareStates[0]/family`, `name` |
//! | `serviceSource`, `productName` | `vendorInformation/provider` (see [`super::vendor`]) |
//! | `evidence` | `hostStates` → `deviceEvidence`, `userStates` → `userEvidence`, `fileStates` → `fileEvidence`, `processes` → `processEvidence`, `networkConnections` → `networkConnectionEvidence`/`ipEvidence`/`urlEvidence`, `registryKeyStates` → `registryKeyEvidence`/`registryValueEvidence`, `cloudAppStates` → `cloudApplicationEvidence`, `messageSecurityStates` → `analyzedMessageEvidence`, `securityResources` → `azureResourceEvidence` (see [`crate::legacy`]); each stamped with the alert's `createdDateTime`, verdict `unknown`, remediation status `none` |
//! | [`StoredAlert::vendor`] | `vendorInformation` |
//! | [`LegacyState`] `feedback`, `tags`, `comments` | the same properties |

use crate::enums::{
    AlertClassification, AlertSeverity, AlertStatus, EvidenceRemediationStatus, EvidenceVerdict,
};
use crate::evidence::{AlertEvidence, EvidenceBase};
use crate::ids::{AlertId, TenantId};
use crate::legacy::enums::{AlertFeedback, LegacyAlertSeverity, LegacyAlertStatus};
use crate::legacy::{context, files, hosts, network, registry, LegacyAlert};
use crate::{Alert, LegacyState, StoredAlert};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Legacy properties that are never kept in [`LegacyState::extra`]: they are written by patches
/// (and must follow them) or are re-stamped by the import.
const NEVER_KEPT: &[&str] = &[
    "id",
    "assignedTo",
    "closedDateTime",
    "comments",
    "feedback",
    "status",
    "tags",
    "lastModifiedDateTime",
    "azureTenantId",
];

/// Maps a legacy alert object (annotations removed, `id` and `createdDateTime` present).
pub fn from_legacy(obj: Map<String, Value>, tenant: &TenantId) -> Result<StoredAlert, String> {
    let l: LegacyAlert = super::parse_naming_property(obj.clone(), &Map::new())?;
    let created = l.created_date_time.ok_or("createdDateTime is required")?;
    let (status, dismissed) = status(l.status);
    let vendor = l.vendor_information.clone().unwrap_or_default();
    let (service_source, product_name) = super::vendor::source_of(&vendor);
    let first_malware = l.malware_states.first();
    let alert = Alert {
        id: AlertId(l.id.clone()),
        actor_display_name: l.activity_group_name.clone(),
        alert_web_url: l.source_materials.first().cloned(),
        assigned_to: l.assigned_to.clone(),
        category: l.category.clone(),
        classification: l
            .feedback
            .as_ref()
            .and_then(|f| f.known())
            .and_then(classification),
        created_date_time: created,
        description: l.description.clone(),
        detector_id: l.detection_ids.first().cloned(),
        evidence: evidence(&l, created),
        first_activity_date_time: l.event_date_time,
        incident_id: l.incident_ids.first().cloned(),
        last_activity_date_time: l.last_event_date_time,
        last_update_date_time: l.last_modified_date_time.unwrap_or(created),
        product_name,
        provider_alert_id: Some(l.id.clone()),
        recommended_actions: (!l.recommended_actions.is_empty())
            .then(|| l.recommended_actions.join("\n")),
        resolved_date_time: l.closed_date_time,
        service_source,
        severity: severity(l.severity),
        status,
        tenant_id: Some(tenant.to_string()),
        threat_display_name: first_malware.and_then(|m| m.name.clone()),
        threat_family_name: first_malware.and_then(|m| m.family.clone()),
        threat_intelligence_matches: Vec::new(),
        provider_sync: None,
        title: l.title.clone(),
        ..empty_alert(created)
    };
    let legacy = LegacyState {
        feedback: l.feedback.as_ref().map(|f| f.as_str().to_string()),
        tags: l.tags.clone(),
        comments: l.comments.clone(),
        dismissed,
        extra: Map::new(),
    };
    let mut stored = StoredAlert {
        alert,
        vendor,
        legacy,
        link: None,
    };
    stored.legacy.extra = kept(obj, &l, &stored);
    Ok(stored)
}

/// The input properties the legacy view would not reproduce, verbatim.
fn kept(
    input: Map<String, Value>,
    parsed: &LegacyAlert,
    stored: &StoredAlert,
) -> Map<String, Value> {
    let as_map = |l: &LegacyAlert| match serde_json::to_value(l) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let computed = as_map(&LegacyAlert::from_stored(stored));
    let normalized = as_map(parsed);
    input
        .into_iter()
        .filter(|(k, _)| !NEVER_KEPT.contains(&k.as_str()))
        .filter(|(k, _)| computed.get(k).is_none() || computed.get(k) != normalized.get(k))
        .collect()
}

fn evidence(l: &LegacyAlert, created: OffsetDateTime) -> Vec<AlertEvidence> {
    let base = EvidenceBase {
        created_date_time: Some(created),
        remediation_status: Some(EvidenceRemediationStatus::None.into()),
        verdict: Some(EvidenceVerdict::Unknown.into()),
        ..EvidenceBase::default()
    };
    let b = || base.clone();
    let mut out: Vec<AlertEvidence> = Vec::new();
    out.extend(
        l.host_states
            .iter()
            .map(|h| hosts::device_evidence(h, b()).into()),
    );
    out.extend(
        l.user_states
            .iter()
            .map(|u| hosts::user_evidence(u, b()).into()),
    );
    out.extend(
        files::file_evidence(&l.file_states, &base)
            .into_iter()
            .map(AlertEvidence::from),
    );
    out.extend(
        l.processes
            .iter()
            .map(|p| files::process_evidence(p, b()).into()),
    );
    out.extend(
        l.network_connections
            .iter()
            .flat_map(|c| network::evidence(c, &base)),
    );
    out.extend(
        l.registry_key_states
            .iter()
            .map(|r| registry::evidence(r, b())),
    );
    out.extend(
        l.cloud_app_states
            .iter()
            .map(|c| context::cloud_app_evidence(c, b()).into()),
    );
    out.extend(
        l.message_security_states
            .iter()
            .map(|m| context::message_evidence(m, b()).into()),
    );
    out.extend(
        l.security_resources
            .iter()
            .map(|r| context::resource_evidence(r, b()).into()),
    );
    out
}

fn status(s: Option<LegacyAlertStatus>) -> (AlertStatus, bool) {
    match s {
        None | Some(LegacyAlertStatus::NewAlert) => (AlertStatus::New, false),
        Some(LegacyAlertStatus::InProgress) => (AlertStatus::InProgress, false),
        Some(LegacyAlertStatus::Resolved) => (AlertStatus::Resolved, false),
        Some(LegacyAlertStatus::Dismissed) => (AlertStatus::Resolved, true),
        Some(LegacyAlertStatus::Unknown) => (AlertStatus::Unknown, false),
        Some(LegacyAlertStatus::UnknownFutureValue) => (AlertStatus::UnknownFutureValue, false),
    }
}

fn severity(s: Option<LegacyAlertSeverity>) -> AlertSeverity {
    s.and_then(|s| AlertSeverity::parse(s.as_str()))
        .unwrap_or(AlertSeverity::Unknown)
}

fn classification(f: AlertFeedback) -> Option<AlertClassification> {
    Some(match f {
        AlertFeedback::TruePositive => AlertClassification::TruePositive,
        AlertFeedback::FalsePositive => AlertClassification::FalsePositive,
        AlertFeedback::BenignPositive => AlertClassification::InformationalExpectedActivity,
        AlertFeedback::Unknown => AlertClassification::Unknown,
        AlertFeedback::UnknownFutureValue => return None,
    })
}

/// An alert with only its required properties, every other one empty.
fn empty_alert(created: OffsetDateTime) -> Alert {
    Alert {
        id: AlertId(String::new()),
        actor_display_name: None,
        additional_data: None,
        alert_policy_id: None,
        alert_web_url: None,
        assigned_to: None,
        category: None,
        categories: Vec::new(),
        classification: None,
        comments: Vec::new(),
        created_date_time: created,
        custom_details: None,
        description: None,
        detection_source: None,
        detector_id: None,
        determination: None,
        evidence: Vec::new(),
        first_activity_date_time: None,
        incident_id: None,
        incident_web_url: None,
        investigation_state: None,
        last_activity_date_time: None,
        last_update_date_time: created,
        mitre_techniques: Vec::new(),
        product_name: None,
        provider_alert_id: None,
        recommended_actions: None,
        resolved_date_time: None,
        service_source: None,
        severity: AlertSeverity::Unknown,
        status: AlertStatus::New,
        system_tags: Vec::new(),
        tenant_id: None,
        threat_display_name: None,
        threat_family_name: None,
        threat_intelligence_matches: Vec::new(),
        provider_sync: None,
        title: None,
    }
}
