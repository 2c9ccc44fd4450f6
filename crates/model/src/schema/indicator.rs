//! Property table of `microsoft.graph.tiIndicator` (beta `/security/tiIndicators`), with the
//! types of Microsoft's beta metadata (`networkSourceAsn`/`networkDestinationAsn` are Int64 there,
//! Int32 in the docs) and secgraph's extensions.
//!
//! `threatType`, `targetProduct` and `killChain` are strings in Graph (the Rust enums in
//! [`crate::indicator::enums`] only canonicalise their spelling), so they are `Edm.String` here.
//! Unknown properties a client sent (`additional_properties`) are not in the table: they are
//! echoed, not queried.

use crate::indicator::enums::{DiamondModel, FileHashType, TiAction, TlpLevel};
use odata::schema::{EntitySchema, PropType, Property};

const STRINGS: PropType = PropType::Collection(&PropType::String);

/// `microsoft.graph.tiIndicator`: every property of [`crate::indicator::TiIndicator`]'s
/// serialisation, extensions included (`hitCount`, `lastHitDateTime`,
/// `criticalInfrastructureOverride`).
pub static TI_INDICATOR: EntitySchema = EntitySchema {
    name: "microsoft.graph.tiIndicator",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("action", PropType::Enum(&TiAction::ODATA)),
        Property::new("activityGroupNames", STRINGS),
        Property::new("additionalInformation", PropType::String),
        Property::new("azureTenantId", PropType::String),
        Property::new("confidence", PropType::Int32),
        Property::new("description", PropType::String),
        Property::new("diamondModel", PropType::Enum(&DiamondModel::ODATA)),
        Property::new("domainName", PropType::String),
        Property::new("emailEncoding", PropType::String),
        Property::new("emailLanguage", PropType::String),
        Property::new("emailRecipient", PropType::String),
        Property::new("emailSenderAddress", PropType::String),
        Property::new("emailSenderName", PropType::String),
        Property::new("emailSourceDomain", PropType::String),
        Property::new("emailSourceIpAddress", PropType::String),
        Property::new("emailSubject", PropType::String),
        Property::new("emailXMailer", PropType::String),
        Property::new("expirationDateTime", PropType::DateTimeOffset),
        Property::new("externalId", PropType::String),
        Property::new("fileCompileDateTime", PropType::DateTimeOffset),
        Property::new("fileCreatedDateTime", PropType::DateTimeOffset),
        Property::new("fileHashType", PropType::Enum(&FileHashType::ODATA)),
        Property::new("fileHashValue", PropType::String),
        Property::new("fileMutexName", PropType::String),
        Property::new("fileName", PropType::String),
        Property::new("filePacker", PropType::String),
        Property::new("filePath", PropType::String),
        Property::new("fileSize", PropType::Int64),
        Property::new("fileType", PropType::String),
        Property::new("ingestedDateTime", PropType::DateTimeOffset),
        Property::new("isActive", PropType::Boolean),
        Property::new("killChain", STRINGS),
        Property::new("knownFalsePositives", PropType::String),
        Property::new("lastReportedDateTime", PropType::DateTimeOffset),
        Property::new("malwareFamilyNames", STRINGS),
        Property::new("networkCidrBlock", PropType::String),
        Property::new("networkDestinationAsn", PropType::Int64),
        Property::new("networkDestinationCidrBlock", PropType::String),
        Property::new("networkDestinationIPv4", PropType::String),
        Property::new("networkDestinationIPv6", PropType::String),
        Property::new("networkDestinationPort", PropType::Int32),
        Property::new("networkIPv4", PropType::String),
        Property::new("networkIPv6", PropType::String),
        Property::new("networkPort", PropType::Int32),
        Property::new("networkProtocol", PropType::Int32),
        Property::new("networkSourceAsn", PropType::Int64),
        Property::new("networkSourceCidrBlock", PropType::String),
        Property::new("networkSourceIPv4", PropType::String),
        Property::new("networkSourceIPv6", PropType::String),
        Property::new("networkSourcePort", PropType::Int32),
        Property::new("passiveOnly", PropType::Boolean),
        Property::new("severity", PropType::Int32),
        Property::new("tags", STRINGS),
        Property::new("targetProduct", PropType::String),
        Property::new("threatType", PropType::String),
        Property::new("tlpLevel", PropType::Enum(&TlpLevel::ODATA)),
        Property::new("url", PropType::String),
        Property::new("userAgent", PropType::String),
        Property::new("hitCount", PropType::Int64),
        Property::new("lastHitDateTime", PropType::DateTimeOffset),
        Property::new("criticalInfrastructureOverride", PropType::Boolean),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{TargetProduct, TiIndicator, TiIndicatorBody, TiIndicatorId};
    use crate::indicator::{ThreatType, TlpLevel as Tlp};

    fn sample() -> TiIndicator {
        let now = crate::datetime::parse("2026-01-01T00:00:00Z").unwrap();
        let body: TiIndicatorBody = serde_json::from_value(serde_json::json!({
            "description": "d", "expirationDateTime": "2026-02-01T00:00:00Z",
            "targetProduct": TargetProduct::AzureSentinel, "threatType": ThreatType::C2,
            "tlpLevel": Tlp::Green, "domainName": "example.com"
        }))
        .unwrap();
        TiIndicator::new(TiIndicatorId::from("i"), "t".into(), now, body)
    }

    #[test]
    fn the_table_lists_exactly_the_serialised_properties() {
        let json = serde_json::to_value(sample()).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        for k in &keys {
            assert!(
                TI_INDICATOR.property(k).is_some(),
                "{k} is not in the table"
            );
        }
        for p in TI_INDICATOR.properties {
            assert!(
                keys.iter().any(|k| *k == p.name),
                "{} is not serialised",
                p.name
            );
        }
        assert_eq!(keys.len(), TI_INDICATOR.properties.len());
    }

    #[test]
    fn enums_and_integers_carry_their_metadata_types() {
        let ty = |n: &str| TI_INDICATOR.property(n).unwrap().ty.type_name();
        assert_eq!(ty("tlpLevel"), "microsoft.graph.tlpLevel");
        assert_eq!(ty("fileHashType"), "microsoft.graph.fileHashType");
        assert_eq!(ty("networkSourceAsn"), "Edm.Int64");
        assert_eq!(ty("severity"), "Edm.Int32");
        assert_eq!(ty("killChain"), "Collection(Edm.String)");
        assert_eq!(ty("threatType"), "Edm.String");
        assert!(TI_INDICATOR.property("NETWORKIPV4").is_some());
    }
}
