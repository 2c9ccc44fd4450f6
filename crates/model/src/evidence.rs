//! Alert evidence (polymorphic `microsoft.graph.security.alertEvidence`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One evidence item, tagged by `@odata.type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertEvidence {
    #[serde(rename = "@odata.type")]
    pub odata_type: String,
    #[serde(flatten)]
    pub properties: Map<String, Value>,
}
