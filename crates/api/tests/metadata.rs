//! `$metadata` and the service document on both backends: the CSDL parses as XML; every
//! collection route of the permission table is a navigation of the `security` singleton; every
//! property an entity actually carries on the wire is declared on its type; v1.0 leaves out
//! beta-only properties and sets; and for `microsoft.graph.security.alert` and `incident` the
//! properties agree in name and type with Microsoft's published CSDL
//! (`tests/fixtures/csdl-security-v1.0.xml`, a subset of msgraph-metadata).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::routes::table::{graph_routes, Verb};
use std::collections::BTreeMap;
use testkit::TestServer;

/// `name -> type` of the properties and navigation properties of every entity and complex type,
/// keyed by qualified type name, with schema aliases resolved.
type Declared = BTreeMap<String, BTreeMap<String, String>>;

fn declared(xml: &str) -> Declared {
    let doc = roxmltree::Document::parse(xml).expect("the CSDL is well-formed XML");
    let mut out = Declared::new();
    for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
        let ns = schema.attribute("Namespace").unwrap();
        let alias = schema.attribute("Alias");
        let resolve = |t: &str| -> String {
            let t = t.replace("self.", "microsoft.graph.security.");
            let t = t.replace("(graph.", "(microsoft.graph.");
            match (alias, t.strip_prefix("graph.")) {
                (_, Some(rest)) => format!("microsoft.graph.{rest}"),
                _ => t,
            }
        };
        for ty in schema
            .children()
            .filter(|n| n.has_tag_name("EntityType") || n.has_tag_name("ComplexType"))
        {
            let name = format!("{ns}.{}", ty.attribute("Name").unwrap());
            let props = ty
                .children()
                .filter(|n| n.has_tag_name("Property") || n.has_tag_name("NavigationProperty"))
                .map(|p| {
                    (
                        p.attribute("Name").unwrap().to_owned(),
                        resolve(p.attribute("Type").unwrap()),
                    )
                })
                .collect();
            out.insert(name, props);
        }
    }
    out
}

async fn metadata(server: &TestServer, version: &str) -> Declared {
    let reply = server.get(&format!("/{version}/$metadata")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/xml"));
    declared(&reply.text)
}

/// The sets below `/security` that the permission table lists under `version`.
fn routed_sets(version: api::query::ApiVersion) -> Vec<&'static str> {
    graph_routes()
        .into_iter()
        .filter(|r| r.verb == Verb::Get && r.versions().contains(&version))
        .filter_map(|r| {
            let rest = r.path.strip_prefix("/security/")?;
            (!rest.contains('/')).then_some(rest)
        })
        .collect()
}

testdb::conformance! {
    async fn metadata_declares_every_served_set_and_every_property_on_the_wire() {
        let server = TestServer::builder().demo(30).tokens().start().await;
        let token = server.token_with(&server.tenant, auth::Permission::ALL).await;
        for (version, v) in [("v1.0", api::query::ApiVersion::V1), ("beta", api::query::ApiVersion::Beta)] {
            let types = metadata(&server, version).await;
            let security = &types["microsoft.graph.security"];
            let sets = routed_sets(v);
            assert!(sets.contains(&"alerts_v2") && sets.contains(&"incidents"));
            for set in &sets {
                let ty = security.get(*set).unwrap_or_else(|| panic!("{version}: no navigation '{set}'"));
                let entity = ty.strip_prefix("Collection(").unwrap().trim_end_matches(')');
                let props = &types[entity];
                let page = server.get_as(&token, &format!("/{version}/security/{set}?$top=5")).await;
                assert_eq!(page.status, 200, "{set}: {}", page.text);
                let items = page.json()["value"].as_array().unwrap().clone();
                if ["alerts_v2", "incidents", "alerts"].contains(set) {
                    assert!(!items.is_empty(), "{set}: the demo data has some");
                }
                for item in &items {
                    for key in item.as_object().unwrap().keys() {
                        if key.starts_with('@') || key == "id" {
                            continue;
                        }
                        assert!(props.contains_key(key), "{version} {entity}: '{key}' served but not declared");
                    }
                }
            }
            assert_eq!(security.len(), sets.len(), "{version}: only served sets are declared");
        }
        let v1 = metadata(&server, "v1.0").await;
        let beta = metadata(&server, "beta").await;
        let incident = "microsoft.graph.security.incident";
        assert!(!v1[incident].contains_key("recommendedActions"), "beta-only under v1.0");
        assert!(beta[incident].contains_key("recommendedActions"));
        assert_eq!(v1[incident]["alerts"], "Collection(microsoft.graph.security.alert)");
        assert!(!v1["microsoft.graph.security"].contains_key("securityActions"));
        assert!(beta["microsoft.graph.security"].contains_key("securityActions"));
        assert!(v1.contains_key("microsoft.graph.security.deviceEvidence"), "derived evidence types");
    }

    async fn service_document_lists_the_security_singleton_without_a_token() {
        let server = TestServer::builder().tokens().start().await;
        for path in ["/v1.0/", "/v1.0", "/beta/", "/BETA"] {
            let reply = server.get(path).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
            let doc = reply.json();
            let version = if path.to_ascii_lowercase().contains("beta") { "beta" } else { "v1.0" };
            assert_eq!(doc["@odata.context"], format!("{}/{version}/$metadata", server.base_url));
            assert_eq!(doc["value"][0]["name"], "security");
            assert_eq!(doc["value"][0]["kind"], "Singleton");
        }
    }
}

#[tokio::test]
async fn alert_and_incident_agree_with_the_published_csdl() {
    let server = TestServer::start().await;
    let ours = metadata(&server, "v1.0").await;
    let published = declared(include_str!("fixtures/csdl-security-v1.0.xml"));
    for ty in [
        "microsoft.graph.security.alert",
        "microsoft.graph.security.incident",
    ] {
        assert!(published[ty].len() > 15, "{ty}: {:?}", published[ty]);
        for (name, published_type) in &published[ty] {
            let our_type = ours[ty]
                .get(name)
                .unwrap_or_else(|| panic!("{ty}.{name} is published but not declared"));
            assert_eq!(our_type, published_type, "{ty}.{name}");
        }
    }
}
