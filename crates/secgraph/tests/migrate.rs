//! `secgraph migrate` through the real binary: a SQLite deployment (the demo tenant, a second tenant
//! loaded with `import`, an application with a secret and consents made with the admin commands) is
//! migrated to a fresh PostgreSQL schema, and a server on PostgreSQL then answers exactly what the
//! SQLite server answered: lists, counts, filters, every page, the admin API; tokens issued by the
//! old server still verify (the signing keys moved), and the migrated credentials get new tokens.
//!
//! Needs `SECGRAPH_TEST_POSTGRES_URL`; without it the test prints a notice and passes (or fails
//! under `SECGRAPH_TEST_REQUIRE_POSTGRES`), like every PostgreSQL test (see `testdb`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_output, run, Finished, Secgraph, Server, ANCHOR};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::path::Path;
use testdb::{Backend, TestDatabase};

/// Runs `secgraph ARGS --data-dir DATA` and parses its JSON output.
async fn admin(dir: &Path, data: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--data-dir", data.to_str().unwrap()]);
    json_output(args, &run(dir, &all, &[]).await)
}

/// The answer of `base`'s token endpoint for `tenant`.
async fn token_reply(
    http: &Client,
    base: &str,
    tenant: &str,
    client_id: &str,
    secret: &str,
) -> reqwest::Response {
    http.post(format!("{base}/{tenant}/oauth2/v2.0/token"))
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

/// A bearer token from `base`'s token endpoint for `tenant`.
async fn token(http: &Client, base: &str, tenant: &str, client_id: &str, secret: &str) -> String {
    let reply = token_reply(http, base, tenant, client_id, secret).await;
    let status = reply.status();
    let body: Value = reply.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// The requests whose answers must survive the migration.
const QUERIES: &[&str] = &[
    "/v1.0/security/alerts_v2/$count",
    "/v1.0/security/alerts/$count",
    "/v1.0/security/alerts_v2?$filter=severity%20eq%20%27high%27%20and%20status%20eq%20%27new%27&$orderby=createdDateTime%20desc&$top=7&$count=true",
    "/v1.0/security/alerts_v2?$filter=contains(title,%27a%27)&$orderby=title&$top=9",
    "/v1.0/security/alerts?$top=5",
    "/beta/security/alerts_v2?$select=id,title&$top=3",
];

/// Status and body of every query (the `$count` first), then of every page of the full alerts_v2
/// list (nextLinks name the public URL; they are followed on `actual`).
async fn answers(
    http: &Client,
    public: &str,
    actual: &str,
    bearer: &str,
) -> Vec<(String, u16, String)> {
    let mut out = Vec::new();
    for q in QUERIES {
        let (status, body) = get(http, &format!("{actual}{q}"), bearer).await;
        out.push(((*q).to_owned(), status, body));
    }
    let mut next = Some(format!("{public}/v1.0/security/alerts_v2?$top=150"));
    while let Some(url) = next.take() {
        let reply = http
            .get(url.replacen(public, actual, 1))
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK, "{url}");
        let page: Value = reply.json().await.unwrap();
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
        let page_number = out.len() - QUERIES.len();
        out.push((
            format!("page {page_number}"),
            200,
            page["value"].to_string(),
        ));
    }
    out
}

/// Asserts `got` equals `want`, showing the first differing answer around its first difference.
fn assert_same(label: &str, got: &[(String, u16, String)], want: &[(String, u16, String)]) {
    for (g, w) in got.iter().zip(want) {
        if g != w {
            let at =
                g.2.bytes()
                    .zip(w.2.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
            let window = |s: &str| {
                s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                    .unwrap_or(s)
                    .to_owned()
            };
            panic!(
                "{label}: {} answers differently ({} vs {}) at byte {at}:\n  got  {}\n  want {}",
                w.0,
                g.1,
                w.1,
                window(&g.2),
                window(&w.2)
            );
        }
    }
    assert_eq!(got.len(), want.len(), "{label}: number of answers");
}

/// `GET url`: status and body, with `$skiptoken` values masked: a skip token carries a hash of the
/// backend's SQL, so the two servers' tokens differ while the pages they lead to are the same.
async fn get(http: &Client, url: &str, bearer: &str) -> (u16, String) {
    let reply = http.get(url).bearer_auth(bearer).send().await.unwrap();
    let (status, body) = (reply.status().as_u16(), reply.text().await.unwrap());
    let mut parts = body.split("$skiptoken=");
    let mut masked = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let end = part.find(['&', '"']).unwrap_or(part.len());
        masked.push_str("$skiptoken=…");
        masked.push_str(&part[end..]);
    }
    (status, masked)
}

/// What the admin API lists.
async fn admin_lists(http: &Client, base: &str, data: &Path) -> Vec<Value> {
    let secret = std::fs::read_to_string(data.join("admin-token")).unwrap();
    let mut out = Vec::new();
    for path in ["tenants", "apps", "consents", "signing-keys"] {
        let reply = http
            .get(format!("{base}/secgraph/admin/v1/{path}"))
            .bearer_auth(secret.trim())
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK, "{path}");
        out.push(reply.json().await.unwrap());
    }
    out
}

/// The SQLite deployment: demo data, a second tenant with imported alerts, and an application with
/// a secret consented by both tenants. Returns (Fabrikam's tenant id, client id, secret).
async fn deploy(dir: &Path, data: &Path, demo_tenant: &str) -> (String, String, String) {
    let fabrikam = admin(dir, data, &["tenant", "create", "--name", "Fabrikam"]).await;
    let fabrikam = fabrikam["id"].as_str().unwrap().to_owned();
    for fixture in [
        "legacy-alerts-list_4-providers_cli-microsoft365.json",
        "alerts-v2_demisto.json",
    ] {
        let file = common::fixture(fixture);
        let args = [
            "import",
            "--tenant",
            &fabrikam,
            file.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ];
        let done = run(dir, &args, &[]).await;
        assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
    }
    let app = admin(
        dir,
        data,
        &[
            "app",
            "create",
            "--tenant",
            demo_tenant,
            "--name",
            "soar",
            "--multi-tenant",
            "--all-permissions",
        ],
    )
    .await;
    let client_id = app["clientId"].as_str().unwrap().to_owned();
    let secret = admin(dir, data, &["app", "add-secret", "--client-id", &client_id]).await;
    let secret = secret["secretText"].as_str().unwrap().to_owned();
    for tenant in [demo_tenant, &fabrikam] {
        admin(
            dir,
            data,
            &[
                "consent",
                "grant",
                "--tenant",
                tenant,
                "--client-id",
                &client_id,
            ],
        )
        .await;
    }
    (fabrikam, client_id, secret)
}

/// `secgraph serve --auth token --listen 127.0.0.1:0 ARGS`, announced.
async fn serve(dir: &Path, args: &[&str]) -> Server {
    let mut all = vec!["serve", "--auth", "token", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    Server::announced(Secgraph::spawn(dir, &all, &[])).await
}

/// `secgraph migrate --from FROM --to TO`.
async fn migrate(dir: &Path, from: &str, to: &str) -> Finished {
    run(dir, &["migrate", "--from", from, "--to", to], &[]).await
}

/// The migration succeeded and verified every table that the deployment fills.
fn assert_verified(done: &Finished) {
    assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
    let filled = [
        "tenants",
        "alerts",
        "alert_changes",
        "applications",
        "application_secrets",
        "consents",
        "signing_keys",
    ];
    for table in filled {
        let verified = done
            .stdout
            .lines()
            .any(|l| l.starts_with(&format!("verified {table}: ")) && !l.contains(": 0 rows"));
        assert!(verified, "{table} not verified or empty:\n{}", done.stdout);
    }
    assert!(
        done.stdout.contains("every table verified"),
        "{}",
        done.stdout
    );
}

#[test]
fn a_sqlite_deployment_migrated_to_postgres_answers_the_same() {
    testdb::run(
        "a_sqlite_deployment_migrated_to_postgres_answers_the_same",
        Backend::Postgres,
        migrated_deployment_answers_the_same,
    );
}

async fn migrated_deployment_answers_the_same() {
    let postgres = TestDatabase::on(Backend::Postgres);
    let dir = tempfile::tempdir().unwrap();
    let (old_data, new_data) = (dir.path().join("sqlite"), dir.path().join("postgres"));
    let old_dir = old_data.to_str().unwrap();
    let old = serve(
        dir.path(),
        &["--demo", "--demo-anchor", ANCHOR, "--data-dir", old_dir],
    )
    .await;
    let creds = std::fs::read_to_string(old_data.join("demo-credentials.json")).unwrap();
    let creds: Value = serde_json::from_str(&creds).unwrap();
    let demo = creds["tenantId"].as_str().unwrap();
    let (fabrikam, client_id, secret) = deploy(dir.path(), &old_data, demo).await;
    let logins = [
        (
            demo,
            creds["clientId"].as_str().unwrap(),
            creds["clientSecret"].as_str().unwrap(),
        ),
        (demo, client_id.as_str(), secret.as_str()),
        (fabrikam.as_str(), client_id.as_str(), secret.as_str()),
    ];
    let http = common::client();
    let (mut before, mut old_tokens) = (Vec::new(), Vec::new());
    for (tenant, id, secret) in logins {
        let bearer = token(&http, &old.url, tenant, id, secret).await;
        before.push(answers(&http, &old.url, &old.url, &bearer).await);
        old_tokens.push(bearer);
    }
    assert_eq!(before[0][0].2, "640", "demo alerts_v2 $count");
    assert_eq!(before[0], before[1], "both apps see the demo tenant");
    assert_ne!(before[2][0].2, "0", "Fabrikam has imported alerts");
    let admin_before = admin_lists(&http, &old.url, &old_data).await;
    let public = old.url.clone();
    old.stop().await;

    let from = format!("sqlite:{}", old_data.join("secgraph.sqlite").display());
    assert_verified(&migrate(dir.path(), &from, postgres.url()).await);
    let again = migrate(dir.path(), &from, postgres.url()).await;
    assert!(
        !again.status.success(),
        "the now full target must be refused"
    );
    assert!(again.stderr.contains("--force"), "{}", again.stderr);

    // The old public URL, so that tokens (issuer, audience) and @odata links are the old server's.
    let new_dir = new_data.to_str().unwrap();
    let args = [
        "--public-url",
        &public,
        "--database",
        postgres.url(),
        "--data-dir",
        new_dir,
    ];
    let new = serve(dir.path(), &args).await;
    for (i, (tenant, id, secret)) in logins.into_iter().enumerate() {
        let fresh = token(&http, &new.url, tenant, id, secret).await;
        let got = answers(&http, &public, &new.url, &fresh).await;
        assert_same(&format!("login {i}, new token"), &got, &before[i]);
        let got = answers(&http, &public, &new.url, &old_tokens[i]).await;
        assert_same(&format!("login {i}, token issued before"), &got, &before[i]);
    }
    assert_eq!(admin_lists(&http, &new.url, &new_data).await, admin_before);
    let wrong = token_reply(&http, &new.url, demo, &client_id, "not-the-secret").await;
    assert_ne!(wrong.status(), StatusCode::OK);
    new.stop().await;
}
