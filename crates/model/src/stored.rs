//! The alert as secgraph stores it: the alerts_v2 shape plus what the legacy view needs and alerts_v2
//! has no place for, so that both views are lossless.

use crate::alert::Alert;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One stored alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAlert {
    /// The alerts_v2 entity.
    pub alert: Alert,
    /// Who raised it (the legacy `vendorInformation`).
    pub vendor: VendorInformation,
    /// Legacy-only state.
    #[serde(default)]
    pub legacy: LegacyState,
    /// The registered provider that owns the alert (pushed or pulled alerts); `None` for imported,
    /// demo and connector alerts. Never on the wire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<crate::sync::ProviderLink>,
}

/// `microsoft.graph.securityVendorInformation`: the provider's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorInformation {
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub provider_version: Option<String>,
    #[serde(default)]
    pub sub_provider: Option<String>,
    #[serde(default)]
    pub vendor: Option<String>,
}

/// What only the legacy `microsoft.graph.alert` carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyState {
    /// `feedback` (`microsoft.graph.alertFeedback` wire string).
    #[serde(default)]
    pub feedback: Option<String>,
    /// `tags`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `comments`: the legacy string comments (alerts_v2 comments are separate objects).
    #[serde(default)]
    pub comments: Vec<String>,
    /// Set when a legacy client dismissed the alert (`status: dismissed`); alerts_v2 shows `resolved`.
    #[serde(default)]
    pub dismissed: bool,
    /// Legacy-only properties kept verbatim from a legacy-shape import (`hostStates`, `userStates`,
    /// `networkConnections`, ...), returned as they came by the legacy view.
    #[serde(default)]
    pub extra: Map<String, Value>,
}
