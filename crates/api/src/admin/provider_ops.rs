//! The provider-registry operations, written once for the `secgraph provider` commands and the admin
//! HTTP API (`/secgraph/admin/v1/providers`). Answers are camelCase JSON; a signing secret's text
//! appears only in the answer that created it.

use super::ops::{parse_client_id, parse_tenant_id, AdminError};
use model::datetime;
use provider_protocol::ProviderManifest;
use serde_json::{json, Value};
use store::providers::{NewProvider, Provider, ProviderHealth};
use store::Store;

/// Registers a provider for application `client_id` from its manifest JSON. The answer carries the
/// signing secret (shown once: hand it to the vendor).
pub async fn register_provider(
    store: &Store,
    client_id: &str,
    manifest: Value,
    allow_private: bool,
) -> Result<Value, AdminError> {
    let new = NewProvider {
        client_id: parse_client_id(client_id)?,
        manifest: parse_manifest(manifest)?,
        allow_private,
    };
    let (provider, secret) = store.providers().register(new).await?;
    let mut out = provider_json(&provider);
    out["signingSecret"] = Value::from(secret);
    Ok(out)
}

/// Every registered provider.
pub async fn list_providers(store: &Store) -> Result<Value, AdminError> {
    let list = store.providers().list().await?;
    Ok(Value::from(
        list.iter().map(provider_json).collect::<Vec<_>>(),
    ))
}

/// One provider, with its health in every tenant that has it (`health`).
pub async fn get_provider(store: &Store, id: &str) -> Result<Value, AdminError> {
    Ok(provider_json(&require(store, id).await?))
}

/// Replaces a provider's manifest (its name may not change) and optionally its private-address
/// allowance.
pub async fn update_provider(
    store: &Store,
    id: &str,
    manifest: Value,
    allow_private: Option<bool>,
) -> Result<Value, AdminError> {
    require(store, id).await?;
    let manifest = parse_manifest(manifest)?;
    let p = store
        .providers()
        .update(id, manifest, allow_private)
        .await?;
    Ok(provider_json(&p))
}

/// Starts a secret rotation; the answer carries the new secret (the previous one stays active until
/// retired).
pub async fn rotate_provider_secret(store: &Store, id: &str) -> Result<Value, AdminError> {
    require(store, id).await?;
    let secret = store.providers().rotate_secret(id).await?;
    let p = require(store, id).await?;
    let mut out = provider_json(&p);
    out["signingSecret"] = Value::from(secret);
    Ok(out)
}

/// Ends a rotation: only the newest secret stays.
pub async fn retire_provider_secrets(store: &Store, id: &str) -> Result<Value, AdminError> {
    require(store, id).await?;
    Ok(provider_json(&store.providers().retire_secrets(id).await?))
}

/// Removes a provider.
pub async fn delete_provider(store: &Store, id: &str) -> Result<(), AdminError> {
    if store.providers().delete(id).await? {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

/// Health and freshness of every provider in `tenant`.
pub async fn provider_health(store: &Store, tenant: &str) -> Result<Value, AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    let now = store.clock().now();
    let list = store.providers().health(&tenant).await?;
    Ok(Value::from(
        list.iter().map(|h| health_json(h, now)).collect::<Vec<_>>(),
    ))
}

async fn require(store: &Store, id: &str) -> Result<Provider, AdminError> {
    store
        .providers()
        .get(id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: &str) -> AdminError {
    AdminError::NotFound(format!("no provider has the id '{id}'"))
}

fn parse_manifest(manifest: Value) -> Result<ProviderManifest, AdminError> {
    serde_json::from_value(manifest)
        .map_err(|e| AdminError::Invalid(format!("the provider manifest does not fit: {e}")))
}

/// A provider as the admin surfaces show it (never its secrets).
pub fn provider_json(p: &Provider) -> Value {
    json!({
        "id": p.id,
        "name": p.name(),
        "vendor": p.manifest.vendor,
        "mode": p.mode().as_str(),
        "clientId": p.client_id,
        "callbackBaseUrl": p.manifest.callback_base_url,
        "allowPrivateAddresses": p.allow_private,
        "activeSecrets": p.secrets.len(),
        "manifest": p.manifest,
        "createdDateTime": datetime::format(p.created),
        "updatedDateTime": datetime::format(p.updated),
    })
}

fn health_json(h: &ProviderHealth, now: time::OffsetDateTime) -> Value {
    let last = h.last_push.max(h.last_pull);
    json!({
        "providerId": h.provider_id,
        "lastPushDateTime": h.last_push.map(datetime::format),
        "lastPullDateTime": h.last_pull.map(datetime::format),
        "secondsSinceLastDelivery": last.map(|t| (now - t).whole_seconds()),
        "lagMs": h.lag_ms,
        "alertsReceived": h.alerts_received,
        "pullCursor": h.pull_cursor,
        "lastError": h.last_error,
        "lastErrorDateTime": h.last_error_at.map(datetime::format),
    })
}
