//! Push: a provider sends its alerts in batches to `POST /secgraph/v1/provider/alerts` and gets one
//! result per alert.
//!
//! ```json
//! {"protocolVersion": 1,
//!  "alerts": [{"providerAlertId": "fw-4711", "version": 3,
//!              "alert": {"title": "Blocked address seen again", "severity": "medium",
//!                        "status": "new", "createdDateTime": "2025-03-01T10:00:00Z"}}]}
//! ```
//!
//! * A batch holds 1 to [`MAX_BATCH_ALERTS`] alerts. Upserts are keyed by `providerAlertId` and
//!   ordered by `version` ([`version`]), so sending a batch twice, or two batches out of order,
//!   leaves the newest state.
//! * **Duplicates are refused**: a batch that carries one `providerAlertId` twice is refused as a
//!   whole (HTTP 400), naming both positions. Which of the two the provider meant is its own
//!   knowledge; it should send only the newest revision of each alert.
//! * An envelope problem refuses the whole batch; an alert whose `alert` object does not fit the
//!   alerts_v2 schema is `rejected` in its own result and the others proceed.
//! * `alert` is a `microsoft.graph.security.alert` (alerts_v2) object as `model::alert_from_json`
//!   reads it: `createdDateTime` required, `status` defaults to `new`, `severity` to `unknown`,
//!   `lastUpdateDateTime` to `createdDateTime`. secgraph sets `id` ([`pushed_alert_id`]),
//!   `providerAlertId`, `tenantId` and `vendorInformation`'s `provider` and `vendor` (from the
//!   manifest) whatever the object says, and `productName` to the provider's name when absent.

mod object;
pub mod race;
pub mod version;

pub use object::AlertObject;
pub use race::{decide, keep_local, LocalChange};
pub use version::{order, Decision, ProviderVersion};

use crate::problem::{item, Invalid, Problems};
use model::{AlertId, LegacyState, StoredAlert, TenantId, VendorInformation};
use object::Fixed;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Most alerts in one batch (and in one pull page).
pub const MAX_BATCH_ALERTS: usize = 1000;
/// Longest `providerAlertId`.
pub const MAX_PROVIDER_ALERT_ID_LEN: usize = 256;

/// Namespace of [`pushed_alert_id`] (a fixed random UUID).
const PUSHED_ID_NAMESPACE: uuid::Uuid = uuid::uuid!("3b322f37-9ae0-4ac0-aae0-694919e364ea");

/// `POST /secgraph/v1/provider/alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertBatch {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The alerts.
    pub alerts: Vec<PushedAlert>,
}

/// One alert as a provider sends it (pushed, or in a pull page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushedAlert {
    /// The provider's own id of the alert: the upsert key.
    pub provider_alert_id: String,
    /// The provider's version of this revision.
    pub version: ProviderVersion,
    /// The alerts_v2 object (see the module docs).
    pub alert: AlertObject,
}

/// What happened to one pushed alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AlertOutcome {
    /// New alert stored.
    Created,
    /// Newer version stored.
    Updated,
    /// This version was already stored.
    Unchanged,
    /// Older than the stored version; ignored.
    Stale,
    /// Not stored; `reason` says why.
    Rejected,
}

/// The result for one pushed alert, in the batch's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertResult {
    /// The provider's id, echoed.
    pub provider_alert_id: String,
    /// What happened.
    pub outcome: AlertOutcome,
    /// secgraph's alert id (all outcomes but `rejected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<AlertId>,
    /// The version secgraph holds (with `stale` and `unchanged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_version: Option<ProviderVersion>,
    /// Why (with `rejected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to an [`AlertBatch`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// One result per alert, in the batch's order.
    pub results: Vec<AlertResult>,
}

impl AlertBatch {
    /// Checks the envelope (see the module docs); the alert objects are checked by
    /// [`PushedAlert::into_stored`].
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        check_alerts(&mut p, "alerts", &self.alerts);
        if self.alerts.is_empty() {
            p.push("alerts", "is empty; send 1 to 1000 alerts");
        }
        p.finish()
    }
}

/// Size, ids and duplicates of a list of alerts (a batch or a pull page).
pub(crate) fn check_alerts(p: &mut Problems, path: &str, alerts: &[PushedAlert]) {
    if alerts.len() > MAX_BATCH_ALERTS {
        p.push(
            path,
            format!(
                "holds {} alerts; the limit is {MAX_BATCH_ALERTS}, split it",
                alerts.len()
            ),
        );
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(alerts.len());
    for (i, a) in alerts.iter().enumerate() {
        let at = format!("{}.providerAlertId", item(path, i));
        p.text(&at, &a.provider_alert_id, MAX_PROVIDER_ALERT_ID_LEN);
        if let Some(first) = seen.insert(&a.provider_alert_id, i) {
            p.push(
                at,
                format!(
                    "'{}' is also {}; send each alert once, in its newest version",
                    a.provider_alert_id,
                    item(path, first)
                ),
            );
        }
    }
}

impl PushedAlert {
    /// The stored alert for `tenant` from provider `vendor` (the manifest's
    /// [`crate::ProviderManifest::vendor_information`]), or why the object does not fit.
    ///
    /// The result is what `model::alert_from_json` makes of the object with secgraph's members set
    /// (a test pins that), but reached in a fraction of the time: the object's text is read
    /// straight into the alert ([`AlertObject`]), and `alert_from_json` runs only to explain a
    /// failure.
    pub fn into_stored(
        self,
        tenant: &TenantId,
        vendor: &VendorInformation,
    ) -> Result<StoredAlert, String> {
        let provider = vendor.provider.as_deref().unwrap_or_default();
        let id = pushed_alert_id(tenant, provider, &self.provider_alert_id);
        let tenant_id = tenant.to_string();
        let fixed = Fixed {
            id: &id.0,
            provider_alert_id: &self.provider_alert_id,
            tenant_id: &tenant_id,
            product_name: provider,
        };
        let (alert, sent) = match self.alert.read(&fixed) {
            Ok(read) => read,
            Err(e) => return Err(explain(&self.alert, tenant, e)),
        };
        let sent = sent.unwrap_or_default();
        Ok(StoredAlert {
            alert,
            vendor: VendorInformation {
                provider: vendor.provider.clone(),
                vendor: vendor.vendor.clone(),
                provider_version: sent.provider_version,
                sub_provider: sent.sub_provider,
            },
            legacy: LegacyState::default(),
            link: None,
        })
    }
}

/// `model::alert_from_json`'s explanation of an object that is not an alert (it names the
/// property at fault), else serde's.
fn explain(object: &AlertObject, tenant: &TenantId, e: serde_json::Error) -> String {
    let mut obj = object.to_map();
    // secgraph sets these itself: they cannot be at fault.
    obj.remove("vendorInformation");
    obj.insert(
        "@odata.type".into(),
        Value::String("#microsoft.graph.security.alert".into()),
    );
    match model::alert_from_json(Value::Object(obj), tenant) {
        Err(m) => m,
        Ok(_) => e.to_string(),
    }
}

/// secgraph's id of a provider's alert: a UUIDv5 of the tenant, the provider's name and its alert
/// id, so the same provider alert always maps to the same secgraph alert.
pub fn pushed_alert_id(tenant: &TenantId, provider: &str, provider_alert_id: &str) -> AlertId {
    let name = format!("{tenant}\n{provider}\n{provider_alert_id}");
    AlertId(uuid::Uuid::new_v5(&PUSHED_ID_NAMESPACE, name.as_bytes()).to_string())
}

impl AlertResult {
    /// The result of `decision` for an alert; `stored` is the version held before it.
    pub fn decided(
        provider_alert_id: impl Into<String>,
        alert_id: AlertId,
        decision: Decision,
        stored: Option<ProviderVersion>,
        incoming: &ProviderVersion,
    ) -> AlertResult {
        let outcome = decision.outcome();
        let reason = match (decision, &stored) {
            (Decision::KindMismatch, Some(s)) => Some(version::kind_mismatch_reason(s, incoming)),
            _ => None,
        };
        let rejected = outcome == AlertOutcome::Rejected;
        AlertResult {
            provider_alert_id: provider_alert_id.into(),
            outcome,
            alert_id: (!rejected).then_some(alert_id),
            stored_version: matches!(outcome, AlertOutcome::Stale | AlertOutcome::Unchanged)
                .then_some(stored)
                .flatten(),
            reason,
        }
    }

    /// A `rejected` result.
    pub fn rejected(
        provider_alert_id: impl Into<String>,
        reason: impl Into<String>,
    ) -> AlertResult {
        AlertResult {
            provider_alert_id: provider_alert_id.into(),
            outcome: AlertOutcome::Rejected,
            alert_id: None,
            stored_version: None,
            reason: Some(reason.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The direct read in `into_stored` must agree with `model::alert_from_json`.
    #[test]
    fn into_stored_agrees_with_alert_from_json() {
        let tenant = TenantId("t1".into());
        let vendor = VendorInformation {
            provider: Some("Edge Firewall".into()),
            vendor: Some("Contoso".into()),
            ..VendorInformation::default()
        };
        let objects = [
            json!({"createdDateTime": "2025-03-01T10:00:00Z"}),
            json!({"createdDateTime": "2025-03-01T10:00:00Z", "status": null, "severity": null,
                   "lastUpdateDateTime": null, "productName": null, "title@odata.type": "x"}),
            json!({"@odata.type": "#microsoft.graph.alert", "status": "inProgress",
                   "severity": "HIGH", "productName": "Edge FW 2",
                   "createdDateTime": "2025-03-01T10:00:00+01:00",
                   "lastUpdateDateTime": "2025-03-01T11:00:00Z", "comments": null,
                   "evidence": [{"@odata.type": "#microsoft.graph.security.ipEvidence",
                                 "ipAddress": "203.0.113.7", "createdDateTime": "2025-03-01T10:00:00Z"}],
                   "vendorInformation": {"provider": "x", "subProvider": "edge-2", "providerVersion": "9"}}),
        ];
        for o in objects {
            let item = PushedAlert {
                provider_alert_id: "fw-1".into(),
                version: ProviderVersion::Sequence(1),
                alert: AlertObject::try_from(o.clone()).expect("an object"),
            };
            let fast = item.into_stored(&tenant, &vendor).expect("fits");
            let mut reference = o;
            reference["@odata.type"] = json!("#microsoft.graph.security.alert");
            reference["id"] = json!(pushed_alert_id(&tenant, "Edge Firewall", "fw-1").0);
            reference["providerAlertId"] = json!("fw-1");
            if reference["productName"].is_null() {
                reference["productName"] = json!("Edge Firewall");
            }
            let mut slow = model::alert_from_json(reference, &tenant).expect("fits");
            slow.vendor.provider = vendor.provider.clone();
            slow.vendor.vendor = vendor.vendor.clone();
            assert_eq!(fast, slow);
        }
    }
}
