//! [`LegacyAlert::from_stored`]: the legacy `microsoft.graph.alert` view of a stored alert.
//!
//! # Mapping (alerts_v2 → legacy)
//!
//! | legacy property | computed from |
//! |---|---|
//! | `id`, `title`, `description`, `category`, `assignedTo` | the same alerts_v2 properties |
//! | `severity` | `severity` (same members) |
//! | `status` | `new` → `newAlert`; `inProgress`; `resolved` → `resolved`, or `dismissed` when a legacy client dismissed it ([`LegacyState::dismissed`]); `unknown`; `unknownFutureValue` |
//! | `createdDateTime` | `createdDateTime` |
//! | `eventDateTime` | `firstActivityDateTime`, else `createdDateTime` |
//! | `lastEventDateTime` | `lastActivityDateTime` |
//! | `lastModifiedDateTime` | `lastUpdateDateTime` |
//! | `closedDateTime` | `resolvedDateTime` |
//! | `azureTenantId` | `tenantId` |
//! | `azureSubscriptionId` | the first device's `vmMetadata/subscriptionId`, else the subscription in the first `azureResourceEvidence/resourceId` |
//! | `vendorInformation` | [`StoredAlert::vendor`] |
//! | `feedback` | [`LegacyState::feedback`]; else `classification`: `truePositive`, `falsePositive`, `informationalExpectedActivity` → `benignPositive`, `unknown` |
//! | `tags`, `comments` | [`LegacyState::tags`], [`LegacyState::comments`] |
//! | `detectionIds` | `[detectorId]` |
//! | `incidentIds` | `[incidentId]` |
//! | `sourceMaterials` | `[alertWebUrl]` |
//! | `recommendedActions` | `recommendedActions` split into its non-empty lines |
//! | `activityGroupName` | `actorDisplayName` |
//! | `malwareStates` | `threatFamilyName`/`threatDisplayName`, then each `malwareEvidence` |
//! | `hostStates` | each `deviceEvidence` (see [`crate::legacy::hosts`]) |
//! | `userStates` | each `userEvidence` and `mailboxEvidence` |
//! | `fileStates` | each `fileEvidence`, one item per hash (see [`crate::legacy::files`]) |
//! | `processes` | each `processEvidence` |
//! | `networkConnections` | each `networkConnectionEvidence`, `ipEvidence`, `urlEvidence` (see [`crate::legacy::network`]) |
//! | `registryKeyStates` | each `registryKeyEvidence`, `registryValueEvidence` |
//! | `cloudAppStates`, `messageSecurityStates`, `securityResources` | each `cloudApplicationEvidence`, `analyzedMessageEvidence`, `azureResourceEvidence` (see [`crate::legacy::context`]) |
//! | `confidence`, `triggers`, `alertDetections`, `historyStates`, `investigationSecurityStates`, `uriClickSecurityStates`, `vulnerabilityStates` | no alerts_v2 source: `null` / `[]` |
//!
//! Every property present in [`LegacyState::extra`] (kept verbatim by a legacy-shape import, see
//! [`crate::import`]) **replaces** the computed value, so a legacy alert reads back as it was
//! imported; unknown properties in it are written after the known ones. An `extra` value that no
//! longer fits its property's type is ignored (the computed value stays).

use crate::enums::{AlertClassification, AlertSeverity, AlertStatus};
use crate::evidence::AlertEvidence;
use crate::legacy::enums::{AlertFeedback, LegacyAlertSeverity, LegacyAlertStatus};
use crate::legacy::{context, files, hosts, network, registry, LegacyAlert};
use crate::open_enum::OpenEnum;
use crate::stored::{LegacyState, StoredAlert};
use serde_json::{Map, Value};

impl LegacyAlert {
    /// The legacy view of `s` (see the module docs for the mapping).
    pub fn from_stored(s: &StoredAlert) -> LegacyAlert {
        let computed = computed(s);
        let mut view = if s.legacy.extra.is_empty() {
            computed
        } else {
            overlay(computed, &s.legacy.extra)
        };
        // [ext] the sync-back state shows in both views (`crate::sync`).
        if let Some(sync) = &s.alert.provider_sync {
            if let Ok(v) = serde_json::to_value(sync) {
                view.extra.insert("providerSync".into(), v);
            }
        }
        view
    }
}

fn computed(s: &StoredAlert) -> LegacyAlert {
    let a = &s.alert;
    let mut l = LegacyAlert {
        id: a.id.0.clone(),
        activity_group_name: a.actor_display_name.clone(),
        assigned_to: a.assigned_to.clone(),
        azure_subscription_id: subscription_id(&a.evidence),
        azure_tenant_id: a.tenant_id.clone(),
        category: a.category.clone(),
        closed_date_time: a.resolved_date_time,
        comments: s.legacy.comments.clone(),
        created_date_time: Some(a.created_date_time),
        description: a.description.clone(),
        detection_ids: a.detector_id.iter().cloned().collect(),
        event_date_time: a.first_activity_date_time.or(Some(a.created_date_time)),
        feedback: feedback(&s.legacy, a.classification),
        incident_ids: a.incident_id.iter().cloned().collect(),
        last_event_date_time: a.last_activity_date_time,
        last_modified_date_time: Some(a.last_update_date_time),
        recommended_actions: split_lines(a.recommended_actions.as_deref()),
        severity: Some(severity(a.severity)),
        source_materials: a.alert_web_url.iter().cloned().collect(),
        status: Some(status(a.status, s.legacy.dismissed)),
        tags: s.legacy.tags.clone(),
        title: a.title.clone(),
        vendor_information: Some(s.vendor.clone()),
        ..LegacyAlert::default()
    };
    add_evidence(&mut l, &a.evidence);
    let malware: Vec<_> = a
        .evidence
        .iter()
        .filter_map(|e| match e {
            AlertEvidence::Malware(m) => Some(&**m),
            _ => None,
        })
        .collect();
    l.malware_states = context::malware_states(
        a.threat_family_name.as_ref(),
        a.threat_display_name.as_ref(),
        &malware,
    );
    l
}

fn add_evidence(l: &mut LegacyAlert, evidence: &[AlertEvidence]) {
    for e in evidence {
        match e {
            AlertEvidence::Device(d) => l.host_states.push(hosts::host_state(d)),
            AlertEvidence::User(u) => l.user_states.push(
                u.user_account
                    .as_ref()
                    .map(hosts::user_state)
                    .unwrap_or_default(),
            ),
            AlertEvidence::Mailbox(m) => l.user_states.push(hosts::mailbox_user_state(m)),
            AlertEvidence::File(f) => l.file_states.extend(files::file_states(f)),
            AlertEvidence::Process(p) => l.processes.push(files::process(p)),
            AlertEvidence::NetworkConnection(c) => {
                l.network_connections.push(network::connection(c))
            }
            AlertEvidence::Ip(ip) => l.network_connections.push(network::ip_connection(ip)),
            AlertEvidence::Url(u) => l.network_connections.push(network::url_connection(u)),
            AlertEvidence::RegistryKey(k) => l.registry_key_states.push(registry::key_state(k)),
            AlertEvidence::RegistryValue(v) => l.registry_key_states.push(registry::value_state(v)),
            AlertEvidence::CloudApplication(c) => {
                l.cloud_app_states.push(context::cloud_app_state(c))
            }
            AlertEvidence::AnalyzedMessage(m) => {
                l.message_security_states.push(context::message_state(m))
            }
            AlertEvidence::AzureResource(r) => {
                l.security_resources.push(context::security_resource(r))
            }
            _ => {}
        }
    }
}

/// The legacy status of an alerts_v2 status.
pub fn status(s: AlertStatus, dismissed: bool) -> LegacyAlertStatus {
    match s {
        AlertStatus::Unknown => LegacyAlertStatus::Unknown,
        AlertStatus::New => LegacyAlertStatus::NewAlert,
        AlertStatus::InProgress => LegacyAlertStatus::InProgress,
        AlertStatus::Resolved if dismissed => LegacyAlertStatus::Dismissed,
        AlertStatus::Resolved => LegacyAlertStatus::Resolved,
        AlertStatus::UnknownFutureValue => LegacyAlertStatus::UnknownFutureValue,
    }
}

fn severity(s: AlertSeverity) -> LegacyAlertSeverity {
    LegacyAlertSeverity::parse(s.as_str()).unwrap_or(LegacyAlertSeverity::Unknown)
}

/// The legacy feedback that corresponds to an alerts_v2 classification.
pub fn classification_feedback(c: AlertClassification) -> AlertFeedback {
    match c {
        AlertClassification::TruePositive => AlertFeedback::TruePositive,
        AlertClassification::FalsePositive => AlertFeedback::FalsePositive,
        AlertClassification::InformationalExpectedActivity => AlertFeedback::BenignPositive,
        AlertClassification::Unknown => AlertFeedback::Unknown,
        AlertClassification::UnknownFutureValue => AlertFeedback::UnknownFutureValue,
    }
}

pub(crate) fn feedback(
    legacy: &LegacyState,
    c: Option<AlertClassification>,
) -> Option<OpenEnum<AlertFeedback>> {
    match &legacy.feedback {
        Some(f) => Some(OpenEnum::parse(f)),
        None => c.map(|c| classification_feedback(c).into()),
    }
}

/// The non-empty, trimmed lines of `text`.
pub fn split_lines(text: Option<&str>) -> Vec<String> {
    let lines = text
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    lines.map(str::to_string).collect()
}

fn subscription_id(evidence: &[AlertEvidence]) -> Option<String> {
    let from_vm = evidence.iter().find_map(|e| match e {
        AlertEvidence::Device(d) => d.vm_metadata.as_ref()?.subscription_id.clone(),
        _ => None,
    });
    from_vm.or_else(|| {
        evidence.iter().find_map(|e| match e {
            AlertEvidence::AzureResource(r) => {
                let id = r.resource_id.as_deref()?;
                let rest = id.strip_prefix("/subscriptions/")?;
                Some(rest.split('/').next()?.to_string())
            }
            _ => None,
        })
    })
}

fn overlay(computed: LegacyAlert, extra: &Map<String, Value>) -> LegacyAlert {
    let Ok(Value::Object(base)) = serde_json::to_value(&computed) else {
        return computed;
    };
    let merged = |keep: &dyn Fn(&str, &Value) -> bool| {
        let mut map = base.clone();
        for (k, v) in extra.iter().filter(|(k, v)| keep(k, v)) {
            map.insert(k.clone(), v.clone());
        }
        serde_json::from_value::<LegacyAlert>(Value::Object(map))
    };
    if let Ok(l) = merged(&|_, _| true) {
        return l;
    }
    merged(&fits).unwrap_or(computed)
}

/// True when `value` is acceptable as the legacy property `key`.
fn fits(key: &str, value: &Value) -> bool {
    let mut probe = Map::new();
    probe.insert(key.to_string(), value.clone());
    serde_json::from_value::<LegacyAlert>(Value::Object(probe)).is_ok()
}
