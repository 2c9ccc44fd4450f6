//! Identity through the real binary: token authentication is the default, `serve --demo` prints and
//! writes working credentials (and keeps them across restarts), `--tls` serves HTTP/1.1 and HTTP/2
//! with a generated certificate clients can trust, the admin commands register an app whose token
//! works until consent is revoked, and the admin HTTP API takes the credential file's secret.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_output, run_on, Data, Server, ANCHOR};
use reqwest::{Client, StatusCode, Version};
use serde_json::Value;
use std::path::Path;

const DEMO: [&str; 5] = ["--demo", "--demo-anchor", ANCHOR, "--demo-count", "20"];

fn credentials(data: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data.join("demo-credentials.json")).unwrap())
        .unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn token(client: &Client, url: &str, client_id: &str, secret: &str) -> reqwest::Response {
    client
        .post(url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap()
}

async fn access_token(client: &Client, url: &str, client_id: &str, secret: &str) -> String {
    let reply = token(client, url, client_id, secret).await;
    assert_eq!(reply.status(), StatusCode::OK);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    body["access_token"].as_str().unwrap().to_owned()
}

testdb::conformance! {
    async fn demo_credentials_work_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start_with_auth(dir.path(), &data, "token", &DEMO, &[]).await;
        let creds = credentials(&data.path);
        let banner = server.banner.join("\n");
        for key in ["tenantId", "clientId", "clientSecret", "tokenUrl"] {
            assert!(
                banner.contains(creds[key].as_str().unwrap()),
                "{key}: {banner}"
            );
        }
        assert_eq!(creds["graphBaseUrl"], format!("{}/v1.0", server.url));
        #[cfg(unix)]
        {
            assert_eq!(mode(&data.path.join("demo-credentials.json")), 0o600);
            assert_eq!(mode(&data.path.join("admin-token")), 0o600);
        }
        let admin = std::fs::read_to_string(data.path.join("admin-token")).unwrap();
        assert!(
            !banner.contains(admin.trim()),
            "the admin secret was printed"
        );

        let http = common::client();
        let alerts = format!(
            "{}/security/alerts_v2?$top=2",
            creds["graphBaseUrl"].as_str().unwrap()
        );
        let anonymous = http.get(&alerts).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert!(anonymous.headers().contains_key("www-authenticate"));
        let (url, id, secret) = (
            creds["tokenUrl"].as_str().unwrap(),
            creds["clientId"].as_str().unwrap(),
            creds["clientSecret"].as_str().unwrap(),
        );
        let bearer = access_token(&http, url, id, secret).await;
        let page = http.get(&alerts).bearer_auth(&bearer).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let proc = server.stop().await;
        assert!(
            !proc.stderr().contains(admin.trim()),
            "the admin secret was logged"
        );

        let again = Server::start_with_auth(dir.path(), &data, "token", &DEMO, &[]).await;
        let kept = credentials(&data.path);
        assert_eq!(kept["clientId"], creds["clientId"]);
        assert_eq!(kept["clientSecret"], creds["clientSecret"]);
        let url = kept["tokenUrl"].as_str().unwrap();
        access_token(&http, url, id, secret).await;
        again.stop().await;
    }

    async fn tls_demo_serves_http1_and_http2_with_a_trustable_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let mut args = DEMO.to_vec();
        args.push("--tls");
        let server = Server::start_with_auth(dir.path(), &data, "token", &args, &[]).await;
        assert!(
            server.url.starts_with("https://127.0.0.1:"),
            "{}",
            server.url
        );
        let ca_path = data.path.join("tls/ca.crt");
        let banner = server.banner.join("\n");
        assert!(
            banner.contains("REQUESTS_CA_BUNDLE=") && banner.contains("SSL_CERT_FILE="),
            "{banner}"
        );
        let ca = reqwest::Certificate::from_pem(&std::fs::read(&ca_path).unwrap()).unwrap();
        let creds = credentials(&data.path);
        assert!(creds["tokenUrl"].as_str().unwrap().starts_with("https://"));
        for (http1, version) in [(false, Version::HTTP_2), (true, Version::HTTP_11)] {
            let mut builder = Client::builder()
                .no_proxy()
                .add_root_certificate(ca.clone());
            if http1 {
                builder = builder.http1_only();
            }
            let client = builder.build().unwrap();
            let url = creds["tokenUrl"].as_str().unwrap();
            let bearer = access_token(
                &client,
                url,
                creds["clientId"].as_str().unwrap(),
                creds["clientSecret"].as_str().unwrap(),
            )
            .await;
            let reply = client
                .get(format!("{}/v1.0/security/alerts_v2/$count", server.url))
                .bearer_auth(bearer)
                .send()
                .await
                .unwrap();
            assert_eq!((reply.status(), reply.version()), (StatusCode::OK, version));
            assert_eq!(reply.text().await.unwrap(), "20");
        }
        let untrusting = common::client();
        assert!(untrusting
            .get(format!("{}/healthz", server.url))
            .send()
            .await
            .is_err());
        server.stop().await;
    }
}

/// Runs `secgraph ARGS` on `data` and parses its JSON output.
async fn admin(dir: &Path, data: &Data, args: &[&str]) -> Value {
    json_output(args, &run_on(dir, data, args, &[]).await)
}

testdb::conformance! {
    async fn admin_commands_register_an_app_whose_token_works_until_consent_is_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start_with_auth(dir.path(), &data, "token", &[], &[]).await;
        let tenant = admin(
            dir.path(),
            &data,
            &["tenant", "create", "--name", "Fabrikam"],
        )
        .await;
        let tid = tenant["id"].as_str().unwrap();
        let app = admin(
            dir.path(),
            &data,
            &[
                "app",
                "create",
                "--tenant",
                tid,
                "--name",
                "soar",
                "--permission",
                "SecurityAlert.Read.All",
            ],
        )
        .await;
        let cid = app["clientId"].as_str().unwrap();
        let secret = admin(
            dir.path(),
            &data,
            &["app", "add-secret", "--client-id", cid],
        )
        .await;
        let text = secret["secretText"].as_str().unwrap();
        assert_eq!(secret["hint"].as_str().unwrap(), &text[text.len() - 3..]);
        let listed = admin(dir.path(), &data, &["app", "list"]).await;
        assert!(
            !listed.to_string().contains(text),
            "app list shows the secret"
        );
        admin(
            dir.path(),
            &data,
            &["consent", "grant", "--tenant", tid, "--client-id", cid],
        )
        .await;

        let http = common::client();
        let url = format!("{}/{tid}/oauth2/v2.0/token", server.url);
        let bearer = access_token(&http, &url, cid, text).await;
        let get = |path: &str| {
            http.get(format!("{}{path}", server.url))
                .bearer_auth(&bearer)
                .send()
        };
        assert_eq!(
            get("/v1.0/security/alerts_v2").await.unwrap().status(),
            StatusCode::OK
        );
        assert_eq!(
            get("/v1.0/security/alerts").await.unwrap().status(),
            StatusCode::FORBIDDEN
        );

        admin(
            dir.path(),
            &data,
            &["consent", "revoke", "--tenant", tid, "--client-id", cid],
        )
        .await;
        let refused = token(&http, &url, cid, text).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized_client");
        assert_eq!(
            get("/v1.0/security/alerts_v2").await.unwrap().status(),
            StatusCode::OK,
            "issued tokens live until exp"
        );
        server.stop().await;
    }

    async fn admin_http_api_takes_the_credential_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start_with_auth(dir.path(), &data, "token", &DEMO, &[]).await;
        let http = common::client();
        let tenants = format!("{}/secgraph/admin/v1/tenants", server.url);
        assert_eq!(
            http.get(&tenants).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let wrong = http
            .get(&tenants)
            .bearer_auth("guess")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let secret = std::fs::read_to_string(data.path.join("admin-token")).unwrap();
        let listed: Value = http
            .get(&tenants)
            .bearer_auth(secret.trim())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed[0]["id"], demo::DEMO_TENANT_ID);
        let created = http
            .post(&tenants)
            .bearer_auth(secret.trim())
            .json(&serde_json::json!({"displayName": "Northwind"}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        server.stop().await;
    }

    async fn admin_commands_are_recorded_in_the_audit_log_as_cli() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start_with_auth(dir.path(), &data, "token", &[], &[]).await;
        let tenant = admin(dir.path(), &data, &["tenant", "create", "--name", "Audited"]).await;
        let tid = tenant["id"].as_str().unwrap();
        let create = ["app", "create", "--tenant", tid, "--name", "auditor", "--all-permissions"];
        let app = admin(dir.path(), &data, &create).await;
        let cid = app["clientId"].as_str().unwrap();
        let secret = admin(dir.path(), &data, &["app", "add-secret", "--client-id", cid]).await;
        let text = secret["secretText"].as_str().unwrap();
        let grant = ["consent", "grant", "--tenant", tid, "--client-id", cid];
        admin(dir.path(), &data, &grant).await;
        admin(dir.path(), &data, &["app", "list"]).await;

        let http = common::client();
        let url = format!("{}/{tid}/oauth2/v2.0/token", server.url);
        let bearer = access_token(&http, &url, cid, text).await;
        let logs = http
            .get(format!(
                "{}/secgraph/v1/auditLogs?$filter=category%20eq%20'cli'&$orderby=activityDateTime%20asc",
                server.url
            ))
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(logs.status(), StatusCode::OK);
        let body: Value = logs.json().await.unwrap();
        let records = body["value"].as_array().unwrap();
        let ops: Vec<&str> = records.iter().map(|r| r["operation"].as_str().unwrap()).collect();
        assert_eq!(
            ops,
            ["tenant.create", "app.create", "app.addSecret", "consent.grant"],
            "every change, no list"
        );
        for r in records {
            assert_eq!(r["initiatedBy"]["kind"], "cli");
            assert_eq!(r["result"], "success");
            assert_eq!(r["tenantId"], tid);
        }
        assert_eq!(records[3]["resourceId"], cid);
        assert!(!body.to_string().contains(text), "the secret's text was recorded");
        server.stop().await;
    }
}
