//! The token endpoint, `POST /{tenant}/oauth2/v2.0/token`: what a token carries, HTTP Basic, every
//! accepted scope, and every request error in the identity platform's shape and status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::Permission;
use base64::Engine;
use common::oauth::{assert_oauth_error, claims, consented, form, without, Form};
use serde_json::Value;
use testkit::{TestServer, GRAPH_SCOPE};

testdb::conformance! {
    async fn a_token_carries_the_tenant_app_and_consented_permissions() {
        let server = TestServer::builder().tokens().start().await;
        let app = consented(
            &server,
            &[
                Permission::SecurityAlertReadAll,
                Permission::SecurityEventsReadAll,
            ],
        )
        .await;
        let tenant = server.tenant.as_str();
        let reply = server.token_request(tenant, &form(&app, GRAPH_SCOPE)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.header("cache-control"), Some("no-store, no-cache"));
        let body = reply.json();
        assert_eq!(
            (
                &body["token_type"],
                &body["expires_in"],
                &body["ext_expires_in"]
            ),
            (&"Bearer".into(), &3599.into(), &3599.into())
        );
        let c = claims(body["access_token"].as_str().unwrap());
        assert_eq!(c["aud"], server.base_url);
        assert_eq!(c["iss"], format!("{}/{tenant}/v2.0", server.base_url));
        assert_eq!(
            (&c["tid"], &c["appid"], &c["azp"]),
            (
                &tenant.into(),
                &app.client_id.clone().into(),
                &app.client_id.clone().into()
            )
        );
        assert_eq!(
            c["roles"],
            serde_json::json!(["SecurityAlert.Read.All", "SecurityEvents.Read.All"])
        );
        assert_eq!((&c["idtyp"], &c["ver"]), (&"app".into(), &"2.0".into()));
        assert_eq!(
            c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
            3600
        );
        assert_eq!(c["oid"], c["sub"]);
    }

    async fn every_documented_scope_and_http_basic_get_a_token() {
        let server = TestServer::builder().tokens().start().await;
        let app = consented(&server, &[Permission::SecurityAlertReadAll]).await;
        let host = server.base_url.rsplit_once(':').unwrap().0.to_owned();
        let scopes = [
            GRAPH_SCOPE.to_owned(),
            format!("{}/.default", server.base_url),
            format!("{host}/.default"),
            "api://secgraph/.default".to_owned(),
            format!("openid profile offline_access {GRAPH_SCOPE}"),
        ];
        for scope in &scopes {
            let reply = server
                .token_request(server.tenant.as_str(), &form(&app, scope))
                .await;
            assert_eq!(reply.status, 200, "{scope}: {}", reply.text);
        }
        let mut msal = form(&app, GRAPH_SCOPE);
        msal.extend([
            ("client_info", "1"),
            (
                "claims",
                r#"{"access_token":{"xms_cc":{"values":["CP1"]}}}"#,
            ),
        ]);
        assert_eq!(
            server
                .token_request(server.tenant.as_str(), &msal)
                .await
                .status,
            200
        );

        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", app.client_id, app.secret));
        let url = server.url(&format!("/{}/oauth2/v2.0/token", server.tenant));
        let body = [("grant_type", "client_credentials"), ("scope", GRAPH_SCOPE)];
        let resp = server
            .client
            .post(&url)
            .header("authorization", format!("Basic {basic}"))
            .form(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let wrong =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:nope", app.client_id));
        let resp = server
            .client
            .post(&url)
            .header("authorization", format!("Basic {wrong}"))
            .form(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.headers()["www-authenticate"],
            "Basic realm=\"secgraph\""
        );
    }

    async fn request_errors_have_entra_codes_and_statuses() {
        let server = TestServer::builder().tokens().start().await;
        let app = consented(&server, &[Permission::SecurityAlertReadAll]).await;
        let t = server.tenant.as_str();
        let good = form(&app, GRAPH_SCOPE);
        let cases: Vec<(Form, u16, &str, u32)> = vec![
            (without(&good, "grant_type"), 400, "invalid_request", 900144),
            (without(&good, "client_id"), 400, "invalid_request", 900144),
            (without(&good, "scope"), 400, "invalid_request", 900144),
            (
                without(&good, "client_secret"),
                401,
                "invalid_client",
                7000216,
            ),
            (
                form(&app, "https://graph.microsoft.com/SecurityAlert.Read.All"),
                400,
                "invalid_scope",
                1002012,
            ),
            (
                form(
                    &app,
                    "api://secgraph/.default https://graph.microsoft.com/.default",
                ),
                400,
                "invalid_scope",
                70011,
            ),
            (
                form(&app, "https://management.azure.com/.default"),
                400,
                "invalid_resource",
                500011,
            ),
        ];
        for (body, status, error, code) in &cases {
            assert_oauth_error(&server.token_request(t, body).await, *status, error, *code);
        }
        let mut password = good.clone();
        password[0] = ("grant_type", "password");
        assert_oauth_error(
            &server.token_request(t, &password).await,
            400,
            "unsupported_grant_type",
            70003,
        );
        let mut bad_id = good.clone();
        bad_id[1] = ("client_id", "not-a-guid");
        assert_oauth_error(
            &server.token_request(t, &bad_id).await,
            400,
            "unauthorized_client",
            700038,
        );
        let mut unknown = good.clone();
        unknown[1] = ("client_id", "0b5f2a8e-1111-4222-8333-944445555666");
        assert_oauth_error(
            &server.token_request(t, &unknown).await,
            400,
            "unauthorized_client",
            700016,
        );
        let mut wrong = good.clone();
        wrong[2] = ("client_secret", "wrong");
        assert_oauth_error(
            &server.token_request(t, &wrong).await,
            401,
            "invalid_client",
            7000215,
        );

        assert_oauth_error(
            &server.token_request("contoso.com", &good).await,
            400,
            "invalid_request",
            900023,
        );
        assert_oauth_error(
            &server
                .token_request("11111111-2222-4333-8444-555555555555", &good)
                .await,
            400,
            "invalid_request",
            90002,
        );
        let get = server.get(&format!("/{t}/oauth2/v2.0/token")).await;
        assert_oauth_error(&get, 400, "invalid_request", 900561);
    }

    async fn correlation_id_echoes_the_client_request_id() {
        let server = TestServer::builder().tokens().start().await;
        let url = server.url(&format!("/{}/oauth2/v2.0/token", server.tenant));
        let resp = server
            .client
            .post(&url)
            .header("client-request-id", "7d9c1f1e-0000-4000-8000-000000000001")
            .form(&[("grant_type", "x")])
            .send()
            .await
            .unwrap();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body["correlation_id"],
            "7d9c1f1e-0000-4000-8000-000000000001"
        );
    }
}
