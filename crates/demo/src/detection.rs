//! What a provider contributes to an alert: identity, wording, classification hints and evidence.
//! The SOC's side of the alert (status, verdict, owner, comments) is [`crate::triage`]'s.

use model::enums::{AlertDetermination, AlertSeverity, DetectionSource, ServiceSource};
use serde_json::Value;

/// A security product that raises alerts.
#[derive(Debug)]
pub(crate) struct Product {
    /// `productName`.
    pub name: &'static str,
    /// `serviceSource` (`unknown` for products outside Microsoft's).
    pub service: ServiceSource,
    /// The legacy `vendorInformation`: vendor, provider, sub-provider, provider version.
    pub vendor: &'static str,
    pub provider: &'static str,
    pub sub_provider: Option<&'static str>,
    pub provider_version: Option<&'static str>,
    /// Microsoft products fill `classification`/`determination` with `unknown` until triaged;
    /// others leave them null.
    pub microsoft: bool,
    /// Defender's automated investigation runs on its alerts (`investigationState` is set).
    pub automated: bool,
}

/// The wording and classification of one detection rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Headline {
    pub title: &'static str,
    pub description: &'static str,
    pub category: &'static str,
    pub mitre: &'static [&'static str],
    pub severity: AlertSeverity,
    pub source: DetectionSource,
    /// The determination an analyst gives it when it is a true positive.
    pub true_positive: AlertDetermination,
}

/// One provider's alert before triage.
#[derive(Debug)]
pub(crate) struct Detection {
    pub product: &'static Product,
    pub id: String,
    pub provider_alert_id: String,
    pub title: String,
    pub description: String,
    pub recommended_actions: Option<&'static str>,
    pub category: &'static str,
    pub categories: Vec<&'static str>,
    pub mitre: Vec<&'static str>,
    pub severity: AlertSeverity,
    pub detection_source: DetectionSource,
    pub true_positive: AlertDetermination,
    pub detector_id: Option<String>,
    pub alert_policy_id: Option<String>,
    pub web_url: Option<String>,
    pub threat_display_name: Option<&'static str>,
    pub threat_family_name: Option<&'static str>,
    pub system_tags: Vec<&'static str>,
    pub additional_data: Option<Value>,
    pub custom_details: Option<Value>,
    pub evidence: Vec<Value>,
}

impl Detection {
    /// A detection of `product` worded by `headline`, with the given ids and no evidence yet.
    pub(crate) fn new(
        product: &'static Product,
        headline: &Headline,
        id: String,
        provider_alert_id: String,
    ) -> Self {
        Detection {
            product,
            id,
            provider_alert_id,
            title: headline.title.to_string(),
            description: headline.description.to_string(),
            recommended_actions: None,
            category: headline.category,
            categories: vec![headline.category],
            mitre: headline.mitre.to_vec(),
            severity: headline.severity,
            detection_source: headline.source,
            true_positive: headline.true_positive,
            detector_id: None,
            alert_policy_id: None,
            web_url: None,
            threat_display_name: None,
            threat_family_name: None,
            system_tags: Vec::new(),
            additional_data: None,
            custom_details: None,
            evidence: Vec::with_capacity(8),
        }
    }
}
