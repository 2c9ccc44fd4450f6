//! Property tables of the internet-of-things device evidence.

use super::cloud::AZURE_RESOURCE_EVIDENCE;
use super::network::{IP_EVIDENCE, NIC_EVIDENCE, URL_EVIDENCE};
use crate::evidence::enums::IoTDeviceImportanceType;
use odata::schema::{PropType, Property};

evidence_type! {
    /// `microsoft.graph.security.ioTDeviceEvidence`.
    IOT_DEVICE_EVIDENCE = "ioTDeviceEvidence" [
        Property::new("deviceId", PropType::String),
        Property::new("deviceName", PropType::String),
        Property::new("devicePageLink", PropType::String),
        Property::new("deviceSubType", PropType::String),
        Property::new("deviceType", PropType::String),
        Property::new("importance", PropType::Enum(&IoTDeviceImportanceType::ODATA)),
        Property::new("ioTHub", PropType::Complex(&AZURE_RESOURCE_EVIDENCE)),
        Property::new("ioTSecurityAgentId", PropType::String),
        Property::new("ipAddress", PropType::Complex(&IP_EVIDENCE)),
        Property::new("isAuthorized", PropType::Boolean),
        Property::new("isProgramming", PropType::Boolean),
        Property::new("isScanner", PropType::Boolean),
        Property::new("macAddress", PropType::String),
        Property::new("manufacturer", PropType::String),
        Property::new("model", PropType::String),
        Property::new("nics", PropType::Collection(&PropType::Complex(&NIC_EVIDENCE))),
        Property::new("operatingSystem", PropType::String),
        Property::new("owners", PropType::Collection(&PropType::String)),
        Property::new("protocols", PropType::Collection(&PropType::String)),
        Property::new("purdueLayer", PropType::String),
        Property::new("sensor", PropType::String),
        Property::new("serialNumber", PropType::String),
        Property::new("site", PropType::String),
        Property::new("source", PropType::String),
        Property::new("sourceRef", PropType::Complex(&URL_EVIDENCE)),
        Property::new("zone", PropType::String),
    ]
}
