//! `microsoft.graph.tiIndicator` (beta, deprecated by Microsoft, kept by secgraph): a threat
//! intelligence indicator an app submits so that products alert on, block or allow what it names.
//!
//! * [`TiIndicator`] serialises straight to Graph JSON: every property present, `null` when it
//!   has no value, `[]` for empty collections, date-times with seven fractional digits. It is the
//!   server-stamped part (`id`, `azureTenantId`, `ingestedDateTime`, and our extensions
//!   `hitCount`, `lastHitDateTime`) around a [`TiIndicatorBody`], the part a client writes.
//! * [`parse_new`] reads one POST body or `submitTiIndicators` item, leniently (MISP and
//!   Microsoft's own samples are the yardstick) and with precise [`InputError`]s;
//!   [`parse_patch`] reads a PATCH body or `updateTiIndicators` item against the stored indicator.
//! * [`TiIndicatorBody::observables`] lists every matchable value in its normal form
//!   ([`normalization`] has the rules, shared with the values of events).
//! * The property table is [`crate::schema::indicator::TI_INDICATOR`].
//!
//! Extensions (not in Graph): `hitCount` (Int64, matches secgraph counted), `lastHitDateTime`
//! (the latest of them) and `criticalInfrastructureOverride` (Boolean, written by the client: it
//! asks to `block` an address that the server's critical-infrastructure allow list protects). Any
//! property we do not know is kept in [`TiIndicatorBody::additional_properties`] and echoed back
//! (MISP sends `indicatorRequestHash` and reads it from each result item).

pub mod critical;
pub mod enums;
pub mod error;
pub mod input;
pub mod normalization;
pub mod observable;
pub mod observed;
pub mod patch;
pub mod validation;
pub mod value;

pub use enums::{
    DiamondModel, FileHashType, KillChain, TargetProduct, ThreatType, TiAction, TlpLevel,
};
pub use error::{InputError, InputErrorCode};
pub use input::parse_new;
pub use normalization::{
    normalize_domain, normalize_email, normalize_hash, normalize_url, parse_cidr, parse_ip,
};
pub use observable::{Observable, ObservableKind, ObservableValue};
pub use observed::{EmailObservables, FileObservables, NetworkObservables};
pub use patch::{parse_patch, update_item_id, TiIndicatorPatch};
pub use value::parse_lenient_date_time;

use crate::datetime;
use crate::ids::TenantId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use time::OffsetDateTime;

/// The Graph id of a tiIndicator (a GUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TiIndicatorId(pub String);

impl TiIndicatorId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TiIndicatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for TiIndicatorId {
    fn from(s: &str) -> Self {
        TiIndicatorId(s.to_string())
    }
}

impl From<String> for TiIndicatorId {
    fn from(s: String) -> Self {
        TiIndicatorId(s)
    }
}

/// A stored `microsoft.graph.tiIndicator`: the server-stamped properties around the client's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TiIndicator {
    pub id: TiIndicatorId,
    /// The tenant of the submitting app's token.
    pub azure_tenant_id: TenantId,
    /// When the indicator was submitted.
    #[serde(with = "datetime::required")]
    pub ingested_date_time: OffsetDateTime,
    /// [ext] How many events secgraph matched against this indicator.
    #[serde(default)]
    pub hit_count: i64,
    /// [ext] When the latest of those matches happened.
    #[serde(default, with = "datetime::optional")]
    pub last_hit_date_time: Option<OffsetDateTime>,
    /// Everything the client wrote.
    #[serde(flatten)]
    pub body: TiIndicatorBody,
}

impl TiIndicator {
    /// A newly submitted indicator: no hits yet.
    pub fn new(
        id: TiIndicatorId,
        tenant: TenantId,
        now: OffsetDateTime,
        body: TiIndicatorBody,
    ) -> Self {
        TiIndicator {
            id,
            azure_tenant_id: tenant,
            ingested_date_time: now,
            hit_count: 0,
            last_hit_date_time: None,
            body,
        }
    }

    /// Every matchable value of the indicator in its normal form (see [`TiIndicatorBody::observables`]).
    pub fn observables(&self) -> Vec<Observable> {
        self.body.observables()
    }
}

/// The properties of a tiIndicator a client writes (POST, submit, PATCH), as they serialise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TiIndicatorBody {
    /// Required for `Microsoft Defender ATP`; may be absent (`null`) for `Azure Sentinel`, as in
    /// Microsoft's own `submitTiIndicators` example.
    #[serde(default)]
    pub action: Option<TiAction>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub activity_group_names: Vec<String>,
    #[serde(default)]
    pub additional_information: Option<String>,
    /// 0–100.
    #[serde(default)]
    pub confidence: Option<i32>,
    /// Required, not blank.
    pub description: String,
    #[serde(default)]
    pub diamond_model: Option<DiamondModel>,
    /// Required. A past value is accepted (the indicator is simply expired).
    #[serde(with = "datetime::required")]
    pub expiration_date_time: OffsetDateTime,
    /// The submitter's own key (`deleteTiIndicatorsByExternalId`).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Default `true`.
    #[serde(default = "yes")]
    pub is_active: bool,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub kill_chain: Vec<KillChain>,
    #[serde(default)]
    pub known_false_positives: Option<String>,
    #[serde(default, with = "datetime::optional")]
    pub last_reported_date_time: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub malware_family_names: Vec<String>,
    /// Default `false` (Graph: TLP red indicators should set it; we do not force it).
    #[serde(default)]
    pub passive_only: bool,
    /// 0–5, default 3.
    #[serde(default = "default_severity")]
    pub severity: i32,
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub tags: Vec<String>,
    pub target_product: TargetProduct,
    pub threat_type: ThreatType,
    pub tlp_level: TlpLevel,
    /// [ext] Default `false`.
    #[serde(default)]
    pub critical_infrastructure_override: bool,
    #[serde(flatten)]
    pub email: EmailObservables,
    #[serde(flatten)]
    pub file: FileObservables,
    #[serde(flatten)]
    pub network: NetworkObservables,
    /// Properties the client sent that Graph's model does not have, echoed back unchanged.
    #[serde(flatten)]
    pub additional_properties: Map<String, Value>,
}

fn yes() -> bool {
    true
}

/// Graph's default severity.
pub const DEFAULT_SEVERITY: i32 = 3;

fn default_severity() -> i32 {
    DEFAULT_SEVERITY
}
