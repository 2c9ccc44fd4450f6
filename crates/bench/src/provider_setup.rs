//! Sets up a provider on a running `secgraph serve` the way an operator and a vendor would,
//! entirely over HTTP: the admin API (`/secgraph/admin/v1/...`, with the data directory's
//! `admin-token`) creates a vendor tenant and a customer tenant, registers the vendor's
//! multi-tenant application with a secret, registers it as a provider (manifest with the given
//! callback base URL, `allowPrivateAddresses` so that a loopback double may be called), and
//! grants the customer's consent; an analyst application in the customer tenant gets consent too.
//! Both then get app-only tokens from the token endpoint (client credentials).
//!
//! Every name carries a random suffix, so several setups can share one server.

use anyhow::{bail, Context};
use reqwest::Method;
use serde_json::{json, Value};

/// The one permission both applications ask for: pushing needs it, and so do PATCH and reads.
const PERMISSION: &str = "SecurityAlert.ReadWrite.All";
/// The scope asked for at the token endpoint.
const SCOPE: &str = "https://graph.microsoft.com/.default";

/// What a setup made.
#[derive(Debug, Clone)]
pub struct ProviderSetup {
    /// The customer tenant the provider pushes into.
    pub customer: String,
    /// The provider's registry id.
    pub provider_id: String,
    /// The provider's signing secret (verifies secgraph's callbacks).
    pub signing_secret: String,
    /// The vendor application's token in the customer tenant (pushes).
    pub provider_token: String,
    /// The analyst application's token in the customer tenant (PATCH, `$count`).
    pub analyst_token: String,
}

/// A JSON client of one server.
#[derive(Debug, Clone)]
pub struct Http {
    /// The client (no default headers).
    pub client: reqwest::Client,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
}

impl Http {
    /// Sends `body` (when given) as JSON with `Authorization: Bearer {bearer}`; answers the
    /// status and the body text. Fails only when no answer came.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        bearer: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, String)> {
        let url = format!("{}{path}", self.base);
        let mut req = self
            .client
            .request(method.clone(), &url)
            .bearer_auth(bearer);
        if let Some(body) = body {
            req = req.json(body);
        }
        let reply = req
            .send()
            .await
            .with_context(|| format!("{method} {url}"))?;
        let status = reply.status().as_u16();
        let text = reply
            .text()
            .await
            .with_context(|| format!("{method} {url}"))?;
        Ok((status, text))
    }

    /// Like [`send`](Self::send), but the status must be 2xx; answers the parsed JSON body.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        bearer: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let (status, text) = self.send(method.clone(), path, bearer, body).await?;
        if !(200..300).contains(&status) {
            bail!("{method} {path} answered {status}: {text}");
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path} answered '{text}'"))
    }

    /// The alerts_v2 count of the caller's tenant (`GET /v1.0/security/alerts_v2/$count`).
    pub async fn alert_count(&self, token: &str) -> anyhow::Result<usize> {
        let path = "/v1.0/security/alerts_v2/$count";
        let (status, text) = self.send(Method::GET, path, token, None).await?;
        if status != 200 {
            bail!("GET {path} answered {status}: {text}");
        }
        text.trim()
            .parse()
            .with_context(|| format!("GET {path} answered '{text}', not a number"))
    }
}

/// The manifest of the benchmark's provider, calling back at `callback_base_url`.
pub fn manifest(name: &str, callback_base_url: &str) -> Value {
    json!({"protocolVersion": 1, "name": name, "vendor": "secgraph bench", "mode": "push",
           "callbackBaseUrl": callback_base_url, "actions": []})
}

/// Sets up a provider named `name` on the server `http` (see the module docs).
pub async fn set_up(
    http: &Http,
    admin_token: &str,
    name: &str,
    callback_base_url: &str,
) -> anyhow::Result<ProviderSetup> {
    let admin = Admin {
        http,
        token: admin_token,
    };
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let vendor = admin.tenant(&format!("{name} vendor {suffix}")).await?;
    let customer = admin.tenant(&format!("{name} customer {suffix}")).await?;
    let (client_id, secret) = admin
        .app(&vendor, &format!("{name} {suffix}"), true)
        .await?;
    let body = json!({"clientId": client_id, "manifest": manifest(&format!("{name} {suffix}"), callback_base_url),
                      "allowPrivateAddresses": true});
    let provider = admin.call(Method::POST, "/providers", Some(&body)).await?;
    admin.consent(&customer, &client_id).await?;
    let (analyst_id, analyst_secret) = admin
        .app(&customer, &format!("analyst {suffix}"), false)
        .await?;
    admin.consent(&customer, &analyst_id).await?;
    Ok(ProviderSetup {
        provider_id: text(&provider, "id")?,
        signing_secret: text(&provider, "signingSecret")?,
        provider_token: token(http, &customer, &client_id, &secret).await?,
        analyst_token: token(http, &customer, &analyst_id, &analyst_secret).await?,
        customer,
    })
}

/// The admin API with its credential.
struct Admin<'a> {
    http: &'a Http,
    token: &'a str,
}

impl Admin<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let path = format!("/secgraph/admin/v1{path}");
        self.http.json(method, &path, self.token, body).await
    }

    /// A new tenant's id.
    async fn tenant(&self, name: &str) -> anyhow::Result<String> {
        let created = self
            .call(
                Method::POST,
                "/tenants",
                Some(&json!({"displayName": name})),
            )
            .await?;
        text(&created, "id")
    }

    /// A new application of `home` asking for [`PERMISSION`]: its client id and a secret.
    async fn app(&self, home: &str, name: &str, multi: bool) -> anyhow::Result<(String, String)> {
        let body = json!({"displayName": name, "homeTenantId": home, "multiTenant": multi,
                          "requestedPermissions": [PERMISSION]});
        let app = self.call(Method::POST, "/apps", Some(&body)).await?;
        let client_id = text(&app, "clientId")?;
        let secret = self
            .call(Method::POST, &format!("/apps/{client_id}/secrets"), None)
            .await?;
        Ok((client_id, text(&secret, "secretText")?))
    }

    /// `tenant`'s consent to every permission `client_id` asks for.
    async fn consent(&self, tenant: &str, client_id: &str) -> anyhow::Result<()> {
        let path = format!("/tenants/{tenant}/consents/{client_id}");
        self.call(Method::PUT, &path, None).await.map(drop)
    }
}

/// An app-only token of `client_id` in `tenant` from the token endpoint.
async fn token(http: &Http, tenant: &str, client_id: &str, secret: &str) -> anyhow::Result<String> {
    let url = format!("{}/{tenant}/oauth2/v2.0/token", http.base);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", SCOPE),
    ];
    let reply = http
        .client
        .post(&url)
        .form(&form)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = reply.status();
    let body = reply.text().await.with_context(|| format!("POST {url}"))?;
    if !status.is_success() {
        bail!("POST {url} answered {status}: {body}");
    }
    let value: Value =
        serde_json::from_str(&body).with_context(|| format!("POST {url}: {body}"))?;
    text(&value, "access_token")
}

/// A string member of an answer.
fn text(value: &Value, name: &str) -> anyhow::Result<String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("the answer has no string '{name}': {value}"))
}

/// Reads the admin credential from a data directory's `admin-token` file.
pub fn read_admin_token(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the admin credential {}", path.display()))?;
    let token = text.trim();
    if token.is_empty() {
        bail!("the admin credential file {} is empty", path.display());
    }
    Ok(token.to_owned())
}
