//! Identity helpers for tests: create tenants and applications, grant consent, get tokens from the
//! real token endpoint, mint tokens with crafted claims, and send requests with a bearer token.

use crate::{Reply, TestServer};
use auth::{AppGrant, Claims, Permission};
use model::TenantId;
use reqwest::Method;
use serde_json::Value;

/// An application registered for a test, with one secret.
#[derive(Debug, Clone)]
pub struct TestApp {
    /// Its client id.
    pub client_id: String,
    /// Its secret's text.
    pub secret: String,
    /// Its home tenant.
    pub home: TenantId,
}

/// The scope tests ask for (Microsoft's Graph resource, as most clients do).
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

impl TestServer {
    /// Creates a tenant with a new GUID.
    pub async fn create_tenant(&self, name: &str) -> TenantId {
        self.store
            .identity()
            .create_tenant(name)
            .await
            .expect("create tenant")
            .id
    }

    /// Registers a multi-tenant application in `home` requesting every permission, with one secret
    /// (no consent yet).
    pub async fn register_app(&self, home: &TenantId) -> TestApp {
        let ids = self.store.identity();
        let app = ids
            .create_application(store::identity::NewApplication {
                home_tenant_id: home.clone(),
                display_name: "test app".to_owned(),
                multi_tenant: true,
                requested_permissions: Permission::ALL.to_vec(),
            })
            .await
            .expect("create app");
        let secret = ids
            .create_secret(&app.client_id, None)
            .await
            .expect("create secret");
        TestApp {
            client_id: app.client_id,
            secret: secret.plaintext,
            home: home.clone(),
        }
    }

    /// `tenant`'s admin consent to `app` for `permissions`.
    pub async fn grant(&self, tenant: &TenantId, app: &TestApp, permissions: &[Permission]) {
        self.store
            .identity()
            .grant_consent(tenant, &app.client_id, permissions)
            .await
            .expect("grant consent");
    }

    /// POSTs `form` to `tenant`'s token endpoint (a raw reply, for error tests).
    pub async fn token_request(&self, tenant: &str, form: &[(&str, &str)]) -> Reply {
        let resp = self
            .client
            .post(self.url(&format!("/{tenant}/oauth2/v2.0/token")))
            .form(form)
            .send()
            .await
            .expect("token request");
        Reply {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: resp.text().await.expect("body"),
        }
    }

    /// A token for `app` in `tenant` from the token endpoint (panics unless it answers 200).
    pub async fn token(&self, tenant: &TenantId, app: &TestApp) -> String {
        let reply = self
            .token_request(
                tenant.as_str(),
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", &app.client_id),
                    ("client_secret", &app.secret),
                    ("scope", GRAPH_SCOPE),
                ],
            )
            .await;
        assert_eq!(reply.status, 200, "token endpoint: {}", reply.text);
        reply.json()["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A token acting in `tenant` with exactly `permissions`: a new app registered there, consented
    /// for them, and a token from the endpoint.
    pub async fn token_with(&self, tenant: &TenantId, permissions: &[Permission]) -> String {
        let app = self.register_app(tenant).await;
        self.grant(tenant, &app, permissions).await;
        self.token(tenant, &app).await
    }

    /// The claims the server would issue now for an app acting in `tenant` with `permissions`
    /// (change them, then [`mint`](Self::mint) a crafted token).
    pub fn claims(&self, tenant: &TenantId, permissions: &[Permission]) -> Claims {
        self.identity.issuer().claims(
            &AppGrant {
                tenant_id: tenant.as_str(),
                client_id: "00000000-0000-0000-0000-00000000c0de",
                app_display_name: Some("minted"),
                roles: permissions,
            },
            self.store.clock().now(),
        )
    }

    /// Signs `claims` with the server's active key.
    pub fn mint(&self, claims: &Claims) -> String {
        let keys = self.identity.keyring().current();
        self.identity
            .issuer()
            .issue(&keys.active, claims)
            .expect("sign")
    }

    /// Sends a request with `Authorization: Bearer {token}`.
    pub async fn send_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Reply {
        let auth = format!("Bearer {token}");
        self.send(method, path, body, &[("authorization", &auth)])
            .await
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, token: &str, path: &str) -> Reply {
        self.send_as(token, Method::GET, path, None).await
    }

    /// Sends a request to the admin API (`/secgraph/admin/v1{path}`) with the admin credential.
    pub async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let auth = format!("Bearer {}", self.admin_token);
        let path = format!("/secgraph/admin/v1{path}");
        self.send(method, &path, body, &[("authorization", &auth)])
            .await
    }
}
