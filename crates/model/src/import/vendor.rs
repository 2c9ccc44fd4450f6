//! Who raised an alert: the legacy `vendorInformation` ↔ alerts_v2 `serviceSource` /
//! `detectionSource` / `productName`.
//!
//! | serviceSource | vendor | provider (also accepted on import) | productName |
//! |---|---|---|---|
//! | microsoftDefenderForEndpoint | Microsoft | Microsoft Defender ATP (WDATP, Windows Defender ATP) | Microsoft Defender for Endpoint |
//! | microsoftDefenderForIdentity | Microsoft | Azure Advanced Threat Protection (AATP) | Microsoft Defender for Identity |
//! | microsoftDefenderForCloudApps | Microsoft | MCAS (Microsoft Cloud App Security) | Microsoft Defender for Cloud Apps |
//! | microsoftDefenderForOffice365 | Microsoft | Office 365 Security and Compliance | Microsoft Defender for Office 365 |
//! | microsoft365Defender | Microsoft | Microsoft 365 Defender | Microsoft 365 Defender |
//! | azureAdIdentityProtection | Microsoft | IPC | Azure AD Identity Protection |
//! | microsoftAppGovernance | Microsoft | App Governance | Microsoft App Governance |
//! | dataLossPrevention | Microsoft | Microsoft Data Loss Prevention | Microsoft Data Loss Prevention |
//! | microsoftDefenderForCloud | Microsoft | ASC (Azure Security Center) | Microsoft Defender for Cloud |
//! | microsoftSentinel | Microsoft | Azure Sentinel | Microsoft Sentinel |
//! | microsoftInsiderRiskManagement | Microsoft | Microsoft Insider Risk Management | same |
//! | microsoftThreatIntelligence | Microsoft | Microsoft Threat Intelligence | same |
//! | microsoftSecurityForAI | Microsoft | Microsoft Security for AI | same |
//!
//! An alerts_v2 alert without a listed `serviceSource` is placed by its `detectionSource` (the
//! Defender for Cloud plans → Defender for Cloud, `nrtAlerts`/`scheduledAlerts`/`builtInMl`/… →
//! Sentinel, antivirus/smartScreen/customTi/automatedInvestigation/… → Defender for Endpoint, ...),
//! and failing that by `productName` (provider = productName; vendor `Microsoft` when it starts with
//! "Microsoft"). A legacy alert whose provider is not listed gets no `serviceSource` and its provider
//! as `productName`.

use crate::enums::{DetectionSource as D, ServiceSource as S};
use crate::{Alert, VendorInformation};

const MICROSOFT: &str = "Microsoft";

/// serviceSource, provider, other provider spellings, productName.
const TABLE: &[(S, &str, &[&str], &str)] = &[
    (
        S::MicrosoftDefenderForEndpoint,
        "Microsoft Defender ATP",
        &["WDATP", "Windows Defender ATP"],
        "Microsoft Defender for Endpoint",
    ),
    (
        S::MicrosoftDefenderForIdentity,
        "Azure Advanced Threat Protection",
        &["AATP"],
        "Microsoft Defender for Identity",
    ),
    (
        S::MicrosoftDefenderForCloudApps,
        "MCAS",
        &["Microsoft Cloud App Security"],
        "Microsoft Defender for Cloud Apps",
    ),
    (
        S::MicrosoftDefenderForOffice365,
        "Office 365 Security and Compliance",
        &[],
        "Microsoft Defender for Office 365",
    ),
    (
        S::Microsoft365Defender,
        "Microsoft 365 Defender",
        &[],
        "Microsoft 365 Defender",
    ),
    (
        S::AzureAdIdentityProtection,
        "IPC",
        &[],
        "Azure AD Identity Protection",
    ),
    (
        S::MicrosoftAppGovernance,
        "App Governance",
        &[],
        "Microsoft App Governance",
    ),
    (
        S::DataLossPrevention,
        "Microsoft Data Loss Prevention",
        &[],
        "Microsoft Data Loss Prevention",
    ),
    (
        S::MicrosoftDefenderForCloud,
        "ASC",
        &["Azure Security Center"],
        "Microsoft Defender for Cloud",
    ),
    (
        S::MicrosoftSentinel,
        "Azure Sentinel",
        &[],
        "Microsoft Sentinel",
    ),
    (
        S::MicrosoftInsiderRiskManagement,
        "Microsoft Insider Risk Management",
        &[],
        "Microsoft Insider Risk Management",
    ),
    (
        S::MicrosoftThreatIntelligence,
        "Microsoft Threat Intelligence",
        &[],
        "Microsoft Threat Intelligence",
    ),
    (
        S::MicrosoftSecurityForAi,
        "Microsoft Security for AI",
        &[],
        "Microsoft Security for AI",
    ),
];

/// The vendor information of an alerts_v2 alert (see the module docs).
pub fn vendor_of(a: &Alert) -> VendorInformation {
    let service = a
        .service_source
        .or_else(|| a.detection_source.and_then(service_of_detection));
    if let Some((_, provider, _, _)) = service.and_then(|s| TABLE.iter().find(|row| row.0 == s)) {
        return VendorInformation {
            provider: Some(provider.to_string()),
            vendor: Some(MICROSOFT.to_string()),
            ..VendorInformation::default()
        };
    }
    let product = a.product_name.as_ref().filter(|p| !p.trim().is_empty());
    VendorInformation {
        provider: product.cloned(),
        vendor: product
            .filter(|p| p.starts_with(MICROSOFT))
            .map(|_| MICROSOFT.to_string()),
        ..VendorInformation::default()
    }
}

/// `serviceSource` and `productName` of a legacy alert's vendor information.
pub fn source_of(v: &VendorInformation) -> (Option<S>, Option<String>) {
    let Some(provider) = v
        .provider
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return (None, None);
    };
    let row = TABLE.iter().find(|(_, p, aliases, _)| {
        p.eq_ignore_ascii_case(provider) || aliases.iter().any(|a| a.eq_ignore_ascii_case(provider))
    });
    match row {
        Some((s, _, _, product)) => (Some(*s), Some(product.to_string())),
        None => (None, Some(provider.to_string())),
    }
}

fn service_of_detection(d: D) -> Option<S> {
    Some(match d {
        D::MicrosoftDefenderForEndpoint
        | D::Antivirus
        | D::SmartScreen
        | D::CustomTi
        | D::AutomatedInvestigation
        | D::MicrosoftThreatExperts => S::MicrosoftDefenderForEndpoint,
        D::MicrosoftDefenderForOffice365 => S::MicrosoftDefenderForOffice365,
        D::MicrosoftDefenderForIdentity => S::MicrosoftDefenderForIdentity,
        D::CloudAppSecurity => S::MicrosoftDefenderForCloudApps,
        D::Microsoft365Defender => S::Microsoft365Defender,
        D::AzureAdIdentityProtection => S::AzureAdIdentityProtection,
        D::MicrosoftDataLossPrevention => S::DataLossPrevention,
        D::AppGovernancePolicy | D::AppGovernanceDetection => S::MicrosoftAppGovernance,
        D::MicrosoftDefenderForCloud
        | D::MicrosoftDefenderForIoT
        | D::MicrosoftDefenderForServers
        | D::MicrosoftDefenderForStorage
        | D::MicrosoftDefenderForDns
        | D::MicrosoftDefenderForDatabases
        | D::MicrosoftDefenderForContainers
        | D::MicrosoftDefenderForNetwork
        | D::MicrosoftDefenderForAppService
        | D::MicrosoftDefenderForKeyVault
        | D::MicrosoftDefenderForResourceManager
        | D::MicrosoftDefenderForApiManagement
        | D::MicrosoftDefenderForAiServices => S::MicrosoftDefenderForCloud,
        D::NrtAlerts
        | D::ScheduledAlerts
        | D::MicrosoftDefenderThreatIntelligenceAnalytics
        | D::BuiltInMl
        | D::MicrosoftSentinel => S::MicrosoftSentinel,
        D::MicrosoftInsiderRiskManagement => S::MicrosoftInsiderRiskManagement,
        D::MicrosoftThreatIntelligence => S::MicrosoftThreatIntelligence,
        D::Unknown
        | D::CustomDetection
        | D::Manual
        | D::UnknownFutureValue
        | D::SecurityCopilot => return None,
    })
}
