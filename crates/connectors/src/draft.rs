//! [`Draft`]: what a connector decides about an alert, and the one place that turns it into the
//! stored alerts_v2 shape, so both connectors fill the Microsoft-specific properties the same way
//! (docs/alerts.md, "Non-Microsoft products"):
//!
//! * `serviceSource` `unknown` (Graph's enum names only Microsoft services); `detectionSource`
//!   as the connector decides (`unknown`, or `customDetection` for the organisation's own rules).
//! * `productName` and `vendorInformation` from the [`Product`].
//! * `status` `new`; `createdDateTime`, `firstActivityDateTime`, `lastActivityDateTime` and
//!   `lastUpdateDateTime` are all the event's time, never the clock, so a re-read line maps to an
//!   identical alert.
//! * `tenantId` is left empty for the ingest path to stamp.

use model::enums::{AlertSeverity, AlertStatus, DetectionSource, ServiceSource};
use model::{Alert, AlertEvidence, AlertId, LegacyState, StoredAlert, VendorInformation};
use time::OffsetDateTime;

/// A product a connector reads.
pub(crate) struct Product {
    /// `productName` and `vendorInformation.provider`.
    pub name: &'static str,
    /// `vendorInformation.vendor`.
    pub vendor: &'static str,
}

/// Suricata, by the Open Information Security Foundation.
pub(crate) const SURICATA: Product = Product {
    name: "Suricata",
    vendor: "OISF",
};

/// Wazuh, by Wazuh, Inc.
pub(crate) const WAZUH: Product = Product {
    name: "Wazuh",
    vendor: "Wazuh",
};

/// The alert a connector mapped, before it gets the stored shape.
pub(crate) struct Draft {
    pub product: Product,
    pub id: AlertId,
    pub provider_alert_id: String,
    pub time: OffsetDateTime,
    pub title: String,
    pub description: String,
    pub severity: AlertSeverity,
    pub category: Option<String>,
    pub categories: Vec<String>,
    pub detector_id: String,
    pub detection_source: DetectionSource,
    pub mitre_techniques: Vec<String>,
    pub evidence: Vec<AlertEvidence>,
}

impl Draft {
    /// The stored alert (see the module docs for the fixed properties).
    pub(crate) fn into_stored(self) -> StoredAlert {
        let t = self.time;
        let alert = Alert {
            id: self.id,
            actor_display_name: None,
            additional_data: None,
            alert_policy_id: None,
            alert_web_url: None,
            assigned_to: None,
            category: self.category,
            categories: self.categories,
            classification: None,
            comments: Vec::new(),
            created_date_time: t,
            custom_details: None,
            description: Some(self.description),
            detection_source: Some(self.detection_source),
            detector_id: Some(self.detector_id),
            determination: None,
            evidence: self.evidence,
            first_activity_date_time: Some(t),
            incident_id: None,
            incident_web_url: None,
            investigation_state: None,
            last_activity_date_time: Some(t),
            last_update_date_time: t,
            mitre_techniques: self.mitre_techniques,
            product_name: Some(self.product.name.to_string()),
            provider_alert_id: Some(self.provider_alert_id),
            recommended_actions: None,
            resolved_date_time: None,
            service_source: Some(ServiceSource::Unknown),
            severity: self.severity,
            status: AlertStatus::New,
            system_tags: Vec::new(),
            tenant_id: None,
            threat_display_name: None,
            threat_family_name: None,
            title: Some(self.title),
            threat_intelligence_matches: Vec::new(),
            provider_sync: None,
        };
        StoredAlert {
            alert,
            vendor: VendorInformation {
                provider: Some(self.product.name.to_string()),
                provider_version: None,
                sub_provider: None,
                vendor: Some(self.product.vendor.to_string()),
            },
            legacy: LegacyState::default(),
            link: None,
        }
    }
}
