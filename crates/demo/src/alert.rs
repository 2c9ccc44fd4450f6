//! Assembles one stored alert: the provider's detection plus the SOC's triage, written as Graph
//! JSON and deserialised into [`model::StoredAlert`] (so the generator depends on Graph's wire
//! names, not on the model's Rust field names).

use crate::detection::Detection;
use crate::providers;
use crate::scene::{stamp, Scene};
use crate::triage::{triage, Triage};
use crate::DemoConfig;
use model::StoredAlert;
use serde_json::{json, Map, Value};

/// Alert number `index` of the demo set described by `cfg`.
pub(crate) fn build(cfg: &DemoConfig, index: u64) -> Result<StoredAlert, serde_json::Error> {
    let mut scene = Scene::new(cfg.seed, index, cfg.anchor, cfg.tenant.as_str());
    let mut det = providers::detect(&mut scene);
    let mut tri = triage(&mut scene, &det);
    let mut alert = alert_json(&scene, &det, &tri);
    if let Value::Object(map) = &mut alert {
        // Moved in rather than written through `json!`, which would copy them.
        map.insert(
            "comments".into(),
            Value::Array(std::mem::take(&mut tri.comments)),
        );
        map.insert(
            "evidence".into(),
            Value::Array(std::mem::take(&mut det.evidence)),
        );
    }
    let vendor = json!({
        "provider": det.product.provider,
        "providerVersion": det.product.provider_version,
        "subProvider": det.product.sub_provider,
        "vendor": det.product.vendor,
    });
    let legacy = json!({
        "feedback": tri.feedback,
        "tags": tri.tags,
        "comments": [],
        "dismissed": false,
        "extra": {},
    });
    // Assembled by moving the parts in (`json!` would deep-copy `alert`).
    let mut stored = Map::with_capacity(3);
    stored.insert("alert".into(), alert);
    stored.insert("vendor".into(), vendor);
    stored.insert("legacy".into(), legacy);
    let value = Value::Object(stored);
    serde_json::from_value(value)
}

fn alert_json(scene: &Scene<'_>, det: &Detection, tri: &Triage) -> Value {
    let t = scene.time;
    json!({
        "id": det.id,
        "providerAlertId": det.provider_alert_id,
        "incidentId": null,
        "status": tri.status.as_str(),
        "severity": det.severity.as_str(),
        "classification": tri.classification.map(|c| c.as_str()),
        "determination": tri.determination.map(|d| d.as_str()),
        "serviceSource": det.product.service.as_str(),
        "detectionSource": det.detection_source.as_str(),
        "productName": det.product.name,
        "detectorId": det.detector_id,
        "alertPolicyId": det.alert_policy_id,
        "tenantId": scene.tenant,
        "title": det.title,
        "description": det.description,
        "recommendedActions": det.recommended_actions,
        "category": det.category,
        "categories": det.categories,
        "assignedTo": tri.assigned_to,
        "alertWebUrl": det.web_url,
        "incidentWebUrl": null,
        "actorDisplayName": null,
        "threatDisplayName": det.threat_display_name,
        "threatFamilyName": det.threat_family_name,
        "mitreTechniques": det.mitre,
        "createdDateTime": scene.created,
        "lastUpdateDateTime": stamp(tri.last_update),
        "resolvedDateTime": tri.resolved.map(stamp),
        "firstActivityDateTime": stamp(t.first_activity),
        "lastActivityDateTime": stamp(t.last_activity),
        "investigationState": tri.investigation.map(|s| s.as_str()),
        "systemTags": det.system_tags,
        "additionalData": det.additional_data,
        "customDetails": det.custom_details,
    })
}
