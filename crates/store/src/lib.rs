//! secgraph's storage: the only crate that speaks SQL.
//!
//! [`Store`] is a cheap-to-clone handle over a private backend — SQLite (one node) or PostgreSQL (one
//! or more nodes sharing the database) — chosen at run time by [`Database`]; every query is written
//! once against the backend's [`Dialect`](crate::dialect). Entity queries are reachable only through
//! [`Store::tenant`], so every statement is scoped to one tenant. Every alert write goes through one
//! ingest path ([`TenantStore::ingest`], [`TenantStore::update_alert`]): row, change sequence and
//! outbox rows commit together, with [`IngestHook`]s for enrichment and reactions. Bound OData
//! queries (`odata::bound`) are rendered to parameterised SQL with keyset paging. Every time read goes
//! through a [`Clock`]. Identity rows (tenants, applications, secrets, consents, signing keys) are
//! global and reached through [`Store::identity`]. [`transfer`] moves a whole deployment from one
//! store to another and verifies the copy. Incidents ([`incidents`]) are formed by correlation on
//! every alert write, inside its transaction.

mod alerts;
pub mod audit;
pub(crate) mod backend;
pub mod clock;
mod coalesce;
mod database;
pub mod detections;
pub(crate) mod dialect;
mod encode;
mod enrichment;
pub mod error;
pub mod events;
mod evolvable;
pub mod faults;
mod handle;
pub mod hooks;
pub mod identity;
pub mod incidents;
pub mod indicator_index;
pub mod indicators;
mod ingest;
pub mod metrics;
mod migrations;
mod multirow;
pub mod outbox;
pub mod outbox_worker;
mod prepared;
pub mod providers;
pub(crate) mod query;
pub mod schema;
pub mod secure_score;
pub mod security_actions;
pub mod subscriptions;
mod tenant;
pub mod tenant_clocks;
pub mod transfer;
mod update;
pub(crate) mod value;

pub use alerts::{ListRequest, Page, RawAlert};
pub use backend::postgres::PostgresOptions;
pub use backend::sqlite::SqliteOptions;
pub use clock::{Clock, ManualClock, SystemClock};
pub use database::Database;
pub use error::StoreError;
pub use events::StoreEvent;
pub use handle::Store;
pub use hooks::{
    AlertChange, AlertChangeRecord, ChangeType, HookContext, IngestHook, IngestOrigin,
    Substitution, WriteInfo,
};
pub use identity::IdentityStore;
pub use incidents::{Correlation, CorrelationSettings, IncidentStore};
pub use indicator_index::{IndicatorIndex, TenantIndex};
pub use indicators::{IndicatorStore, StoredIndicator};
pub use ingest::IngestSummary;
pub use metrics::{OutboxDepth, StoreMetrics};
pub use outbox::{Outbox, OutboxItem};
pub use outbox_worker::{spawn_worker, OutboxFailure, OutboxWorker, WorkerHandle, WorkerOptions};
pub use providers::{NewProvider, Provider, ProviderHealth, ProviderStore};
pub use query::list::EntityPage;
pub use query::AlertView;
#[doc(hidden)]
pub use query::{render_filter_sql, render_filter_sqlite};
pub use tenant::{AlertDelta, TenantStore};
pub use tenant_clocks::{ClockError, TenantClockStore, TenantTime};
pub use update::UpdateError;
