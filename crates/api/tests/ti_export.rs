//! `GET /secgraph/v1/tiIndicators/export` over HTTP on both backends: every type and format, the
//! action rules (passive-only never blocks, inactive never exported, no action is alert), exact
//! expiry on the server clock, ETag/304, token scope (the app's indicators) against key scope (the
//! tenant's), tenant isolation of keys, revocation, parameter errors, and the admin key API that
//! never shows a key twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::permission::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use testkit::{Reply, TestServer};

const EXPORT: &str = "/secgraph/v1/tiIndicators/export";
const INDICATORS: &str = "/beta/security/tiIndicators";
const OWNED_BY: Permission = Permission::ThreatIndicatorsReadWriteOwnedBy;

/// A valid indicator with `action` (`null` for none) and the properties of `extra`.
fn indicator(action: Value, extra: Value) -> Value {
    let mut body = json!({
        "action": action,
        "description": "export test",
        "expirationDateTime": "2099-01-01T00:00:00Z",
        "targetProduct": "Azure Sentinel",
        "threatType": "C2",
        "tlpLevel": "amber"
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// Creates an indicator (as `token`'s app, or as the emulator) and returns its id.
async fn create(server: &TestServer, token: Option<&str>, body: Value) -> String {
    let reply = match token {
        Some(t) => {
            server
                .send_as(t, Method::POST, INDICATORS, Some(&body))
                .await
        }
        None => server.post(INDICATORS, &body).await,
    };
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// A new export key of `tenant` through the admin API.
async fn new_key(server: &TestServer, tenant: &str, description: &str) -> Value {
    let path = format!("/tenants/{tenant}/export-keys");
    let reply = server
        .admin(
            Method::POST,
            &path,
            Some(&json!({"description": description})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()
}

async fn poll(server: &TestServer, key: &str, query: &str) -> Reply {
    let path = format!("{EXPORT}?{query}");
    server
        .send(Method::GET, &path, None, &[("x-api-key", key)])
        .await
}

async fn poll_text(server: &TestServer, key: &str, query: &str) -> String {
    let reply = poll(server, key, query).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply.text
}

fn sorted(mut ids: Vec<&str>) -> String {
    ids.sort_unstable();
    ids.join(" ")
}

testdb::conformance! {
    async fn every_type_lists_normal_forms_sorted_and_once() {
        let server = TestServer::start().await;
        let sha = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        create(&server, None, indicator(json!("block"), json!({
            "networkDestinationIPv4": "203.0.113.7", "networkCidrBlock": "11.1.2.3/8",
            "domainName": "Evil.Example.", "url": "HTTPS://Evil.Example:443/Drop.exe#x",
            "fileHashType": "sha256", "fileHashValue": sha, "emailSenderAddress": "Bad@Evil.Example"
        }))).await;
        create(&server, None, indicator(json!("alert"), json!({
            "networkSourceIPv6": "2001:DB8::1", "networkSourceCidrBlock": "192.0.2.9/32",
            "domainName": "evil.example", "emailRecipient": "ceo@victim.example"
        }))).await;
        create(&server, None, indicator(json!("block"), json!({
            "networkDestinationIPv4": "203.0.113.7", "networkDestinationCidrBlock": "2001:db8:ff::/48",
            "networkIPv4": "5.5.5.5"
        }))).await;
        let key = new_key(&server, server.tenant.as_str(), "all types").await["key"].as_str().unwrap().to_owned();

        let ip = poll(&server, &key, "type=ip").await;
        assert_eq!(ip.status, 200, "{}", ip.text);
        assert_eq!(ip.header("content-type"), Some("text/plain; charset=utf-8"));
        assert_eq!(ip.header("cache-control"), Some("no-cache"));
        assert_eq!(ip.text, "5.5.5.5\n11.0.0.0/8\n192.0.2.9\n203.0.113.7\n2001:db8::1\n2001:db8:ff::/48\n");
        assert_eq!(poll_text(&server, &key, "type=domain").await, "evil.example\n", "one line whatever its actions");
        assert_eq!(poll_text(&server, &key, "type=url").await, "https://evil.example/Drop.exe\n");
        assert_eq!(poll_text(&server, &key, "type=hash").await, format!("{}\n", sha.to_lowercase()));
        assert_eq!(poll_text(&server, &key, "type=email").await, "bad@evil.example\nceo@victim.example\n");
        assert_eq!(poll_text(&server, &key, "type=ip&format=TEXT").await, ip.text, "values are case-insensitive");
    }

    async fn csv_merges_duplicates_per_value_and_action() {
        let server = TestServer::start().await;
        let a = create(&server, None, indicator(json!("block"), json!({
            "url": "http://x.example/a,b", "confidence": 40, "expirationDateTime": "2098-01-01T00:00:00Z"
        }))).await;
        let b = create(&server, None, indicator(json!("block"), json!({
            "url": "http://x.example/a,b", "confidence": 90, "threatType": "Malware"
        }))).await;
        let c = create(&server, None, indicator(json!("alert"), json!({"url": "http://x.example/a,b"}))).await;
        let d = create(&server, None, indicator(json!("block"), json!({
            "fileHashType": "md5", "fileHashValue": "D41D8CD98F00B204E9800998ECF8427E"
        }))).await;
        let key = new_key(&server, server.tenant.as_str(), "csv").await["key"].as_str().unwrap().to_owned();

        let reply = poll(&server, &key, "type=url&format=csv").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
        let want = format!(
            "value,type,action,indicatorIds,expirationDateTime,threatType,confidence\r\n\
             \"http://x.example/a,b\",url,block,{},2099-01-01T00:00:00.0000000Z,C2 Malware,90\r\n\
             \"http://x.example/a,b\",url,alert,{c},2099-01-01T00:00:00.0000000Z,C2,\r\n",
            sorted(vec![&a, &b])
        );
        assert_eq!(reply.text, want);
        let hashes = poll_text(&server, &key, "type=hash&format=csv&action=block").await;
        assert!(hashes.ends_with(&format!("\r\nd41d8cd98f00b204e9800998ecf8427e,md5,block,{d},2099-01-01T00:00:00.0000000Z,C2,\r\n")), "{hashes}");
    }

    async fn actions_follow_passive_only_activity_and_defaults() {
        let server = TestServer::start().await;
        create(&server, None, indicator(json!("block"), json!({"domainName": "blocked.example"}))).await;
        create(&server, None, indicator(json!("block"), json!({"domainName": "passive.example", "passiveOnly": true}))).await;
        create(&server, None, indicator(json!("block"), json!({"domainName": "inactive.example", "isActive": false}))).await;
        create(&server, None, indicator(json!("allow"), json!({"domainName": "allowed.example"}))).await;
        create(&server, None, indicator(json!("alert"), json!({"domainName": "watched.example"}))).await;
        create(&server, None, indicator(Value::Null, json!({"domainName": "quiet.example"}))).await;
        let key = new_key(&server, server.tenant.as_str(), "actions").await["key"].as_str().unwrap().to_owned();

        assert_eq!(poll_text(&server, &key, "type=domain&action=block").await, "blocked.example\n");
        assert_eq!(poll_text(&server, &key, "type=domain&action=alert").await, "passive.example\nquiet.example\nwatched.example\n");
        assert_eq!(poll_text(&server, &key, "type=domain&action=allow").await, "allowed.example\n");
        let all = poll_text(&server, &key, "type=domain").await;
        assert_eq!(all, "allowed.example\nblocked.example\npassive.example\nquiet.example\nwatched.example\n");
        assert!(!all.contains("inactive"), "inactive indicators are never exported");
    }

    async fn an_expired_indicator_disappears_exactly_at_its_expiry() {
        let server = TestServer::start().await;
        create(&server, None, indicator(json!("block"), json!({
            "networkIPv4": "198.51.100.1", "expirationDateTime": "2026-11-01T01:00:00Z"
        }))).await;
        create(&server, None, indicator(json!("block"), json!({"networkIPv4": "198.51.100.2"}))).await;
        let key = new_key(&server, server.tenant.as_str(), "expiry").await["key"].as_str().unwrap().to_owned();

        server.clock.advance(Duration::from_secs(3599));
        let before = poll(&server, &key, "type=ip").await;
        assert_eq!(before.text, "198.51.100.1\n198.51.100.2\n", "one second before expiry");
        server.clock.advance(Duration::from_secs(1));
        let at = poll(&server, &key, "type=ip").await;
        assert_eq!(at.text, "198.51.100.2\n", "gone at its expirationDateTime");
        assert_ne!(at.header("etag"), before.header("etag"));
        let etag = before.header("etag").unwrap();
        let stale = server
            .send(Method::GET, &format!("{EXPORT}?type=ip"), None, &[("x-api-key", &key), ("if-none-match", etag)])
            .await;
        assert_eq!(stale.status, 200, "an old ETag gets the new list");
    }

    async fn etag_and_if_none_match_give_304_until_the_list_changes() {
        let server = TestServer::start().await;
        create(&server, None, indicator(json!("block"), json!({"domainName": "a.example"}))).await;
        let key = new_key(&server, server.tenant.as_str(), "etag").await["key"].as_str().unwrap().to_owned();
        let first = poll(&server, &key, "type=domain").await;
        let etag = first.header("etag").unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"), "strong: {etag}");
        assert_eq!(poll(&server, &key, "type=domain").await.header("etag"), Some(etag.as_str()), "stable");

        for tag in [etag.clone(), format!("\"other\", W/{etag}"), "*".to_owned()] {
            let again = server
                .send(Method::GET, &format!("{EXPORT}?type=domain"), None, &[("x-api-key", &key), ("if-none-match", &tag)])
                .await;
            assert_eq!(again.status, 304, "If-None-Match: {tag}");
            assert_eq!(again.text, "");
            assert_eq!(again.header("etag"), Some(etag.as_str()));
            assert_eq!(again.header("cache-control"), Some("no-cache"));
        }
        assert_ne!(poll(&server, &key, "type=domain&format=csv").await.header("etag"), Some(etag.as_str()), "per representation");

        create(&server, None, indicator(json!("block"), json!({"domainName": "b.example"}))).await;
        let changed = server
            .send(Method::GET, &format!("{EXPORT}?type=domain"), None, &[("x-api-key", &key), ("if-none-match", &etag)])
            .await;
        assert_eq!(changed.status, 200);
        assert_eq!(changed.text, "a.example\nb.example\n");
    }

    async fn stix_bundles_hold_only_the_requested_type() {
        let server = TestServer::start().await;
        create(&server, None, indicator(json!("block"), json!({"domainName": "evil.example", "networkIPv4": "203.0.113.9"}))).await;
        create(&server, None, indicator(json!("alert"), json!({"url": "http://only-url.example/x"}))).await;
        let key = new_key(&server, server.tenant.as_str(), "stix").await["key"].as_str().unwrap().to_owned();

        let reply = poll(&server, &key, "type=domain&format=stix").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.header("content-type"), Some("application/stix+json;version=2.1"));
        let bundle = reply.json();
        assert_eq!(bundle["type"], "bundle");
        let indicators: Vec<&Value> = bundle["objects"].as_array().unwrap().iter().filter(|o| o["type"] == "indicator").collect();
        assert_eq!(indicators.len(), 1, "{bundle}");
        assert_eq!(indicators[0]["pattern"], "[domain-name:value = 'evil.example']");
        assert_eq!(poll(&server, &key, "type=domain&format=stix").await.text, reply.text, "deterministic");
        let none = poll(&server, &key, "type=domain&format=stix&action=alert").await.json();
        assert_eq!(none["objects"].as_array().map(Vec::len).unwrap_or(0), 0, "{none}");
    }

    async fn a_token_exports_its_apps_indicators_and_a_key_its_tenants() {
        let server = TestServer::builder().tokens().start().await;
        let tenant = server.tenant.clone();
        let first = server.token_with(&tenant, &[OWNED_BY]).await;
        let second = server.token_with(&tenant, &[OWNED_BY]).await;
        create(&server, Some(&first), indicator(json!("block"), json!({"domainName": "first.example"}))).await;
        create(&server, Some(&second), indicator(json!("block"), json!({"domainName": "second.example"}))).await;
        let other_tenant = server.create_tenant("Other").await;
        let other_app = server.token_with(&other_tenant, &[OWNED_BY]).await;
        create(&server, Some(&other_app), indicator(json!("block"), json!({"domainName": "other.example"}))).await;

        let path = format!("{EXPORT}?type=domain");
        let by_first = server.get_as(&first, &path).await;
        assert_eq!((by_first.status.as_u16(), by_first.text.as_str()), (200, "first.example\n"));
        assert_eq!(server.get_as(&second, &path).await.text, "second.example\n");

        let ours = new_key(&server, tenant.as_str(), "ours").await["key"].as_str().unwrap().to_owned();
        let theirs = new_key(&server, other_tenant.as_str(), "theirs").await["key"].as_str().unwrap().to_owned();
        assert_eq!(poll_text(&server, &ours, "type=domain").await, "first.example\nsecond.example\n");
        assert_eq!(poll_text(&server, &theirs, "type=domain").await, "other.example\n", "another tenant's key never sees ours");

        let alerts_only = server.token_with(&tenant, &[Permission::SecurityAlertReadAll]).await;
        let denied = server.get_as(&alerts_only, &path).await;
        assert_eq!(denied.status, 403, "{}", denied.text);
        assert_eq!(denied.json()["error"]["code"], "accessDenied");
        assert!(denied.text.contains("ThreatIndicators.ReadWrite.OwnedBy"), "{}", denied.text);
        let anonymous = server.get(&path).await;
        assert_eq!(anonymous.status, 401);
        assert_eq!(anonymous.json()["error"]["code"], "InvalidAuthenticationToken");
        assert!(anonymous.text.contains("X-Api-Key"), "says how to authenticate: {}", anonymous.text);
    }

    async fn keys_work_in_every_place_and_fail_with_401_once_revoked() {
        let server = TestServer::builder().tokens().start().await;
        let tenant = server.tenant.to_string();
        let token = server.token_with(&server.tenant, &[OWNED_BY]).await;
        create(&server, Some(&token), indicator(json!("block"), json!({"networkIPv4": "192.0.2.1"}))).await;
        let created = new_key(&server, &tenant, "edge").await;
        let key = created["key"].as_str().unwrap().to_owned();
        let id = created["id"].as_str().unwrap().to_owned();

        let bearer = format!("Bearer {key}");
        let in_header = server.send(Method::GET, &format!("{EXPORT}?type=ip"), None, &[("authorization", &bearer)]).await;
        assert_eq!((in_header.status.as_u16(), in_header.text.as_str()), (200, "192.0.2.1\n"));
        let in_query = server.get(&format!("{EXPORT}?type=ip&key={key}")).await;
        assert_eq!(in_query.text, "192.0.2.1\n");
        assert_eq!(poll_text(&server, &key, "type=ip").await, "192.0.2.1\n");

        let both = server.send(Method::GET, &format!("{EXPORT}?type=ip&key={key}"), None, &[("x-api-key", &key)]).await;
        assert_eq!(both.status, 400, "{}", both.text);
        assert!(both.text.contains("Send one credential"), "{}", both.text);

        let mut wrong = key.clone();
        wrong.replace_range(wrong.len() - 2.., if key.ends_with("AA") { "BB" } else { "AA" });
        for (presented, says) in [(wrong.as_str(), "not valid"), ("hunter2", "not an export key")] {
            let refused = poll(&server, presented, "type=ip").await;
            assert_eq!(refused.status, 401, "{}", refused.text);
            assert_eq!(refused.json()["error"]["code"], "InvalidAuthenticationToken");
            assert!(refused.text.contains(says), "{}", refused.text);
            assert!(refused.json()["error"]["innerError"]["request-id"].is_string());
        }

        let revoked = server.admin(Method::DELETE, &format!("/tenants/{tenant}/export-keys/{id}"), None).await;
        assert_eq!(revoked.status, 200, "{}", revoked.text);
        assert!(revoked.json()["revokedDateTime"].is_string());
        let refused = poll(&server, &key, "type=ip").await;
        assert_eq!(refused.status, 401, "revoked keys fail at once: {}", refused.text);
        assert!(refused.text.contains("revoked"), "{}", refused.text);
        let other = server.create_tenant("Other").await;
        let elsewhere = server.admin(Method::DELETE, &format!("/tenants/{other}/export-keys/{id}"), None).await;
        assert_eq!(elsewhere.status, 404, "a key is revoked only through its tenant: {}", elsewhere.text);
    }

    async fn bad_parameters_get_a_400_naming_the_parameter_and_its_values() {
        let server = TestServer::start().await;
        for (query, needle) in [
            ("", "'type' parameter is required; use one of: ip, domain, url, hash, email"),
            ("type=mac", "'type' parameter must be one of: ip, domain, url, hash, email; got 'mac'"),
            ("type=ip&action=drop", "'action' parameter must be one of: block, alert, allow; got 'drop'"),
            ("type=ip&format=json", "'format' parameter must be one of: text, csv, stix; got 'json'"),
            ("type=ip&type=url", "'type' parameter is given more than once"),
            ("type=ip&$top=5", "Unknown parameter '$top'"),
        ] {
            let reply = server.get(&format!("{EXPORT}?{query}")).await;
            assert_eq!(reply.status, 400, "{query}: {}", reply.text);
            assert_eq!(reply.json()["error"]["code"], "BadRequest");
            assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{query}: {}", reply.text);
        }
    }

    async fn the_admin_api_shows_a_key_once_and_never_its_hash() {
        let server = TestServer::start().await;
        let tenant = server.tenant.to_string();
        let created = new_key(&server, &tenant, "  proxy  ").await;
        let key = created["key"].as_str().unwrap();
        assert!(key.starts_with("sgx_"), "{created}");
        assert_eq!(created["hint"], key[key.len() - 4..]);
        assert_eq!(created["description"], "proxy");
        assert_eq!(created["revokedDateTime"], Value::Null);

        let listed = server.admin(Method::GET, &format!("/tenants/{tenant}/export-keys"), None).await;
        assert_eq!(listed.status, 200, "{}", listed.text);
        let items = listed.json();
        assert_eq!(items.as_array().unwrap().len(), 1);
        let item = &items[0];
        let mut fields: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["createdDateTime", "description", "hint", "id", "revokedDateTime", "tenantId"]);
        assert!(!listed.text.contains(&key[41..]), "the secret is never listed");

        let empty = server.admin(Method::POST, &format!("/tenants/{tenant}/export-keys"), None).await;
        assert_eq!(empty.status, 201, "the body is optional: {}", empty.text);
        let bad = server.admin(Method::POST, &format!("/tenants/{tenant}/export-keys"), Some(&json!({"descripton": "typo"}))).await;
        assert_eq!(bad.status, 400);
        assert!(bad.text.contains("descripton"), "{}", bad.text);
        let unknown = server.admin(Method::POST, "/tenants/00000000-0000-0000-0000-0000000000ff/export-keys", None).await;
        assert_eq!(unknown.status, 404, "{}", unknown.text);
        let no_admin = server.send(Method::GET, &format!("/secgraph/admin/v1/tenants/{tenant}/export-keys"), None, &[]).await;
        assert_eq!(no_admin.status, 401, "the admin credential is required");
    }
}
