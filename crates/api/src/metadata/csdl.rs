//! The CSDL document (`$metadata`) written from the property tables the routes bind against: the
//! entity types of the served sets, every complex and enum type they reach (derived evidence types
//! included), the `security` singleton with one containment navigation per served set, and the
//! entity container. Type references are written fully qualified (`microsoft.graph.security.alert`),
//! so no schema alias is needed.

use super::{ServedSet, SERVED};
use crate::query::ApiVersion;
use odata::schema::{ComplexType, EntitySchema, EnumType, PropType, Property};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The namespace of `entity`, the `security` singleton's type and the container.
const GRAPH: &str = "microsoft.graph";
/// The open type behind [`PropType::Dictionary`].
const DICTIONARY: &str = "microsoft.graph.security.dictionary";

/// Every type the document declares, by qualified name (sorted, deduplicated).
#[derive(Default)]
struct Types {
    entities: BTreeMap<&'static str, Entity>,
    complex: BTreeMap<&'static str, (&'static ComplexType, Option<&'static str>)>,
    enums: BTreeMap<&'static str, &'static EnumType>,
    dictionary: bool,
}

struct Entity {
    schema: &'static EntitySchema,
    navigation: Vec<(&'static str, &'static str)>,
}

impl Types {
    fn entity(&mut self, schema: &'static EntitySchema) {
        if self.entities.contains_key(schema.name) {
            return;
        }
        self.entities.insert(
            schema.name,
            Entity {
                schema,
                navigation: Vec::new(),
            },
        );
        self.properties(schema.properties);
    }

    fn properties(&mut self, props: &'static [Property]) {
        props.iter().for_each(|p| self.ty(&p.ty));
    }

    fn ty(&mut self, ty: &'static PropType) {
        match ty {
            PropType::Enum(e) => {
                self.enums.insert(e.name, e);
            }
            PropType::Complex(c) => self.complex_type(c, None),
            PropType::Collection(inner) => self.ty(inner),
            PropType::Dictionary => self.dictionary = true,
            _ => {}
        }
    }

    fn complex_type(&mut self, c: &'static ComplexType, base: Option<&'static str>) {
        if self.complex.contains_key(c.name) {
            return;
        }
        self.complex.insert(c.name, (c, base));
        self.properties(c.properties);
        for d in c.derived {
            self.complex_type(d, Some(c.name));
        }
    }
}

/// The types of the sets served under `version`, with their navigation properties.
fn collect(version: ApiVersion) -> Types {
    let mut types = Types::default();
    for set in served(version) {
        let schema = (set.schema)(version);
        types.entity(schema);
        for (name, target) in set.navigation {
            types.entity(target);
            if let Some(e) = types.entities.get_mut(schema.name) {
                e.navigation.push((name, target.name));
            }
        }
    }
    types
}

fn served(version: ApiVersion) -> impl Iterator<Item = &'static ServedSet> {
    SERVED
        .iter()
        .filter(move |s| !(s.beta_only && version == ApiVersion::V1))
}

/// `(namespace, simple name)` of a qualified name; names without a namespace belong to Graph's.
fn split(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or((GRAPH, name))
}

/// The CSDL document of `version`.
pub fn document(version: ApiVersion) -> String {
    let types = collect(version);
    let mut namespaces: BTreeMap<&str, String> = BTreeMap::new();
    namespaces.entry(GRAPH).or_default();
    for e in types.enums.values() {
        write_enum(namespaces.entry(split(e.name).0).or_default(), e);
    }
    if types.dictionary {
        let (ns, name) = split(DICTIONARY);
        let out = namespaces.entry(ns).or_default();
        let _ = writeln!(
            out,
            "      <ComplexType Name=\"{name}\" OpenType=\"true\" />"
        );
    }
    for (c, base) in types.complex.values() {
        write_complex(namespaces.entry(split(c.name).0).or_default(), c, *base);
    }
    for e in types.entities.values() {
        write_entity(namespaces.entry(split(e.schema.name).0).or_default(), e);
    }
    let graph = namespaces.entry(GRAPH).or_default();
    write_security_and_container(graph, version);
    let mut doc = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    doc.push_str(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n",
    );
    doc.push_str("  <edmx:DataServices>\n");
    for (ns, body) in &namespaces {
        let _ = writeln!(
            doc,
            "    <Schema Namespace=\"{ns}\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">"
        );
        doc.push_str(body);
        doc.push_str("    </Schema>\n");
    }
    doc.push_str("  </edmx:DataServices>\n</edmx:Edmx>\n");
    doc
}

fn write_enum(out: &mut String, e: &EnumType) {
    let (_, name) = split(e.name);
    let flags = if e.is_flags { " IsFlags=\"true\"" } else { "" };
    let _ = writeln!(out, "      <EnumType Name=\"{name}\"{flags}>");
    for (i, m) in e.members.iter().enumerate() {
        let value: u64 = if e.is_flags {
            1u64 << i.min(62)
        } else {
            i as u64
        };
        let _ = writeln!(out, "        <Member Name=\"{m}\" Value=\"{value}\" />");
    }
    out.push_str("      </EnumType>\n");
}

fn write_complex(out: &mut String, c: &ComplexType, base: Option<&str>) {
    let (_, name) = split(c.name);
    let base = base
        .map(|b| format!(" BaseType=\"{b}\""))
        .unwrap_or_default();
    let _ = writeln!(out, "      <ComplexType Name=\"{name}\"{base}>");
    write_properties(out, c.properties);
    out.push_str("      </ComplexType>\n");
}

fn write_entity(out: &mut String, e: &Entity) {
    let (_, name) = split(e.schema.name);
    let _ = writeln!(
        out,
        "      <EntityType Name=\"{name}\" BaseType=\"{GRAPH}.entity\">"
    );
    let own: Vec<&Property> = e
        .schema
        .properties
        .iter()
        .filter(|p| p.name != "id")
        .collect();
    own.iter().for_each(|p| write_property(out, p));
    for (nav, target) in &e.navigation {
        let _ = writeln!(
            out,
            "        <NavigationProperty Name=\"{nav}\" Type=\"Collection({target})\" />"
        );
    }
    out.push_str("      </EntityType>\n");
}

fn write_properties(out: &mut String, props: &[Property]) {
    props.iter().for_each(|p| write_property(out, p));
}

fn write_property(out: &mut String, p: &Property) {
    let _ = writeln!(
        out,
        "        <Property Name=\"{}\" Type=\"{}\" />",
        p.name,
        p.ty.type_name()
    );
}

/// `entity` (the key), the `security` singleton's type with a containment navigation per served
/// set, and the container.
fn write_security_and_container(out: &mut String, version: ApiVersion) {
    out.push_str(concat!(
        "      <EntityType Name=\"entity\" Abstract=\"true\">\n",
        "        <Key>\n          <PropertyRef Name=\"id\" />\n        </Key>\n",
        "        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n",
        "      </EntityType>\n",
        "      <EntityType Name=\"security\" BaseType=\"microsoft.graph.entity\">\n",
    ));
    for set in served(version) {
        let _ = writeln!(
            out,
            "        <NavigationProperty Name=\"{}\" Type=\"Collection({})\" ContainsTarget=\"true\" />",
            set.name,
            (set.schema)(version).name
        );
    }
    out.push_str(concat!(
        "      </EntityType>\n",
        "      <EntityContainer Name=\"GraphService\">\n",
        "        <Singleton Name=\"security\" Type=\"microsoft.graph.security\" />\n",
        "      </EntityContainer>\n",
    ));
}
