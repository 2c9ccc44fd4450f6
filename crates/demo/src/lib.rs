//! Deterministic demo data for secgraph: realistic Microsoft Graph security alerts
//! (`alerts_v2` shape, stored as [`model::StoredAlert`]) from several providers — Microsoft
//! Defender for Endpoint, Defender for Office 365, Defender for Cloud Apps, Microsoft Sentinel,
//! Defender for Cloud, and the non-Microsoft Suricata (network IDS) and Wazuh (host IDS).
//!
//! Pure and deterministic: the same [`DemoConfig`] yields the same alerts, byte for byte when
//! serialised. Alert *i* draws from its own ChaCha8 stream (key = seed, stream = *i*), so it does
//! not depend on how many alerts are generated; no wall clock, no OS randomness, no hash-map
//! iteration order. Alerts are produced lazily, so a million costs no more memory than one.
//!
//! Every alert is raised in the 30 days before [`DemoConfig::anchor`]
//! (`firstActivity <= lastActivity <= created <= lastUpdate <= anchor`), belongs to
//! [`DemoConfig::tenant`], and has no incident (`incidentId` null): entities (devices, users,
//! addresses, files) recur across providers so that a correlator can group them later.
//!
//! Non-Microsoft products follow one rule: `serviceSource` is `unknown`, `detectionSource` is
//! `unknown` (or `customDetection` for the tenant's own Wazuh rules, ids 100000 and up),
//! `productName` is the product, ids are GUIDs, `classification`/`determination` stay null until
//! an analyst grades the alert, and the legacy `vendorInformation` names the real vendor
//! (`OISF`/`Suricata`, `Wazuh`/`Wazuh`).
//!
//! [`secure_score::secure_score_history`] adds 90 days of secure-score history ending at the
//! anchor.

mod alert;
mod catalog;
mod detection;
mod dice;
mod evidence;
mod fingerprint;
mod providers;
mod scene;
pub mod secure_score;
mod timeline;
mod triage;

use model::{StoredAlert, TenantId};
use time::{OffsetDateTime, Time, UtcOffset};

/// The default seed of the demo set.
pub const DEFAULT_SEED: u64 = 0x5ec6_7a9d_2025_0001;
/// The default number of demo alerts.
pub const DEFAULT_COUNT: usize = 640;
/// The tenant id of the demo tenant (canonical lowercase GUID).
pub const DEMO_TENANT_ID: &str = "6f1c3e2a-9b4d-4c7e-8a15-2d3f4e5a6b7c";
/// The display name of the demo tenant.
pub const DEMO_TENANT_NAME: &str = "Contoso Demo";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Seeds every alert's random stream.
    pub seed: u64,
    /// The instant alerts are generated "as of": all of them fall in the 30 days before it.
    /// Use [`anchor_from`] to derive it from the current time so that a day's runs agree.
    pub anchor: OffsetDateTime,
    /// How many alerts [`generate`] yields.
    pub count: usize,
    /// The tenant every alert belongs to.
    pub tenant: TenantId,
}

impl DemoConfig {
    /// The default demo set ([`DEFAULT_SEED`], [`DEFAULT_COUNT`]) for `tenant` as of `anchor`.
    pub fn new(tenant: TenantId, anchor: OffsetDateTime) -> Self {
        DemoConfig {
            seed: DEFAULT_SEED,
            anchor,
            count: DEFAULT_COUNT,
            tenant,
        }
    }
}

/// `now` truncated to the start of its day in UTC: the anchor that makes every run on the same
/// day produce the same alerts.
pub fn anchor_from(now: OffsetDateTime) -> OffsetDateTime {
    now.to_offset(UtcOffset::UTC).replace_time(Time::MIDNIGHT)
}

/// The `cfg.count` demo alerts, lazily, in index order.
///
/// An alert whose JSON the model rejected would be skipped; the crate's tests prove that none
/// is (use [`try_generate`] to see such an error instead).
pub fn generate(cfg: &DemoConfig) -> impl Iterator<Item = StoredAlert> {
    try_generate(cfg).filter_map(Result::ok)
}

/// Like [`generate`], but yields the deserialisation error of an alert the model rejects.
pub fn try_generate(
    cfg: &DemoConfig,
) -> impl Iterator<Item = Result<StoredAlert, serde_json::Error>> {
    let cfg = cfg.clone();
    (0..cfg.count as u64).map(move |i| alert::build(&cfg, i))
}

/// The `createdDateTime` of alert number `index` of the set `cfg` describes: the first draw of
/// its random stream, so it costs a fraction of building the alert.
pub fn created_at(cfg: &DemoConfig, index: usize) -> OffsetDateTime {
    let mut dice = dice::Dice::for_alert(cfg.seed, index as u64);
    timeline::Timeline::draw(&mut dice, cfg.anchor).created
}

/// The indexes of the set's alerts in creation order (ties in index order). The set is the same
/// whatever order it is written in; written in this order, correlation sees every alert in
/// order instead of replaying late ones.
pub fn creation_order(cfg: &DemoConfig) -> Vec<usize> {
    let mut order: Vec<(OffsetDateTime, usize)> =
        (0..cfg.count).map(|i| (created_at(cfg, i), i)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Alert number `index` of the set `cfg` describes (independent of `cfg.count`).
pub fn alert_at(cfg: &DemoConfig, index: usize) -> Result<StoredAlert, serde_json::Error> {
    alert::build(cfg, index as u64)
}
