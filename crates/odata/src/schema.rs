//! Entity schemas: the property tables the binder checks a query against.
//!
//! A schema is plain static data, written once per entity in the `model` crate, so that binding never
//! allocates to look a property up. Every property of an entity is filterable and sortable unless its
//! table says otherwise; names match case-insensitively and bind to their canonical spelling.

/// One entity set's properties (for example `microsoft.graph.security.alert`).
#[derive(Debug)]
pub struct EntitySchema {
    /// Qualified OData type name, e.g. `microsoft.graph.security.alert`.
    pub name: &'static str,
    /// The entity's structural properties, `id` included.
    pub properties: &'static [Property],
}

/// A structural property of an entity or complex type.
#[derive(Debug)]
pub struct Property {
    /// Canonical (camelCase) wire name.
    pub name: &'static str,
    /// The property's type.
    pub ty: PropType,
    /// May appear in `$filter`.
    pub filterable: bool,
    /// May appear in `$orderby` (only single-valued primitives are sortable).
    pub sortable: bool,
}

impl Property {
    /// A filterable property; sortable when its type is a single-valued primitive or enum.
    pub const fn new(name: &'static str, ty: PropType) -> Self {
        let sortable = ty.is_single_valued_primitive();
        Property {
            name,
            ty,
            filterable: true,
            sortable,
        }
    }
}

/// The type of a property or of an expression.
#[derive(Debug, Clone, Copy)]
pub enum PropType {
    /// `Edm.String`.
    String,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Int64`.
    Int64,
    /// `Edm.Double`.
    Double,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
    /// `Edm.Guid`.
    Guid,
    /// An enumeration.
    Enum(&'static EnumType),
    /// A complex type (possibly with derived types).
    Complex(&'static ComplexType),
    /// A collection of a primitive, enum or complex type.
    Collection(&'static PropType),
    /// An open JSON object (`security.dictionary`): any path below it is accepted and compared as it is.
    Dictionary,
}

impl PropType {
    /// True for the types `$orderby` can sort by.
    pub const fn is_single_valued_primitive(&self) -> bool {
        !matches!(
            self,
            PropType::Complex(_) | PropType::Collection(_) | PropType::Dictionary
        )
    }

    /// A short human name used in error messages (`Edm.String`, `microsoft.graph.security.alertSeverity`).
    pub fn type_name(&self) -> String {
        match self {
            PropType::String => "Edm.String".into(),
            PropType::Boolean => "Edm.Boolean".into(),
            PropType::Int32 => "Edm.Int32".into(),
            PropType::Int64 => "Edm.Int64".into(),
            PropType::Double => "Edm.Double".into(),
            PropType::DateTimeOffset => "Edm.DateTimeOffset".into(),
            PropType::Guid => "Edm.Guid".into(),
            PropType::Enum(e) => e.name.to_string(),
            PropType::Complex(c) => c.name.to_string(),
            PropType::Collection(inner) => format!("Collection({})", inner.type_name()),
            PropType::Dictionary => "microsoft.graph.security.dictionary".into(),
        }
    }
}

/// An enumeration with its wire members, in declaration order.
#[derive(Debug)]
pub struct EnumType {
    /// Qualified name, e.g. `microsoft.graph.security.alertSeverity`.
    pub name: &'static str,
    /// Members in declaration order, exactly as Graph spells them on the wire.
    pub members: &'static [&'static str],
    /// A flags enum (`has` applies; values may be comma-separated lists).
    pub is_flags: bool,
}

impl EnumType {
    /// Index of `unknownFutureValue`, if this enum is evolvable. Members after it are only visible to
    /// callers that send `Prefer: include-unknown-enum-members`.
    pub fn sentinel_index(&self) -> Option<usize> {
        self.members.iter().position(|m| *m == "unknownFutureValue")
    }

    /// The canonical member matching `name` case-insensitively.
    pub fn member(&self, name: &str) -> Option<&'static str> {
        self.members
            .iter()
            .copied()
            .find(|m| m.eq_ignore_ascii_case(name))
    }

    /// True when `member` is declared after `unknownFutureValue`.
    pub fn is_evolvable_member(&self, member: &str) -> bool {
        match (
            self.sentinel_index(),
            self.members.iter().position(|m| *m == member),
        ) {
            (Some(s), Some(i)) => i > s,
            _ => false,
        }
    }
}

/// A complex (structured, key-less) type.
#[derive(Debug)]
pub struct ComplexType {
    /// Qualified name, e.g. `microsoft.graph.security.alertEvidence`.
    pub name: &'static str,
    /// Properties declared on this type itself.
    pub properties: &'static [Property],
    /// Types derived from this one. A path below a polymorphic value may name a property of any of them
    /// (a value of another subtype simply has no such property, which compares as `null`).
    pub derived: &'static [&'static ComplexType],
}

impl EntitySchema {
    /// Finds a property case-insensitively.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        find(self.properties, name)
    }
}

impl ComplexType {
    /// Finds a property case-insensitively on this type, then on its derived types (depth first).
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        find(self.properties, name).or_else(|| self.derived.iter().find_map(|d| d.property(name)))
    }

    /// Finds a derived type by its simple or qualified name, case-insensitively (for type-cast segments).
    pub fn derived_type(&self, name: &str) -> Option<&'static ComplexType> {
        self.derived.iter().copied().find_map(|d| {
            let simple = d.name.rsplit('.').next().unwrap_or(d.name);
            if d.name.eq_ignore_ascii_case(name) || simple.eq_ignore_ascii_case(name) {
                Some(d)
            } else {
                d.derived_type(name)
            }
        })
    }
}

fn find(props: &'static [Property], name: &str) -> Option<&'static Property> {
    props.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}
