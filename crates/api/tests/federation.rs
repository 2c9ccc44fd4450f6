//! Federated legacy queries on both backends: `GET /security/alerts` merges secgraph's alerts with
//! the answers of the tenant's federated providers (real provider servers on loopback, built with
//! the provider SDK), forwards the caller's OData query, and answers `206` with Graph's `Warning`
//! header when a provider fails while still returning the others' alerts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use parking_lot::Mutex;
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, FederatedAnswer,
    FederatedRequest, ProviderManifest,
};
use provider_sdk::server::{router, Provider, Refusal, Unavailable};
use serde_json::{json, Value};
use std::sync::Arc;
use testkit::TestServer;

/// A federated provider with fixed alerts; remembers the queries it got.
struct Edr {
    alerts: Vec<Value>,
    queries: Mutex<Vec<String>>,
}

impl Provider for Edr {
    async fn alert_update(&self, _: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::applied(None))
    }
    async fn invoke_action(&self, _: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::rejected("no actions"))
    }
    async fn cancel_action(&self, _: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::rejected("no actions"))
    }
    async fn federated(&self, request: FederatedRequest) -> Result<FederatedAnswer, Refusal> {
        self.queries.lock().push(request.odata_query);
        let answer = json!({"protocolVersion": 1, "value": self.alerts});
        Ok(serde_json::from_value(answer).unwrap())
    }
}

/// Serves `router` on 127.0.0.1:0; returns its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// Registers a federated provider named `name` at `base` for the server's (demo) tenant; returns
/// its signing secret.
async fn register(server: &TestServer, name: &str, vendor: &str, base: &str) -> String {
    let app = server.register_app(&server.tenant).await;
    server
        .grant(
            &server.tenant,
            &app,
            &[auth::Permission::SecurityAlertReadWriteAll],
        )
        .await;
    let manifest: ProviderManifest = serde_json::from_value(json!({
        "protocolVersion": 1, "name": name, "vendor": vendor, "mode": "federated", "callbackBaseUrl": base}))
    .unwrap();
    let new = store::NewProvider {
        client_id: app.client_id,
        manifest,
        allow_private: true,
    };
    server.store.providers().register(new).await.unwrap().1
}

fn edr_alert(id: &str, created: &str) -> Value {
    json!({"id": id, "title": format!("EDR {id}"), "severity": "high", "status": "newAlert",
           "createdDateTime": created, "vendorInformation": {"provider": "spoofed", "vendor": "spoofed"}})
}

testdb::conformance! {
    async fn federated_answers_are_merged_in_order_and_failures_warn() {
        let server = TestServer::builder().demo(3).start().await;
        let edr = Arc::new(Edr {
            alerts: vec![edr_alert("edr-new", "2099-01-02T00:00:00Z"), edr_alert("edr-old", "2000-01-01T00:00:00Z")],
            queries: Mutex::new(Vec::new()),
        });
        // The provider's router needs the secret, which registration issues: bind first.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let edr_url = format!("http://{}/secgraph", listener.local_addr().unwrap());
        let secret = register(&server, "Endpoint Guard", "Fabrikam", &edr_url).await;
        let app = axum::Router::new().nest("/secgraph", router(edr.clone(), vec![secret]).unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let all = server.get("/v1.0/security/alerts?$top=10").await;
        assert_eq!(all.status, 200, "{:?}", all.header("warning"));
        let ids: Vec<String> = all.json()["value"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(ids.len(), 5, "3 local + 2 federated: {ids:?}");
        assert_eq!(ids[0], "edr-new", "newest first across sources");
        assert_eq!(ids[4], "edr-old");
        let first = &all.json()["value"][0];
        assert_eq!(first["vendorInformation"]["provider"], "Endpoint Guard");
        assert_eq!(first["vendorInformation"]["vendor"], "Fabrikam");
        assert_eq!(first["@odata.type"], "#microsoft.graph.alert");

        let top = server.get("/v1.0/security/alerts?$top=2&$filter=severity%20eq%20'high'&$count=true").await;
        assert_eq!(top.json()["value"].as_array().unwrap().len(), 2);
        let q = edr.queries.lock().last().cloned().unwrap();
        assert!(q.contains("$filter=severity") && q.contains("$top=2"), "{q}");

        // A failing provider and an unreachable one: 206 with a Warning item each, alerts still there.
        let broken = serve(axum::Router::new().fallback(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "boom") })).await;
        register(&server, "Mail Shield", "Contoso", &format!("{broken}/secgraph")).await;
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gone = format!("http://{}/secgraph", closed.local_addr().unwrap());
        drop(closed);
        register(&server, "Old Sensor", "Northwind", &gone).await;
        let partial = server.get("/v1.0/security/alerts?$top=10").await;
        assert_eq!(partial.status, 206, "{}", partial.text);
        let warning = partial.header("warning").unwrap().to_owned();
        assert!(warning.contains("199 - \"Contoso/Mail Shield/500/"), "{warning}");
        assert!(warning.contains("\"Northwind/Old Sensor/503/"), "{warning}");
        assert_eq!(partial.json()["value"].as_array().unwrap().len(), 5);

        // $count (a plain count) and later pages stay local.
        let count = server.get("/v1.0/security/alerts/$count").await;
        assert_eq!(count.text, "3");
    }

    async fn without_federated_providers_the_list_is_local() {
        let server = TestServer::builder().demo(2).start().await;
        let list = server.get("/v1.0/security/alerts").await;
        assert_eq!(list.status, 200);
        assert!(list.header("warning").is_none());
        assert_eq!(list.json()["value"].as_array().unwrap().len(), 2);
    }
}
