//! `security/securityActions` over HTTP on both backends, with real tokens: create (Microsoft's
//! example body, case-insensitive action and parameter names, refusals that name what to send),
//! list/get/`$count`, cancel, beta only, permissions, tenant isolation, and the provider's status
//! callback (served here on a router of its own until the lead mounts it in `api::router`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::provider::action_status::{report_action_status, PATH as STATUS_PATH};
use api::{ApiConfig, AppState, Authenticator};
use auth::permission::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use store::security_actions::{ActionJob, ACTION_CANCEL_KIND, ACTION_KIND};
use store::NewProvider;
use testkit::{Reply, TestApp, TestServer};

const BASE: &str = "/beta/security/securityActions";

/// Microsoft's example request (`securityaction-create-request.json`).
fn example_request() -> Value {
    json!({
        "name": "BlockIp",
        "actionReason": "Test",
        "parameters": [{"name": "IP", "value": "1.2.3.4"}],
        "vendorInformation": {"provider": "Windows Defender ATP", "vendor": "Microsoft"}
    })
}

/// A test world: a caller application holding `SecurityActions.ReadWrite.All` and a provider
/// ("Windows Defender ATP" of "Microsoft", offering `blockIp {ip}` and `isolateDevice {deviceId}`)
/// enabled in the server's tenant.
struct World {
    server: TestServer,
    caller: TestApp,
    token: String,
    provider: TestApp,
    provider_id: String,
}

async fn world() -> World {
    let server = TestServer::builder().tokens().start().await;
    let tenant = server.tenant.clone();
    let caller = server.register_app(&tenant).await;
    server
        .grant(&tenant, &caller, &[Permission::SecurityActionsReadWriteAll])
        .await;
    let token = server.token(&tenant, &caller).await;
    let home = server.create_tenant("Microsoft").await;
    let provider = server.register_app(&home).await;
    let provider_id =
        register_provider(&server, &provider, "Windows Defender ATP", "Microsoft").await;
    server
        .grant(&tenant, &provider, &[Permission::SecurityAlertReadWriteAll])
        .await;
    World {
        server,
        caller,
        token,
        provider,
        provider_id,
    }
}

async fn register_provider(server: &TestServer, app: &TestApp, name: &str, vendor: &str) -> String {
    let manifest = serde_json::from_value(json!({
        "protocolVersion": 1, "name": name, "vendor": vendor, "mode": "push",
        "callbackBaseUrl": "https://provider.example/secgraph",
        "actions": [
            {"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]},
            {"name": "isolateDevice", "parameters": [{"name": "deviceId", "type": "string"}]}
        ]
    }))
    .unwrap();
    let new = NewProvider {
        client_id: app.client_id.clone(),
        manifest,
        allow_private: false,
    };
    server.store.providers().register(new).await.unwrap().0.id
}

impl World {
    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        self.server.send_as(&self.token, method, path, body).await
    }

    async fn create(&self, body: &Value) -> Reply {
        self.call(Method::POST, BASE, Some(body)).await
    }

    /// Creates an action and returns its id.
    async fn created(&self, body: &Value) -> String {
        let reply = self.create(body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// The 400 message of creating `body`.
    async fn refusal(&self, body: &Value) -> String {
        let reply = self.create(body).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert_eq!(reply.json()["error"]["code"], "BadRequest");
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

testdb::conformance! {
    async fn create_answers_201_with_the_example_shape() {
        let w = world().await;
        let reply = w.create(&example_request()).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let body = reply.json();
        let id = body["id"].as_str().unwrap();
        let example_keys = ["id", "status", "createdDateTime", "lastActionDateTime", "name", "actionReason",
                            "errorInfo", "vendorInformation", "parameters"];
        for key in example_keys.iter().chain(&["appId", "azureTenantId", "clientContext", "completedDateTime", "states", "user"]) {
            assert!(body.get(*key).is_some(), "{key} missing: {body}");
        }
        assert_eq!(body["@odata.context"], format!("{}/beta/$metadata#security/securityActions/$entity", w.server.base_url));
        assert_eq!(body["@odata.type"], "#microsoft.graph.securityAction");
        assert_eq!(body["status"], "NotStarted");
        assert_eq!(body["name"], "blockIp");
        assert_eq!(body["actionReason"], "Test");
        assert_eq!(body["parameters"], json!([{"name": "ip", "value": "1.2.3.4"}]));
        assert_eq!(body["vendorInformation"], json!({"provider": "Windows Defender ATP", "providerVersion": null, "subProvider": null, "vendor": "Microsoft"}));
        assert_eq!(body["appId"], w.caller.client_id.as_str());
        assert_eq!(body["azureTenantId"], w.server.tenant.as_str());
        assert_eq!(body["createdDateTime"], "2026-11-01T00:00:00.0000000Z");
        assert_eq!(body["lastActionDateTime"], body["createdDateTime"]);
        assert!(body["errorInfo"].is_null() && body["completedDateTime"].is_null() && body["user"].is_null());
        assert_eq!(body["states"], json!([{"appId": w.caller.client_id, "status": "NotStarted",
                                           "updatedDateTime": "2026-11-01T00:00:00.0000000Z", "user": null}]));
        assert_eq!(reply.header("location").unwrap(), format!("{}{BASE}/{id}", w.server.base_url));

        let jobs = w.server.store.outbox().claim(&[ACTION_KIND], 10, std::time::Duration::from_secs(60), "t").await.unwrap();
        assert_eq!(jobs.len(), 1, "one outbox row carries the action to its provider");
        let job: ActionJob = serde_json::from_value(jobs[0].payload.clone()).unwrap();
        assert_eq!((job.provider_id.as_str(), job.invocation.action_id.as_str()), (w.provider_id.as_str(), id));
        assert_eq!(job.invocation.requested_by.as_deref(), Some(w.caller.client_id.as_str()));
    }

    async fn action_provider_and_parameter_names_match_in_any_case() {
        let w = world().await;
        let body = json!({"name": "bLOCKip", "parameters": [{"name": "Ip", "value": "[::ffff:10.0.0.1]"}],
                          "vendorInformation": {"provider": "windows defender atp"}, "status": "notStarted",
                          "@odata.type": "#microsoft.graph.securityAction", "states": []});
        let reply = w.create(&body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.json()["name"], "blockIp");
        assert_eq!(reply.json()["parameters"], json!([{"name": "ip", "value": "10.0.0.1"}]));
        let isolate = json!({"name": "IsolateDevice", "parameters": [], "clientContext": "c".repeat(256),
                             "vendorInformation": {"provider": "Windows Defender ATP", "vendor": "MICROSOFT"}});
        let reply = w.create(&isolate).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.json()["parameters"], json!([]));
    }

    async fn refusals_name_what_to_send() {
        let w = world().await;
        let offered = w.refusal(&with(example_request(), "name", json!("quarantineFile"))).await;
        assert!(offered.contains("quarantineFile") && offered.contains("blockIp, isolateDevice"), "{offered}");
        let not_ip = w.refusal(&with(example_request(), "parameters", json!([{"name": "IP", "value": "not-an-ip"}]))).await;
        assert!(not_ip.contains("parameters[0]") && not_ip.contains("'ip' (type ip)"), "{not_ip}");
        let missing = w.refusal(&with(example_request(), "parameters", json!([]))).await;
        assert!(missing.contains("requires parameter 'ip'"), "{missing}");
        let undeclared = w.refusal(&with(example_request(), "parameters", json!([{"name": "IP", "value": "1.2.3.4"}, {"name": "port", "value": "80"}]))).await;
        assert!(undeclared.contains("port") && undeclared.contains("its parameters are: ip"), "{undeclared}");
        let unknown = w.refusal(&with(example_request(), "vendorInformation", json!({"provider": "Nope", "vendor": "X"}))).await;
        assert!(unknown.contains("'Nope'") && unknown.contains("'Windows Defender ATP' (vendor 'Microsoft')"), "{unknown}");
        let wrong_vendor = w.refusal(&with(example_request(), "vendorInformation", json!({"provider": "Windows Defender ATP", "vendor": "Contoso"}))).await;
        assert!(wrong_vendor.contains("Contoso"), "{wrong_vendor}");
        for (key, value, needle) in [
            ("clientContext", json!("c".repeat(257)), "clientContext"),
            ("status", json!("Running"), "status"),
            ("status", json!("Done"), "status"),
            ("parameters", Value::Null, "parameters"),
            ("vendorInformation", Value::Null, "vendorInformation"),
            ("name", json!(""), "name"),
            ("actionReasons", json!("typo"), "actionReasons"),
        ] {
            let message = w.refusal(&with(example_request(), key, value)).await;
            assert!(message.contains(needle), "{key}: {message}");
        }
        let list = w.get(BASE).await;
        assert_eq!(list.json()["value"], json!([]), "nothing refused was stored");
        assert_eq!(w.server.store.outbox().pending(None).await.unwrap(), 0);
    }

    async fn list_get_count_and_filter() {
        let w = world().await;
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(w.created(&with(example_request(), "parameters", json!([{"name": "ip", "value": format!("10.0.0.{i}")}]))).await);
            w.server.clock.advance(std::time::Duration::from_secs(1));
        }
        let first = w.get(&format!("{BASE}?$top=2&$count=true")).await;
        assert_eq!(first.status, 200, "{}", first.text);
        let page = first.json();
        assert_eq!(page["@odata.context"], format!("{}/beta/$metadata#security/securityActions", w.server.base_url));
        assert_eq!(page["@odata.count"], 3);
        assert_eq!(page["value"][0]["@odata.type"], "#microsoft.graph.securityAction");
        let mut seen: Vec<String> = page["value"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
        let next = w.get(page["@odata.nextLink"].as_str().unwrap()).await.json();
        seen.extend(next["value"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()));
        assert!(next.get("@odata.nextLink").is_none());
        assert_eq!(seen, ids.iter().rev().cloned().collect::<Vec<_>>(), "newest first");

        let count = w.get(&format!("{BASE}/$count")).await;
        assert_eq!((count.status.as_u16(), count.text.as_str()), (200, "3"));
        let got = w.get(&format!("{BASE}/{}", ids[1])).await;
        assert_eq!(got.status, 200);
        assert_eq!(got.json()["parameters"][0]["value"], "10.0.0.1");
        let selected = w.get(&format!("{BASE}/{}?$select=status,name", ids[1])).await.json();
        let keys: Vec<&String> = selected.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["@odata.context", "@odata.type", "id", "name", "status"], "{selected}");
        assert_eq!(w.get(&format!("{BASE}/nope")).await.status, 404);

        let cancel = w.call(Method::POST, &format!("{BASE}/{}/cancelSecurityAction", ids[0]), None).await;
        assert_eq!(cancel.status, 200, "{}", cancel.text);
        let failed = w.get(&format!("{BASE}?$filter=status eq 'failed'")).await.json();
        assert_eq!(failed["value"].as_array().unwrap().len(), 1);
        assert_eq!(w.get(&format!("{BASE}/$count?$filter=status eq 'NotStarted'")).await.text, "2");
        let by_name = w.get(&format!("{BASE}?$filter=name eq 'blockIp'")).await;
        assert_eq!(by_name.status, 400);
        assert!(by_name.text.contains("name"), "{}", by_name.text);

        let other = w.server.create_tenant("Other").await;
        let outsider = w.server.token_with(&other, &[Permission::SecurityActionsReadWriteAll]).await;
        assert_eq!(w.server.get_as(&outsider, &format!("{BASE}/{}", ids[1])).await.status, 404);
        assert_eq!(w.server.get_as(&outsider, &format!("{BASE}/$count")).await.text, "0");
        let foreign = w.server.send_as(&outsider, Method::POST, BASE, Some(&example_request())).await;
        assert_eq!(foreign.status, 400, "the provider is not enabled in the other tenant: {}", foreign.text);
        assert!(foreign.text.contains("no provider is"), "{}", foreign.text);
    }

    async fn cancel_ends_failed_with_error_info() {
        let w = world().await;
        let id = w.created(&example_request()).await;
        w.server.clock.advance(std::time::Duration::from_secs(60));
        let reply = w.call(Method::POST, &format!("{BASE}/{id}/cancelSecurityAction"), None).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(reply.text.is_empty());
        let action = w.get(&format!("{BASE}/{id}")).await.json();
        assert_eq!(action["status"], "Failed");
        assert_eq!(action["completedDateTime"], "2026-11-01T00:01:00.0000000Z");
        let message = action["errorInfo"]["message"].as_str().unwrap();
        assert!(message.contains(&w.caller.client_id) && message.contains("2026-11-01T00:01:00"), "{message}");
        assert_eq!(action["errorInfo"]["code"], 0);
        assert_eq!(action["states"].as_array().unwrap().len(), 2);
        assert_eq!(action["states"][1]["status"], "Failed");
        assert_eq!(w.server.store.outbox().pending(Some(ACTION_CANCEL_KIND)).await.unwrap(), 1);

        let again = w.call(Method::POST, &format!("{BASE}/{id}/cancelSecurityAction"), None).await;
        assert_eq!(again.status, 400);
        assert!(again.text.contains("already Failed"), "{}", again.text);
        let second = w.created(&example_request()).await;
        let qualified = w.call(Method::POST, &format!("{BASE}/{second}/microsoft.graph.cancelSecurityAction"), None).await;
        assert_eq!(qualified.status, 200, "the SDKs' qualified action name: {}", qualified.text);
        assert_eq!(w.call(Method::POST, &format!("{BASE}/nope/cancelSecurityAction"), None).await.status, 404);
        for method in [Method::PATCH, Method::DELETE] {
            let reply = w.call(method.clone(), &format!("{BASE}/{id}"), Some(&json!({"status": "Completed"}))).await;
            assert_eq!(reply.status, 405, "{method}: {}", reply.text);
        }
    }

    async fn v1_0_does_not_know_security_actions() {
        let w = world().await;
        let id = w.created(&example_request()).await;
        for (method, path) in [
            (Method::GET, "/v1.0/security/securityActions".to_owned()),
            (Method::POST, "/v1.0/security/securityActions".to_owned()),
            (Method::GET, "/v1.0/security/securityActions/$count".to_owned()),
            (Method::GET, format!("/v1.0/security/securityActions/{id}")),
            (Method::POST, format!("/v1.0/security/securityActions/{id}/cancelSecurityAction")),
        ] {
            let body = (method == Method::POST).then(example_request);
            let reply = w.call(method.clone(), &path, body.as_ref()).await;
            // As Graph answers: the segment is unknown under v1.0.
            assert_eq!(reply.status, 400, "{method} {path}: {}", reply.text);
            assert_eq!(reply.json()["error"]["code"], "BadRequest");
            let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains("Resource not found for the segment 'securityActions'"), "{message}");
        }
        assert_eq!(w.get(&format!("{BASE}/{id}")).await.json()["status"], "NotStarted", "v1.0 cancelled nothing");
    }

    async fn permissions_are_application_security_actions_ones() {
        let w = world().await;
        let tenant = w.server.tenant.clone();
        let reader = w.server.token_with(&tenant, &[Permission::SecurityActionsReadAll]).await;
        let id = w.created(&example_request()).await;
        assert_eq!(w.server.get_as(&reader, &format!("{BASE}/{id}")).await.status, 200);
        let create = w.server.send_as(&reader, Method::POST, BASE, Some(&example_request())).await;
        assert_eq!(create.status, 403, "{}", create.text);
        assert!(create.text.contains("SecurityActions.ReadWrite.All"), "{}", create.text);
        let cancel = w.server.send_as(&reader, Method::POST, &format!("{BASE}/{id}/cancelSecurityAction"), None).await;
        assert_eq!(cancel.status, 403);
        let alerts_only = w.server.token_with(&tenant, &[Permission::SecurityAlertReadWriteAll]).await;
        let list = w.server.get_as(&alerts_only, BASE).await;
        assert_eq!(list.status, 403, "{}", list.text);
        assert!(list.text.contains("SecurityActions.Read.All"), "{}", list.text);
    }

    async fn the_provider_reports_status_through_its_callback() {
        let w = world().await;
        let id = w.created(&example_request()).await;
        let status_base = serve_status_endpoint(&w.server).await;
        let provider_token = w.server.token(&w.server.tenant, &w.provider).await;
        let report = |token: String, id: String, body: Value| {
            let client = w.server.client.clone();
            let url = format!("{status_base}{}", STATUS_PATH.replace("{id}", &id));
            async move {
                let resp = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
                (resp.status().as_u16(), resp.text().await.unwrap())
            }
        };
        let running = json!({"protocolVersion": 1, "status": "running"});
        assert_eq!(report(provider_token.clone(), id.clone(), running.clone()).await.0, 204);
        assert_eq!(w.get(&format!("{BASE}/{id}")).await.json()["status"], "Running");
        assert_eq!(report(provider_token.clone(), id.clone(), running).await.0, 204, "a repeat is harmless");
        let states = w.get(&format!("{BASE}/{id}")).await.json()["states"].clone();
        assert_eq!(states.as_array().unwrap().len(), 2);
        assert_eq!(states[1]["appId"], w.provider.client_id.as_str());

        let (status, text) = report(provider_token.clone(), id.clone(), json!({"protocolVersion": 1, "status": "NotStarted"})).await;
        assert_eq!(status, 400, "{text}");
        let (status, text) = report(provider_token.clone(), id.clone(), json!({"protocolVersion": 1, "status": "Failed"})).await;
        assert!(status == 400 && text.contains("errorInfo"), "{text}");
        let (status, text) = report(provider_token.clone(), id.clone(), json!({"protocolVersion": 2, "status": "Completed"})).await;
        assert!(status == 400 && text.contains("protocolVersion"), "{text}");
        assert_eq!(report(provider_token.clone(), "nope".into(), json!({"protocolVersion": 1, "status": "Running"})).await.0, 404);

        let rival_app = w.server.register_app(&w.server.tenant).await;
        register_provider(&w.server, &rival_app, "Rival", "Contoso").await;
        w.server.grant(&w.server.tenant, &rival_app, &[Permission::SecurityAlertReadWriteAll]).await;
        let rival = w.server.token(&w.server.tenant, &rival_app).await;
        let (status, text) = report(rival, id.clone(), json!({"protocolVersion": 1, "status": "Completed"})).await;
        assert!(status == 403 && text.contains("another provider"), "{status} {text}");
        let plain = w.server.token_with(&w.server.tenant, &[Permission::SecurityAlertReadWriteAll]).await;
        assert_eq!(report(plain, id.clone(), json!({"protocolVersion": 1, "status": "Completed"})).await.0, 403);

        let failed = json!({"protocolVersion": 1, "status": "Failed", "updatedDateTime": "2026-11-01T00:00:05Z",
                            "errorInfo": {"code": 409, "message": "the address is on the allow list", "subcode": 0}});
        assert_eq!(report(provider_token.clone(), id.clone(), failed).await.0, 204);
        let action = w.get(&format!("{BASE}/{id}")).await.json();
        assert_eq!(action["status"], "Failed");
        assert_eq!(action["errorInfo"], json!({"code": 409, "message": "the address is on the allow list", "subcode": 0}));
        assert_eq!(action["completedDateTime"], "2026-11-01T00:00:05.0000000Z");
        let (status, _) = report(provider_token, id, json!({"protocolVersion": 1, "status": "Completed"})).await;
        assert_eq!(status, 400, "a final status is final");
    }
}

/// Serves `report_action_status` behind the provider requirement on a loopback port of its own,
/// over the test server's store and token keys; returns its base URL.
async fn serve_status_endpoint(server: &TestServer) -> String {
    let indicators = store::IndicatorIndex::start(&server.store).await.unwrap();
    let state = AppState::new(
        server.store.clone(),
        indicators,
        ApiConfig::new(server.base_url.clone()),
        Authenticator::Tokens,
        server.identity.clone(),
        None,
    );
    let route = axum::routing::post(report_action_status);
    let router = axum::Router::new()
        .route(
            STATUS_PATH,
            api::authorize::guarded(&state, &api::provider::PROVIDER, route),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}
