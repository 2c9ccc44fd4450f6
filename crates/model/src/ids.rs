//! Id newtypes: an alert id can never be passed where a tenant id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

string_id! {
    /// The Graph id of an alert (`da637551227677560813_-961444813`, or a GUID for non-Microsoft providers).
    AlertId
}
string_id! {
    /// A tenant id (a GUID in its canonical lowercase hyphenated form).
    TenantId
}
string_id! {
    /// The Graph id of an incident: its per-tenant number as a string (`"42"`).
    IncidentId
}
