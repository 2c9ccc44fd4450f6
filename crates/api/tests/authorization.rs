//! Generated from the permission table: for every Graph route under both version roots, no token,
//! a malformed, expired, not-yet-valid, wrong-audience, wrong-issuer or badly signed token is a 401
//! with a `WWW-Authenticate` challenge; a valid token without a permission that grants the route is
//! a 403 naming the permissions that would; each permission that grants it gets neither. Routes
//! added to the table later are covered without touching this file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::routes::table::{graph_routes, GraphRoute};
use auth::{Permission, SigningKey};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use testkit::{Reply, TestServer};

/// An alert id of the demo tenant, so authorized requests reach a real entity.
async fn some_alert_id(server: &TestServer, token: &str) -> String {
    let reply = server
        .get_as(token, "/v1.0/security/alerts_v2?$top=1&$select=id")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["value"][0]["id"].as_str().unwrap().to_owned()
}

async fn call(server: &TestServer, route: &GraphRoute, path: &str, token: Option<&str>) -> Reply {
    let body = matches!(route.verb.method().as_str(), "POST" | "PATCH").then(|| json!({}));
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", a.as_str())).collect();
    server
        .send(route.verb.method(), path, body.as_ref(), &headers)
        .await
}

fn assert_unauthorized(reply: &Reply, what: &str, presented: bool) {
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "{what}: {}",
        reply.text
    );
    assert_eq!(
        reply.json()["error"]["code"],
        "InvalidAuthenticationToken",
        "{what}"
    );
    let challenge = reply
        .header("www-authenticate")
        .unwrap_or_else(|| panic!("{what}: no challenge"));
    assert!(
        challenge.starts_with("Bearer realm=\"\", authorization_uri=\""),
        "{what}: {challenge}"
    );
    assert_eq!(
        challenge.contains("error=\"invalid_token\""),
        presented,
        "{what}: {challenge}"
    );
}

/// Tokens the server must refuse, each with what is wrong with it.
fn bad_tokens(server: &TestServer) -> Vec<(&'static str, String)> {
    let tenant = &server.tenant;
    let all = Permission::ALL;
    let mut expired = server.claims(tenant, all);
    expired.iat -= 7200;
    expired.nbf -= 7200;
    expired.exp = expired.iat + 3600;
    let mut early = server.claims(tenant, all);
    early.nbf += 3600;
    let mut audience = server.claims(tenant, all);
    audience.aud = "https://evil.example".into();
    let mut issuer = server.claims(tenant, all);
    issuer.iss = format!("https://login.microsoftonline.com/{}/v2.0", tenant);
    let good = server.mint(&server.claims(tenant, all));
    let mut forged_key = SigningKey::generate().unwrap();
    forged_key.kid = server.identity.keyring().current().active.kid.clone();
    let forged = server
        .identity
        .issuer()
        .issue(&forged_key, &server.claims(tenant, all))
        .unwrap();
    let (head, _) = good.rsplit_once('.').unwrap();
    vec![
        ("malformed", "not-a-jwt".to_owned()),
        ("expired", server.mint(&expired)),
        ("not yet valid", server.mint(&early)),
        ("wrong audience", server.mint(&audience)),
        ("wrong issuer", server.mint(&issuer)),
        ("signed by another key", forged),
        ("signature cut", format!("{head}.AAAA")),
    ]
}

testdb::conformance! {
    async fn every_route_in_the_table_checks_its_token_and_permissions() {
        let server = TestServer::builder().tokens().demo(20).start().await;
        let tenant = server.tenant.clone();
        let admin_token = server.token_with(&tenant, Permission::ALL).await;
        let id = some_alert_id(&server, &admin_token).await;
        let bad = bad_tokens(&server);
        let mut tokens: HashMap<Vec<Permission>, String> = HashMap::new();
        let routes = graph_routes();
        assert!(routes.len() >= 15, "the table lost routes: {routes:?}");
        for route in &routes {
            for version in route.versions() {
                let path = format!("/{}{}", version.segment(), route.path.replace("{id}", &id));
                let what = format!("{:?} {path}", route.verb);
                assert_unauthorized(&call(&server, route, &path, None).await, &what, false);
                for (why, token) in &bad {
                    let reply = call(&server, route, &path, Some(token)).await;
                    assert_unauthorized(&reply, &format!("{what} ({why})"), true);
                }

                let others: Vec<Permission> = Permission::ALL
                    .iter()
                    .copied()
                    .filter(|p| !route.requirement.0.contains(p))
                    .collect();
                let token = match tokens.get(&others) {
                    Some(t) => t.clone(),
                    None => server.token_with(&tenant, &others).await,
                };
                tokens.insert(others.clone(), token.clone());
                let reply = call(&server, route, &path, Some(&token)).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{what}: {}",
                    reply.text
                );
                let message = reply.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                assert_eq!(reply.json()["error"]["code"], "accessDenied");
                for p in route.requirement.0 {
                    assert!(message.contains(p.as_str()), "{what}: {message}");
                }

                for p in route.requirement.0 {
                    let perms = vec![*p];
                    let token = match tokens.get(&perms) {
                        Some(t) => t.clone(),
                        None => server.token_with(&tenant, &perms).await,
                    };
                    tokens.insert(perms, token.clone());
                    let reply = call(&server, route, &path, Some(&token)).await;
                    assert!(
                        reply.status != StatusCode::UNAUTHORIZED
                            && reply.status != StatusCode::FORBIDDEN,
                        "{what} with {p}: {} {}",
                        reply.status,
                        reply.text
                    );
                    assert!(
                        !reply.text.contains("Resource not found for the segment"),
                        "{what}: the table names a route the router does not serve"
                    );
                }
            }
        }
    }

    async fn tokens_expire_after_their_lifetime_plus_the_clock_leeway() {
        let server = TestServer::builder().tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let path = "/v1.0/security/alerts_v2";
        assert_eq!(server.get_as(&token, path).await.status, 200);
        server
            .clock
            .advance(std::time::Duration::from_secs(64 * 60));
        assert_eq!(
            server.get_as(&token, path).await.status,
            200,
            "within the 5-minute clock leeway"
        );
        server.clock.advance(std::time::Duration::from_secs(120));
        let reply = server.get_as(&token, path).await;
        assert_eq!(reply.status, 401, "{}", reply.text);
        assert!(reply.text.contains("expired"), "{}", reply.text);
    }

    async fn the_tenant_and_permissions_come_from_the_token_alone() {
        let server = TestServer::builder().tokens().demo(5).start().await;
        let other = server.create_tenant("Other").await;
        let token = server.token_with(&other, Permission::ALL).await;
        let reply = server
            .get_as(&token, "/v1.0/security/alerts_v2/$count")
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.text.as_str()),
            (200, "0"),
            "the demo tenant's alerts leaked"
        );
        let reads_only = server
            .token_with(&server.tenant, &[Permission::SecurityAlertReadAll])
            .await;
        let id = some_alert_id(&server, &reads_only).await;
        let reply = server
            .send_as(
                &reads_only,
                reqwest::Method::PATCH,
                &format!("/v1.0/security/alerts_v2/{id}"),
                Some(&json!({"status": "resolved"})),
            )
            .await;
        assert_eq!(reply.status, 403, "{}", reply.text);
    }
}
