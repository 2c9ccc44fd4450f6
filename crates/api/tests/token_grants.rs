//! Who gets a token from `POST /{tenant}/oauth2/v2.0/token`: only consented apps, only for the
//! consented permissions, only with an unexpired secret; removing consent or a secret refuses new
//! tokens at once while tokens already issued live until `exp`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::Permission;
use common::oauth::{assert_oauth_error, claims, consented, form};
use testkit::{TestServer, GRAPH_SCOPE};

testdb::conformance! {
    async fn apps_get_tokens_only_where_consented() {
        let server = TestServer::builder().tokens().start().await;
        let other = server.create_tenant("Fabrikam").await;
        let app = server.register_app(&server.tenant).await;
        let body = form(&app, GRAPH_SCOPE);
        assert_oauth_error(
            &server.token_request(server.tenant.as_str(), &body).await,
            400,
            "unauthorized_client",
            700016,
        );
        server
            .grant(&server.tenant, &app, &[Permission::SecurityAlertReadAll])
            .await;
        assert_eq!(
            server
                .token_request(server.tenant.as_str(), &body)
                .await
                .status,
            200
        );
        assert_oauth_error(
            &server.token_request(other.as_str(), &body).await,
            400,
            "unauthorized_client",
            700016,
        );
        server
            .grant(&other, &app, &[Permission::SecurityEventsReadAll])
            .await;
        let reply = server.token_request(other.as_str(), &body).await;
        let c = claims(reply.json()["access_token"].as_str().unwrap());
        assert_eq!(
            (&c["tid"], &c["roles"]),
            (
                &other.as_str().into(),
                &serde_json::json!(["SecurityEvents.Read.All"])
            )
        );

        let single = server
            .store
            .identity()
            .create_application(store::identity::NewApplication {
                home_tenant_id: server.tenant.clone(),
                display_name: "single".into(),
                multi_tenant: false,
                requested_permissions: vec![Permission::SecurityAlertReadAll],
            })
            .await
            .unwrap();
        let refused = server
            .store
            .identity()
            .grant_consent(
                &other,
                &single.client_id,
                &[Permission::SecurityAlertReadAll],
            )
            .await;
        assert!(
            refused.is_err(),
            "a single-tenant app was consented in another tenant"
        );
    }

    async fn expired_secrets_are_refused_with_their_own_code() {
        let server = TestServer::builder().tokens().start().await;
        let app = consented(&server, &[Permission::SecurityAlertReadAll]).await;
        let yesterday = server.store.clock().now() - time::Duration::days(1);
        let old = server
            .store
            .identity()
            .create_secret(&app.client_id, Some(yesterday))
            .await
            .unwrap();
        let mut body = form(&app, GRAPH_SCOPE);
        body[2] = ("client_secret", &old.plaintext);
        assert_oauth_error(
            &server.token_request(server.tenant.as_str(), &body).await,
            401,
            "invalid_client",
            7000222,
        );
    }

    async fn revoking_consent_or_a_secret_stops_new_tokens_but_not_issued_ones() {
        let server = TestServer::builder().tokens().start().await;
        let app = consented(&server, &[Permission::SecurityAlertReadAll]).await;
        let tenant = server.tenant.clone();
        let body = form(&app, GRAPH_SCOPE);
        let issued = server.token(&tenant, &app).await;
        let path = "/v1.0/security/alerts_v2";

        assert!(server
            .store
            .identity()
            .revoke_consent(&tenant, &app.client_id)
            .await
            .unwrap());
        assert_oauth_error(
            &server.token_request(tenant.as_str(), &body).await,
            400,
            "unauthorized_client",
            700016,
        );
        assert_eq!(server.get_as(&issued, path).await.status, 200);

        server
            .grant(&tenant, &app, &[Permission::SecurityAlertReadAll])
            .await;
        let secrets = server
            .store
            .identity()
            .list_secrets(&app.client_id)
            .await
            .unwrap();
        for s in &secrets {
            assert!(server
                .store
                .identity()
                .remove_secret(&app.client_id, &s.id)
                .await
                .unwrap());
        }
        assert_oauth_error(
            &server.token_request(tenant.as_str(), &body).await,
            401,
            "invalid_client",
            7000215,
        );
        assert_eq!(server.get_as(&issued, path).await.status, 200);
        server
            .clock
            .advance(std::time::Duration::from_secs(3600 + 5 * 60 + 1));
        assert_eq!(server.get_as(&issued, path).await.status, 401);
    }
}
