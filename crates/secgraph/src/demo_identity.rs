//! The demo's identity (`serve --demo`): the demo tenant's app "secgraph demo" with every security
//! permission, the tenant's consent to it, a secret, and `<data-dir>/demo-credentials.json`
//! (`{"tenantId","clientId","clientSecret","tokenUrl","graphBaseUrl"}`, mode 0600).
//!
//! Idempotent across restarts: when the file names an app that still exists and a secret that
//! still works, both are kept (only the URLs, which depend on the port, are rewritten); otherwise a
//! new secret is added to the existing demo app (or a new app is registered). Consent is granted
//! again each start, so the demo app always holds every permission.

use crate::private_file;
use anyhow::Context;
use auth::Permission;
use model::TenantId;
use serde::{Deserialize, Serialize};
use std::path::Path;
use store::identity::NewApplication;
use store::Store;

/// The demo application's display name.
pub const DEMO_APP_NAME: &str = "secgraph demo";

/// What `demo-credentials.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoCredentials {
    /// The demo tenant.
    pub tenant_id: String,
    /// The demo app's client id.
    pub client_id: String,
    /// The demo app's secret.
    pub client_secret: String,
    /// Where to get a token.
    pub token_url: String,
    /// The Graph v1.0 root.
    pub graph_base_url: String,
}

/// Ensures the demo app, consent and secret exist and writes the credentials file.
pub async fn ensure(
    store: &Store,
    tenant: &TenantId,
    data_dir: &Path,
    public_url: &str,
) -> anyhow::Result<DemoCredentials> {
    let path = data_dir.join("demo-credentials.json");
    let previous: Option<DemoCredentials> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let (client_id, client_secret) = match reusable(store, tenant, previous.as_ref()).await? {
        Some(kept) => kept,
        None => fresh(store, tenant).await?,
    };
    store
        .identity()
        .grant_consent(tenant, &client_id, Permission::ALL)
        .await
        .context("cannot grant the demo tenant's consent to the demo app")?;
    let creds = DemoCredentials {
        tenant_id: tenant.as_str().to_owned(),
        token_url: format!("{public_url}/{tenant}/oauth2/v2.0/token"),
        graph_base_url: format!("{public_url}/v1.0"),
        client_id,
        client_secret,
    };
    let json = serde_json::to_string_pretty(&creds)?;
    private_file::write(&path, format!("{json}\n").as_bytes())?;
    Ok(creds)
}

/// The client id and secret of the previous run, when the app exists and the secret still works.
async fn reusable(
    store: &Store,
    tenant: &TenantId,
    previous: Option<&DemoCredentials>,
) -> anyhow::Result<Option<(String, String)>> {
    let Some(prev) = previous.filter(|p| p.tenant_id == tenant.as_str()) else {
        return Ok(None);
    };
    let Some(found) = store
        .identity()
        .token_lookup(tenant, &prev.client_id)
        .await?
    else {
        return Ok(None);
    };
    let now = store.clock().now();
    let works = found
        .secrets
        .iter()
        .any(|s| s.hash.verify(&prev.client_secret) && s.expires.is_none_or(|exp| exp > now));
    Ok(works.then(|| (prev.client_id.clone(), prev.client_secret.clone())))
}

/// A new secret for the demo app (registering the app first when the tenant has none).
async fn fresh(store: &Store, tenant: &TenantId) -> anyhow::Result<(String, String)> {
    let ids = store.identity();
    let existing = ids
        .list_applications(Some(tenant))
        .await?
        .into_iter()
        .find(|a| a.display_name == DEMO_APP_NAME);
    let app = match existing {
        Some(app) => app,
        None => ids
            .create_application(NewApplication {
                home_tenant_id: tenant.clone(),
                display_name: DEMO_APP_NAME.to_owned(),
                multi_tenant: false,
                requested_permissions: Permission::ALL.to_vec(),
            })
            .await
            .context("cannot register the demo app")?,
    };
    let secret = ids
        .create_secret(&app.client_id, None)
        .await
        .context("cannot add a secret to the demo app")?;
    Ok((app.client_id, secret.plaintext))
}
