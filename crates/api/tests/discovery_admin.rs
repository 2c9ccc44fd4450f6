//! The authority's discovery documents (OpenID configuration, JWKS), signing-key rotation across
//! nodes, and the admin HTTP API under `/secgraph/admin/v1/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::{Permission, TokenIssuer};
use reqwest::Method;
use serde_json::{json, Value};
use testkit::{TestServer, GRAPH_SCOPE};

testdb::conformance! {
    async fn openid_configuration_names_our_endpoints_and_the_jwks_our_key() {
        let server = TestServer::builder().tokens().start().await;
        let t = server.tenant.as_str();
        let base = &server.base_url;
        let reply = server
            .get(&format!("/{t}/v2.0/.well-known/openid-configuration"))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let doc = reply.json();
        assert_eq!(doc["issuer"], format!("{base}/{t}/v2.0"));
        assert_eq!(
            doc["token_endpoint"],
            format!("{base}/{t}/oauth2/v2.0/token")
        );
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{base}/{t}/oauth2/v2.0/authorize")
        );
        let jwks_uri = doc["jwks_uri"].as_str().unwrap().to_owned();
        let jwks = server.get(&jwks_uri).await.json();
        let kid = server.identity.keyring().current().active.kid.clone();
        let key = &jwks["keys"][0];
        assert_eq!(
            (&key["kid"], &key["kty"], &key["alg"]),
            (&kid.into(), &"RSA".into(), &"RS256".into())
        );

        let unknown = server
            .get("/11111111-2222-4333-8444-555555555555/discovery/v2.0/keys")
            .await;
        assert_eq!(unknown.status, 400);
        assert_eq!(unknown.json()["error_codes"], json!([90002]));
        let authorize = server
            .get(&format!("/{t}/oauth2/v2.0/authorize?response_type=code"))
            .await;
        assert_eq!(
            (authorize.status.as_u16(), authorize.json()["error"].clone()),
            (400, json!("unsupported_response_type"))
        );
    }

    async fn rotated_keys_sign_new_tokens_while_old_tokens_keep_working() {
        let server = TestServer::builder().tokens().start().await;
        let old = server
            .token_with(&server.tenant, &[Permission::SecurityAlertReadAll])
            .await;
        let rotated = server
            .admin(Method::POST, "/signing-keys/rotate", None)
            .await;
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let new_kid = rotated.json()["kid"].as_str().unwrap().to_owned();
        let new = server
            .token_with(&server.tenant, &[Permission::SecurityAlertReadAll])
            .await;
        let header = |t: &str| -> Value {
            use base64::Engine;
            let h = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t.split('.').next().unwrap())
                .unwrap();
            serde_json::from_slice(&h).unwrap()
        };
        assert_eq!(header(&new)["kid"], new_kid.as_str());
        assert_ne!(header(&old)["kid"], new_kid.as_str());
        for token in [&old, &new] {
            assert_eq!(
                server
                    .get_as(token, "/v1.0/security/alerts_v2")
                    .await
                    .status,
                200
            );
        }
        let jwks = server
            .get(&format!("/{}/discovery/v2.0/keys", server.tenant))
            .await
            .json();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);

        let old_kid = header(&old)["kid"].as_str().unwrap().to_owned();
        let active = server
            .admin(Method::DELETE, &format!("/signing-keys/{new_kid}"), None)
            .await;
        assert_eq!(
            active.status, 400,
            "the active key was retired: {}",
            active.text
        );
        let retired = server
            .admin(Method::DELETE, &format!("/signing-keys/{old_kid}"), None)
            .await;
        assert_eq!(retired.status, 204, "{}", retired.text);
        let reply = server.get_as(&old, "/v1.0/security/alerts_v2").await;
        assert_eq!(
            reply.status, 401,
            "a retired key's cached token still works"
        );
        assert_eq!(
            server.get_as(&new, "/v1.0/security/alerts_v2").await.status,
            200
        );
    }

    /// Another node rotated the keys (straight in the shared store): this node has never seen the
    /// new kid, re-reads the store once, and accepts the token.
    async fn a_key_rotated_by_another_node_is_picked_up_on_first_sight() {
        let server = TestServer::builder().tokens().start().await;
        let key = server.store.identity().rotate_signing_key().await.unwrap();
        let issuer = TokenIssuer::new(server.identity.audiences());
        let claims = server.claims(&server.tenant, &[Permission::SecurityAlertReadAll]);
        let token = issuer.issue(&key, &claims).unwrap();
        let reply = server.get_as(&token, "/v1.0/security/alerts_v2").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }

    async fn admin_api_requires_its_credential() {
        let server = TestServer::builder().tokens().start().await;
        let reply = server.get("/secgraph/admin/v1/tenants").await;
        assert_eq!(reply.status, 401);
        let auth = "Bearer not-the-credential";
        let reply = server
            .send(
                Method::GET,
                "/secgraph/admin/v1/tenants",
                None,
                &[("authorization", auth)],
            )
            .await;
        assert_eq!(reply.status, 401);
        let graph_token = server.token_with(&server.tenant, Permission::ALL).await;
        let reply = server
            .get_as(&graph_token, "/secgraph/admin/v1/tenants")
            .await;
        assert_eq!(reply.status, 401, "a Graph token opened the admin API");
    }

    async fn admin_api_registers_an_app_that_gets_a_working_token() {
        let server = TestServer::builder().tokens().start().await;
        let tenant = server
            .admin(
                Method::POST,
                "/tenants",
                Some(&json!({"displayName": "Northwind"})),
            )
            .await;
        assert_eq!(tenant.status, 201, "{}", tenant.text);
        let tid = tenant.json()["id"].as_str().unwrap().to_owned();
        let bad = server
            .admin(Method::POST, "/apps", Some(&json!({"displayName": "x", "homeTenantId": tid, "requestedPermissions": ["Mail.Send"]})))
            .await;
        assert_eq!(bad.status, 400);
        assert!(bad.text.contains("Mail.Send"), "{}", bad.text);
        let body = json!({"displayName": "soar", "homeTenantId": tid, "requestedPermissions": ["SecurityAlert.Read.All", "SecurityEvents.Read.All"]});
        let app = server.admin(Method::POST, "/apps", Some(&body)).await;
        assert_eq!(app.status, 201, "{}", app.text);
        let cid = app.json()["clientId"].as_str().unwrap().to_owned();
        let secret = server
            .admin(
                Method::POST,
                &format!("/apps/{cid}/secrets"),
                Some(&json!({"expiresInDays": 30})),
            )
            .await;
        assert_eq!(secret.status, 201, "{}", secret.text);
        let text = secret.json()["secretText"].as_str().unwrap().to_owned();
        let secret_id = secret.json()["id"].as_str().unwrap().to_owned();
        let listed = server.admin(Method::GET, "/apps", None).await;
        assert!(!listed.text.contains(&text), "the secret's text is listed");

        let grant = json!({"permissions": ["SecurityAlert.Read.All"]});
        let consent = server
            .admin(
                Method::PUT,
                &format!("/tenants/{tid}/consents/{cid}"),
                Some(&grant),
            )
            .await;
        assert_eq!(consent.status, 200, "{}", consent.text);
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", &cid),
            ("client_secret", &text),
            ("scope", GRAPH_SCOPE),
        ];
        let token = server.token_request(&tid, &form).await;
        assert_eq!(token.status, 200, "{}", token.text);
        let consents = server
            .admin(Method::GET, &format!("/consents?tenantId={tid}"), None)
            .await;
        assert_eq!(
            consents.json()[0]["permissions"],
            json!(["SecurityAlert.Read.All"])
        );

        let removed = server
            .admin(
                Method::DELETE,
                &format!("/apps/{cid}/secrets/{secret_id}"),
                None,
            )
            .await;
        assert_eq!(removed.status, 204);
        assert_eq!(server.token_request(&tid, &form).await.status, 401);
        let revoked = server
            .admin(
                Method::DELETE,
                &format!("/tenants/{tid}/consents/{cid}"),
                None,
            )
            .await;
        assert_eq!(revoked.status, 204);
        let again = server
            .admin(
                Method::DELETE,
                &format!("/tenants/{tid}/consents/{cid}"),
                None,
            )
            .await;
        assert_eq!(again.status, 404);
    }
}
