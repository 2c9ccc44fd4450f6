//! Microsoft Graph security entities as typed structs that serialise straight to Graph JSON, their
//! enums with wire strings, id newtypes, and each entity's OData property table.

pub mod alert;
pub mod datetime;
pub mod enums;
pub mod evidence;
pub mod ids;
pub mod serde_util;
pub mod stored;
pub mod wire_enum;

pub use alert::{Alert, AlertComment};
pub use ids::{AlertId, TenantId};
pub use stored::{LegacyState, StoredAlert, VendorInformation};
