//! Property table of `microsoft.graph.securityAction` (beta), as Microsoft's beta metadata declares
//! it. Every property may be `$select`ed; only `id`, `status` and `createdDateTime` may be
//! filtered and sorted on, because only they have columns in `security_actions` and the document
//! is plain text on both backends — a filter on anything else is a 400 naming the property.

use odata::schema::{ComplexType, EntitySchema, PropType, Property};
use provider_protocol::ActionStatus;

/// A property clients may `$select` but not filter or sort on.
const fn shown(name: &'static str, ty: PropType) -> Property {
    Property {
        name,
        ty,
        filterable: false,
        sortable: false,
    }
}

static KEY_VALUE_PAIR: ComplexType = ComplexType {
    name: "microsoft.graph.keyValuePair",
    properties: &[
        shown("name", PropType::String),
        shown("value", PropType::String),
    ],
    derived: &[],
};

static STATE: ComplexType = ComplexType {
    name: "microsoft.graph.securityActionState",
    properties: &[
        shown("appId", PropType::String),
        shown("status", PropType::Enum(&ActionStatus::ODATA)),
        shown("updatedDateTime", PropType::DateTimeOffset),
        shown("user", PropType::String),
    ],
    derived: &[],
};

static RESULT_INFO: ComplexType = ComplexType {
    name: "microsoft.graph.resultInfo",
    properties: &[
        shown("code", PropType::Int32),
        shown("message", PropType::String),
        shown("subcode", PropType::Int32),
    ],
    derived: &[],
};

static VENDOR_INFORMATION: ComplexType = ComplexType {
    name: "microsoft.graph.securityVendorInformation",
    properties: &[
        shown("provider", PropType::String),
        shown("providerVersion", PropType::String),
        shown("subProvider", PropType::String),
        shown("vendor", PropType::String),
    ],
    derived: &[],
};

static PARAMETERS: PropType = PropType::Complex(&KEY_VALUE_PAIR);
static STATES: PropType = PropType::Complex(&STATE);

/// `microsoft.graph.securityAction`: every property of [`super::SecurityAction`]'s serialisation.
pub static SECURITY_ACTION: EntitySchema = EntitySchema {
    name: "microsoft.graph.securityAction",
    properties: &[
        Property::new("id", PropType::String),
        Property::new("status", PropType::Enum(&ActionStatus::ODATA)),
        Property::new("createdDateTime", PropType::DateTimeOffset),
        shown("actionReason", PropType::String),
        shown("appId", PropType::String),
        shown("azureTenantId", PropType::String),
        shown("clientContext", PropType::String),
        shown("completedDateTime", PropType::DateTimeOffset),
        shown("errorInfo", PropType::Complex(&RESULT_INFO)),
        shown("lastActionDateTime", PropType::DateTimeOffset),
        shown("name", PropType::String),
        shown("parameters", PropType::Collection(&PARAMETERS)),
        shown("states", PropType::Collection(&STATES)),
        shown("user", PropType::String),
        shown("vendorInformation", PropType::Complex(&VENDOR_INFORMATION)),
    ],
};
