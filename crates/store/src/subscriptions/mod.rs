//! Change-notification subscriptions (`/subscriptions`) of one tenant, and the outbox rows that
//! carry their notifications. Reached only through [`TenantStore::subscriptions`], so every
//! statement starts from the tenant; the lifecycle sweep across tenants is
//! [`Store::sweep_subscriptions`].
//!
//! A subscription is owned by the application that created it (`application_id`; empty in
//! emulator mode). Every committed change of an alert, incident or threat indicator writes, in its
//! own transaction, one outbox row per subscription that receives it (`hook`: [`Notifications`],
//! an [`IngestHook`](crate::IngestHook), for alerts; incident and indicator writes call it
//! directly); the `outbound` crate delivers them.
//!
//! | outbox kind | payload | delivered to |
//! |---|---|---|
//! | [`CHANGE_KIND`] | [`ChangeJob`] | the subscription's current `notificationUrl` |
//! | [`SLOW_CHANGE_KIND`] | [`ChangeJob`] of a subscription whose receiver answered too slowly | the same, by a worker of its own |
//! | [`LIFECYCLE_KIND`] | [`LifecycleJob`] | the `lifecycleNotificationUrl` it names |

mod dead_letters;
mod history;
mod hook;
mod lifecycle;
mod resource;
mod rows;
mod schema;

pub use dead_letters::DeadLetter;
pub(crate) use history::{sweep_history, write_history, HistoryRows, V9_NOTIFICATION_HISTORY};
pub use history::{Replay, DEFAULT_RETENTION, MAX_REPLAY};
pub use hook::Notifications;
pub(crate) use hook::{notify, Changed, PendingAlertNotifications};
pub(crate) use lifecycle::consent_changed;
pub use lifecycle::SweepSummary;
pub use resource::SubscriptionResource;
pub(crate) use schema::V8_SUBSCRIPTIONS;

use crate::tenant::TenantStore;
use model::datetime;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The outbox kind of a change notification on its way to a subscriber.
pub const CHANGE_KIND: &str = "notification.change";
/// The outbox kind of a change notification for a subscriber that answered slowly (its own lane).
pub const SLOW_CHANGE_KIND: &str = "notification.slow";
/// The outbox kind of a lifecycle notification.
pub const LIFECYCLE_KIND: &str = "notification.lifecycle";

/// `microsoft.graph.subscription`, as stored and (without `clientState` in lists) returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// Server-generated GUID.
    pub id: String,
    /// The resource path as given (`security/alerts?$filter=...`).
    pub resource: String,
    /// The creating application's client id (`null` in emulator mode).
    #[serde(default)]
    pub application_id: Option<String>,
    /// Comma list of `created`, `updated`, `deleted`.
    pub change_type: String,
    /// Echoed in every notification.
    #[serde(default)]
    pub client_state: Option<String>,
    /// Where change notifications go.
    pub notification_url: String,
    /// Where lifecycle notifications go (settable at creation only).
    #[serde(default)]
    pub lifecycle_notification_url: Option<String>,
    /// When the subscription ends unless renewed.
    #[serde(with = "datetime::required")]
    pub expiration_date_time: OffsetDateTime,
    /// Who created it (the application, for app-only tokens).
    #[serde(default)]
    pub creator_id: Option<String>,
    /// `v1_0` … `v1_3`; default `v1_2`.
    #[serde(default)]
    pub latest_supported_tls_version: Option<String>,
    /// `application/json`.
    #[serde(default)]
    pub notification_content_type: Option<String>,
    /// The app id validation tokens would be signed for.
    #[serde(default)]
    pub notification_url_app_id: Option<String>,
    /// Whether notifications carry the changed item, encrypted (`encryptedContent`).
    #[serde(default)]
    pub include_resource_data: bool,
    /// The base64 DER X.509 certificate whose RSA public key wraps each notification's key.
    #[serde(default)]
    pub encryption_certificate: Option<String>,
    /// The subscriber's id for that certificate, echoed in `encryptedContent`.
    #[serde(default)]
    pub encryption_certificate_id: Option<String>,
}

impl Subscription {
    /// The resource kind (checked when the subscription was made).
    pub fn kind(&self) -> Option<SubscriptionResource> {
        SubscriptionResource::parse(&self.resource).map(|(kind, _)| kind)
    }

    /// Whether it wants notifications of `change_type` (`created`, `updated`, `deleted`).
    pub fn wants(&self, change_type: &str) -> bool {
        wants(&self.change_type, change_type)
    }
}

/// Whether the comma list `change_types` holds `change_type`.
pub(crate) fn wants(change_types: &str, change_type: &str) -> bool {
    change_types
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(change_type))
}

/// The payload of a [`CHANGE_KIND`]/[`SLOW_CHANGE_KIND`] outbox row: one `changeNotification`
/// without what is read from the subscription at delivery time (`clientState`,
/// `subscriptionExpirationDateTime`, the URL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeJob {
    /// The notification's id (fixed at commit: a redelivery carries the same id).
    pub id: String,
    /// The subscription.
    pub subscription_id: String,
    /// `created`, `updated` or `deleted`.
    pub change_type: String,
    /// The changed item's path (`security/alerts/{id}`).
    pub resource: String,
    /// `@odata.type`, `@odata.id`, `id` of the changed item.
    pub resource_data: serde_json::Value,
    /// The tenant's change sequence number of the change.
    pub sequence: i64,
    /// The notification's place among its subscription's notifications: assigned at commit,
    /// increasing by one per notification (0 for rows queued before secgraph kept it). Delivered
    /// as `@secgraph.sequence`; replays start after one ([`SubscriptionStore::replay`]).
    #[serde(default)]
    pub subscription_sequence: i64,
    /// Queued again by a replay request (delivered with `@secgraph.replayed`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replay: bool,
}

/// The payload of a [`LIFECYCLE_KIND`] outbox row: where to, and the whole notification (the
/// subscription may be gone by the time it is delivered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleJob {
    /// The `lifecycleNotificationUrl`.
    pub url: String,
    /// The lifecycle notification as sent.
    pub notification: serde_json::Value,
}

/// One tenant's subscriptions (cheap to clone).
#[derive(Debug, Clone)]
pub struct SubscriptionStore {
    tenant: TenantStore,
}

impl TenantStore {
    /// The tenant's change-notification subscriptions.
    pub fn subscriptions(&self) -> SubscriptionStore {
        SubscriptionStore {
            tenant: self.clone(),
        }
    }
}

/// A lifecycle notification (`reauthorizationRequired`, `subscriptionRemoved`, `missed`) of
/// `sub` in `tenant`, as Graph sends it.
pub fn lifecycle_notification(tenant: &str, sub: &Subscription, event: &str) -> serde_json::Value {
    serde_json::json!({
        "subscriptionId": sub.id,
        "subscriptionExpirationDateTime": datetime::format(sub.expiration_date_time),
        "tenantId": tenant,
        "clientState": sub.client_state,
        "lifecycleEvent": event,
    })
}
