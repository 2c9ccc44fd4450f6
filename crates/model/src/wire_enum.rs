//! `wire_enum!`: declares a Graph enum once — its Rust variants, its wire strings in declaration
//! order, and the static [`odata::schema::EnumType`] the binder and the SQL renderer use — so that a
//! member's spelling is written exactly once (design rule 10).
//!
//! Deserialisation is case-insensitive (`High`, `TRUEPOSITIVE` and `high` are one member), because
//! Microsoft's own examples and sample scripts send PascalCase; serialisation is always Graph's
//! camelCase.

/// What every enum declared with [`wire_enum!`](crate::wire_enum!) can do, for code that is generic over them (such as
/// [`crate::open_enum::OpenEnum`]).
pub trait WireEnum: Copy + Sized + 'static {
    /// The OData enum type: qualified name and members in declaration order.
    fn enum_type() -> &'static odata::schema::EnumType;
    /// Graph's wire spelling of the member.
    fn wire_str(self) -> &'static str;
    /// Parses a member case-insensitively.
    fn from_wire(s: &str) -> Option<Self>;
}

/// Declares a wire enum. Members listed after `unknownFutureValue` are evolvable (spec §2.5).
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $odata:literal { $( $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $( $variant ),+ }

        impl $name {
            /// All members in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];
            /// The OData enum type, for property tables.
            pub const ODATA: odata::schema::EnumType = odata::schema::EnumType {
                name: $odata,
                members: &[ $( $wire ),+ ],
                is_flags: false,
            };

            /// Graph's wire spelling.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $wire ),+ }
            }

            /// Parses a member case-insensitively.
            pub fn parse(s: &str) -> Option<Self> {
                $( if s.eq_ignore_ascii_case($wire) { return Some($name::$variant); } )+
                None
            }

            /// True when the member is declared after `unknownFutureValue` and so is shown only to
            /// callers that send `Prefer: include-unknown-enum-members`.
            pub fn is_evolvable(self) -> bool {
                Self::ODATA.is_evolvable_member(self.as_str())
            }

            /// The wire string a caller sees: evolvable members become `unknownFutureValue` unless the
            /// caller opted in.
            pub fn visible_str(self, include_unknown_enum_members: bool) -> &'static str {
                if !include_unknown_enum_members && self.is_evolvable() {
                    "unknownFutureValue"
                } else {
                    self.as_str()
                }
            }
        }

        impl $crate::wire_enum::WireEnum for $name {
            fn enum_type() -> &'static odata::schema::EnumType {
                &$name::ODATA
            }
            fn wire_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn from_wire(s: &str) -> Option<Self> {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse(s).ok_or_else(|| {
                    format!(
                        "'{}' is not a member of {}; use one of: {}",
                        s,
                        $odata,
                        Self::ODATA.members.join(", ")
                    )
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
