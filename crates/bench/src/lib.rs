//! secgraph's benchmark programs (not a library anyone depends on; `publish = false`).
//!
//! - `ingest`: durable ingest rate of demo alerts through [`store::TenantStore::ingest`], with every
//!   index and with each of [`store::schema::ALERT_INDEXES`] removed in turn (the index's cost).
//! - `bare-route`: an axum server answering every `GET` with one file's bytes and the headers secgraph
//!   sends, the ceiling `bench/http.sh` compares the real list route with.
//! - `indicators`: threat-indicator bulk submit and `POST /secgraph/v1/events` load against a
//!   running server (`bench/indicators.sh`), with the data of [`ti_mix`] and [`ti_events`].
//! - `providers`: provider push ingest rate and sync-back latency against a running server
//!   (`bench/providers.sh`): [`provider_setup`] registers a provider over the admin API,
//!   [`provider_push`] pushes [`pushed_alerts`], [`provider_sync`] PATCHes them and times the
//!   updates reaching a [`provider_double`].
//! - `notifications`: change-notification commit-to-receipt latency and delivery rate against a
//!   running server with S subscriptions (`bench/notifications.sh`), received by a
//!   [`notification_receiver`].
//! - `matcher-bench`: the matcher's lookup rate, memory and rebuild time (`bench/matcher.sh`).
//!
//! How to run them and the measured figures: `docs/performance.md`.

pub mod cpu_share;
pub mod load;
pub mod measure;
pub mod notification_receiver;
pub mod provider_double;
pub mod provider_push;
pub mod provider_setup;
pub mod provider_sync;
pub mod pushed_alerts;
pub mod rng;
pub mod ti_events;
pub mod ti_mix;
