//! What a rich notification carries ([`encrypted_content`]): the changed item as the subscription's
//! resource shows it, read when the notification is sent (so a redelivery or a replay carries the
//! item as it is then), encrypted for the subscription's certificate
//! ([`super::EncryptionCertificate`]). A deleted item has no content: its notification carries
//! `resourceData` only, as Graph's do.
//!
//! A collection with encrypted content also carries `validationTokens` ([`validation_token`]):
//! JWTs signed with the server's token-signing key (verifiable with the tenant's JWKS,
//! `/{tenant}/discovery/v2.0/keys`), issued by the tenant's issuer (`{public URL}/{tenant}/v2.0`),
//! for audience the subscribing application (`notificationUrlAppId`, else the creator), with
//! `azp`/`appid` Graph's change-tracking application id ([`CHANGE_TRACKING_APP_ID`]) and a lifetime
//! of one hour — the claims a Graph receiver checks.

use super::EncryptionCertificate;
use auth::{AppGrant, SigningKey, TokenIssuer};
use model::AlertId;
use serde_json::Value;
use store::subscriptions::{ChangeJob, Subscription, SubscriptionResource};
use store::{AlertView, Store, StoreError};

/// The resources whose notifications can carry their item.
pub fn carries_resource_data(kind: SubscriptionResource) -> bool {
    matches!(
        kind,
        SubscriptionResource::Alerts
            | SubscriptionResource::AlertsV2
            | SubscriptionResource::Incidents
    )
}

/// The current JSON of the item `job` reports, or `None` when it no longer exists.
async fn item_json(
    store: &Store,
    tenant: &model::TenantId,
    kind: SubscriptionResource,
    job: &ChangeJob,
) -> Result<Option<String>, StoreError> {
    let id = job.resource_data["id"].as_str().unwrap_or_default();
    let tenant = store.tenant(tenant);
    let view = match kind {
        SubscriptionResource::Alerts => AlertView::Legacy,
        SubscriptionResource::AlertsV2 => AlertView::V2,
        SubscriptionResource::Incidents => {
            let incident = tenant.incidents().get(id).await?;
            return incident
                .map(|i| serde_json::to_string(&i).map_err(StoreError::from))
                .transpose();
        }
        SubscriptionResource::TiIndicators => return Ok(None),
    };
    let raw = tenant.get_alert_raw(view, &AlertId::from(id)).await?;
    Ok(raw.map(|r| match r.visible_json(false) {
        Some(json) => json.into_owned(),
        None => r.json,
    }))
}

/// The `encryptedContent` of `job`'s notification for `sub` (`None`: the subscription does not
/// include resource data, or the item is gone). `Err`: why it could not be made (retried).
pub async fn encrypted_content(
    store: &Store,
    tenant: &model::TenantId,
    sub: &Subscription,
    certificate: Option<&EncryptionCertificate>,
    job: &ChangeJob,
) -> Result<Option<Value>, String> {
    let (Some(kind), Some(certificate)) = (sub.kind(), certificate) else {
        return Ok(None);
    };
    if !sub.include_resource_data || job.change_type == "deleted" {
        return Ok(None);
    }
    let json = item_json(store, tenant, kind, job)
        .await
        .map_err(|e| format!("store: {e}"))?;
    let Some(json) = json else { return Ok(None) };
    let id = sub.encryption_certificate_id.as_deref().unwrap_or_default();
    certificate.encrypt(id, json.as_bytes()).map(Some)
}

/// The subscription's certificate when it includes resource data (`Err`: the stored certificate
/// no longer parses, which creation and PATCH prevent).
pub fn certificate_of(sub: &Subscription) -> Result<Option<EncryptionCertificate>, String> {
    match (&sub.encryption_certificate, sub.include_resource_data) {
        (Some(text), true) => EncryptionCertificate::parse(text)
            .map(Some)
            .map_err(|e| format!("the subscription's encryptionCertificate: {e}")),
        _ => Ok(None),
    }
}

/// The application id Microsoft Graph's validation tokens carry as `azp` (Graph's change-tracking
/// application), which receivers written for Graph check.
pub const CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// How long a validation token is valid.
const TOKEN_LIFETIME: time::Duration = time::Duration::hours(1);

/// A validation token for the notifications of `sub` in `tenant`, signed with `key`.
pub fn validation_token(
    issuer: &TokenIssuer,
    key: &SigningKey,
    tenant: &str,
    sub: &Subscription,
    now: time::OffsetDateTime,
) -> Result<String, String> {
    let grant = AppGrant {
        tenant_id: tenant,
        client_id: CHANGE_TRACKING_APP_ID,
        app_display_name: Some("secgraph change notifications"),
        roles: &[],
    };
    let mut claims = issuer.claims(&grant, now);
    claims.aud = sub
        .notification_url_app_id
        .clone()
        .or_else(|| sub.application_id.clone())
        .unwrap_or_default();
    claims.exp = claims.iat + TOKEN_LIFETIME.whole_seconds();
    issuer
        .issue(key, &claims)
        .map_err(|e| format!("signing a validation token: {e}"))
}
