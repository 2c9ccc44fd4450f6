//! The `V8__subscriptions` schema (both backends, additive).
//!
//! * `subscriptions`: one row per change-notification subscription of a tenant. `doc` is the Graph
//!   entity ([`super::Subscription`]) as JSON, `clientState` included (the API leaves it out of
//!   lists); the columns before it copy what the notification hook and the lifecycle sweep select
//!   on: the owning application, the resource kind, the change types, the expiry, when a
//!   `reauthorizationRequired` was last queued and until when the receiver counts as slow.
//! * `notification_dead_letters`: notifications given up on after the delivery window, kept so an
//!   operator can see (and re-send by hand) what a subscriber missed.

/// The `V8__subscriptions` migration, with the `{text}`/`{int}`/`{serial_key}` holes of
/// `crate::migrations::Ddl`.
pub(crate) const V8_SUBSCRIPTIONS: &str = "CREATE TABLE subscriptions (
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    id {text} NOT NULL,
    application_id {text} NOT NULL,
    resource_kind {text} NOT NULL,
    change_types {text} NOT NULL,
    expires {text} NOT NULL,
    reauth_queued {text},
    slow_until {text},
    doc {text} NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX subscriptions_kind ON subscriptions (tenant_id, resource_kind);
CREATE INDEX subscriptions_expires ON subscriptions (expires);
CREATE TABLE notification_dead_letters (
    id {serial_key},
    tenant_id {text} NOT NULL REFERENCES tenants(id),
    subscription_id {text} NOT NULL,
    payload {text} NOT NULL,
    attempts {int} NOT NULL,
    enqueued {text} NOT NULL,
    given_up {text} NOT NULL,
    last_error {text}
);
CREATE INDEX notification_dead_letters_sub ON notification_dead_letters (tenant_id, subscription_id, id);
";
