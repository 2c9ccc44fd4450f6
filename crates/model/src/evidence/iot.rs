//! Internet-of-things device evidence.

use crate::evidence::{
    cloud::AzureResourceEvidence, enums::IoTDeviceImportanceType, network::IpEvidence,
    network::NicEvidence, network::UrlEvidence, EvidenceBase,
};
use crate::open_enum::OpenEnum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `microsoft.graph.security.ioTDeviceEvidence`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "@odata.type",
    rename = "#microsoft.graph.security.ioTDeviceEvidence",
    rename_all = "camelCase"
)]
pub struct IoTDeviceEvidence {
    /// The `alertEvidence` properties.
    #[serde(flatten)]
    pub base: EvidenceBase,
    /// `deviceId` (`Edm.String`).
    #[serde(default)]
    pub device_id: Option<String>,
    /// `deviceName` (`Edm.String`).
    #[serde(default)]
    pub device_name: Option<String>,
    /// `devicePageLink` (`Edm.String`).
    #[serde(default)]
    pub device_page_link: Option<String>,
    /// `deviceSubType` (`Edm.String`).
    #[serde(default)]
    pub device_sub_type: Option<String>,
    /// `deviceType` (`Edm.String`).
    #[serde(default)]
    pub device_type: Option<String>,
    /// `importance` (`microsoft.graph.security.ioTDeviceImportanceType`).
    #[serde(default)]
    pub importance: Option<OpenEnum<IoTDeviceImportanceType>>,
    /// `ioTHub` (`microsoft.graph.security.azureResourceEvidence`).
    #[serde(default, rename = "ioTHub")]
    pub iot_hub: Option<Box<AzureResourceEvidence>>,
    /// `ioTSecurityAgentId` (`Edm.String`).
    #[serde(default, rename = "ioTSecurityAgentId")]
    pub iot_security_agent_id: Option<String>,
    /// `ipAddress` (`microsoft.graph.security.ipEvidence`).
    #[serde(default)]
    pub ip_address: Option<Box<IpEvidence>>,
    /// `isAuthorized` (`Edm.Boolean`).
    #[serde(default)]
    pub is_authorized: Option<bool>,
    /// `isProgramming` (`Edm.Boolean`).
    #[serde(default)]
    pub is_programming: Option<bool>,
    /// `isScanner` (`Edm.Boolean`).
    #[serde(default)]
    pub is_scanner: Option<bool>,
    /// `macAddress` (`Edm.String`).
    #[serde(default)]
    pub mac_address: Option<String>,
    /// `manufacturer` (`Edm.String`).
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// `model` (`Edm.String`).
    #[serde(default)]
    pub model: Option<String>,
    /// `nics` (`Collection(microsoft.graph.security.nicEvidence)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub nics: Vec<NicEvidence>,
    /// `operatingSystem` (`Edm.String`).
    #[serde(default)]
    pub operating_system: Option<String>,
    /// `owners` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub owners: Vec<String>,
    /// `protocols` (`Collection(Edm.String)`).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub protocols: Vec<String>,
    /// `purdueLayer` (`Edm.String`).
    #[serde(default)]
    pub purdue_layer: Option<String>,
    /// `sensor` (`Edm.String`).
    #[serde(default)]
    pub sensor: Option<String>,
    /// `serialNumber` (`Edm.String`).
    #[serde(default)]
    pub serial_number: Option<String>,
    /// `site` (`Edm.String`).
    #[serde(default)]
    pub site: Option<String>,
    /// `source` (`Edm.String`).
    #[serde(default)]
    pub source: Option<String>,
    /// `sourceRef` (`microsoft.graph.security.urlEvidence`).
    #[serde(default)]
    pub source_ref: Option<Box<UrlEvidence>>,
    /// `zone` (`Edm.String`).
    #[serde(default)]
    pub zone: Option<String>,
    /// Properties this schema does not know, kept as they came.
    #[serde(flatten, deserialize_with = "crate::evidence::base::extra")]
    pub extra: Map<String, Value>,
}
