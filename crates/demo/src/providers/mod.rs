//! The providers that raise demo alerts and how often each does.
//!
//! Microsoft: Defender for Endpoint (EDR), Defender for Office 365 (e-mail gateway), Defender for
//! Cloud Apps (cloud-app monitor), Sentinel and Defender for Cloud (the last two use evolvable
//! enum members). Others: Suricata (network IDS, OISF) and Wazuh (host IDS).

mod cloud_apps;
mod defender_cloud;
mod endpoint;
mod office;
mod sentinel;
mod suricata;
mod wazuh;

use crate::detection::Detection;
use crate::scene::Scene;

/// A source of alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Endpoint,
    Office,
    CloudApps,
    Sentinel,
    DefenderForCloud,
    Suricata,
    Wazuh,
}

/// Relative share of each provider in the alert stream.
const MIX: &[(Provider, u32)] = &[
    (Provider::Endpoint, 28),
    (Provider::Office, 17),
    (Provider::CloudApps, 13),
    (Provider::Suricata, 18),
    (Provider::Wazuh, 16),
    (Provider::Sentinel, 5),
    (Provider::DefenderForCloud, 3),
];

/// Draws a provider and lets it raise one alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    match scene.dice.weighted(MIX) {
        Provider::Endpoint => endpoint::detect(scene),
        Provider::Office => office::detect(scene),
        Provider::CloudApps => cloud_apps::detect(scene),
        Provider::Sentinel => sentinel::detect(scene),
        Provider::DefenderForCloud => defender_cloud::detect(scene),
        Provider::Suricata => suricata::detect(scene),
        Provider::Wazuh => wazuh::detect(scene),
    }
}
