//! Ingest hooks: code that runs inside the write transaction of every alert change — enrichment
//! before the row is written, and reactions after it (correlation, notifications, sync-back) that
//! enqueue outbox rows committed atomically with the change.
//!
//! A write job calls, in order: [`IngestHook::begin_job`] once (the tenant's row is locked), then
//! per alert [`IngestHook::before_write`] (outside the transaction for ingest batches),
//! [`IngestHook::settle`] (inside it, before the alert is compared with its stored row) and
//! [`IngestHook::after_write`], and last [`IngestHook::finish_job`]. Correlation
//! (`crate::incidents`) uses all of them: `before_write` puts a placeholder incident id into the
//! alert, `settle` asks the tenant's engine for the real one and has the store substitute it in the
//! already encoded row, and `finish_job` writes the incidents and has the alerts the engine moved
//! rewritten.

use crate::backend::Tx;
use crate::error::StoreError;
use crate::outbox;
use model::{AlertId, StoredAlert, TenantId};
use std::borrow::Cow;
use time::OffsetDateTime;

/// Where an alert write came from (recorded with each change; hooks use it, e.g. to avoid syncing a
/// provider's own change back to it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IngestOrigin {
    /// `secgraph import`.
    Import,
    /// The generated demo data.
    Demo,
    /// A change through the Graph API (PATCH, comments, updateAlerts).
    Api,
    /// A provider push or pull; the provider's name.
    Provider(String),
    /// A built-in connector (a tailed file or a pushed stream); the connector's name.
    Connector(String),
    /// secgraph recomputing what it adds to alerts (threat-intelligence matches) after the
    /// tenant's indicators changed.
    Enrichment,
}

impl IngestOrigin {
    /// The stored spelling: `import`, `demo`, `api`, `enrichment`, `provider:NAME`, `connector:NAME`.
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            IngestOrigin::Import => "import".into(),
            IngestOrigin::Demo => "demo".into(),
            IngestOrigin::Api => "api".into(),
            IngestOrigin::Enrichment => "enrichment".into(),
            IngestOrigin::Provider(p) => format!("provider:{p}").into(),
            IngestOrigin::Connector(c) => format!("connector:{c}").into(),
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<IngestOrigin> {
        match s {
            "import" => Some(IngestOrigin::Import),
            "demo" => Some(IngestOrigin::Demo),
            "api" => Some(IngestOrigin::Api),
            "enrichment" => Some(IngestOrigin::Enrichment),
            _ => match s.split_once(':') {
                Some(("provider", p)) => Some(IngestOrigin::Provider(p.to_owned())),
                Some(("connector", c)) => Some(IngestOrigin::Connector(c.to_owned())),
                _ => None,
            },
        }
    }
}

/// Whether a change created or updated the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeType {
    /// The alert did not exist in the tenant.
    Created,
    /// The alert existed and changed.
    Updated,
}

impl ChangeType {
    /// `created` / `updated` (Graph's change-notification spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Created => "created",
            ChangeType::Updated => "updated",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<ChangeType> {
        match s {
            "created" => Some(ChangeType::Created),
            "updated" => Some(ChangeType::Updated),
            _ => None,
        }
    }
}

/// What `before_write` hooks know about the write.
#[derive(Debug, Clone, Copy)]
pub struct WriteInfo<'a> {
    /// The tenant written to.
    pub tenant_id: &'a TenantId,
    /// Where the write came from.
    pub origin: &'a IngestOrigin,
    /// The store clock's time for this write.
    pub now: OffsetDateTime,
}

/// One committed-with-the-transaction alert change, as `after_write` hooks see it.
#[derive(Debug, Clone, Copy)]
pub struct AlertChange<'a> {
    /// The tenant.
    pub tenant_id: &'a TenantId,
    /// The tenant's change sequence number of this change.
    pub seq: i64,
    /// Created or updated.
    pub change_type: ChangeType,
    /// Where the write came from.
    pub origin: &'a IngestOrigin,
    /// When (store clock).
    pub at: OffsetDateTime,
    /// The alert before the change (`None` when created).
    pub previous: Option<&'a StoredAlert>,
    /// The alert as written.
    pub alert: &'a StoredAlert,
}

/// A row of the per-tenant change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertChangeRecord {
    /// Sequence number, strictly increasing per tenant.
    pub seq: i64,
    /// The alert changed.
    pub alert_id: AlertId,
    /// Created or updated.
    pub change_type: ChangeType,
    /// Where the write came from (`IngestOrigin::as_str`).
    pub origin: String,
    /// When.
    pub at: OffsetDateTime,
}

/// What the store's own hooks keep for the length of one write job (dropped with it, so a job that
/// fails leaves nothing behind).
#[derive(Default)]
pub(crate) struct JobState {
    /// The alert change notifications gathered until `finish_job` writes them all at once.
    pub(crate) notifications: crate::subscriptions::PendingAlertNotifications,
}

/// What an `after_write` hook may do inside the transaction.
pub struct HookContext<'a> {
    pub(crate) tx: &'a mut dyn Tx,
    pub(crate) tenant_id: &'a TenantId,
    pub(crate) now: OffsetDateTime,
    pub(crate) job: &'a mut JobState,
}

impl<'a> HookContext<'a> {
    /// A context over the job's transaction.
    pub(crate) fn new(
        tx: &'a mut dyn Tx,
        tenant_id: &'a TenantId,
        now: OffsetDateTime,
        job: &'a mut JobState,
    ) -> Self {
        HookContext {
            tx,
            tenant_id,
            now,
            job,
        }
    }

    /// Adds an outbox row (for the outbox worker of `kind`), committed with the change or not at all.
    pub fn enqueue(&mut self, kind: &str, payload: &serde_json::Value) -> Result<(), StoreError> {
        outbox::insert(self.tx, self.tenant_id, kind, payload, self.now)
    }

    /// The tenant of the change.
    pub fn tenant_id(&self) -> &TenantId {
        self.tenant_id
    }

    /// The store clock's time for this write.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }
}

/// Text the store replaces in an alert's encoded row after [`IngestHook::settle`]: every occurrence
/// of `placeholder` (in both view documents and the column values) becomes `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// Text `before_write` put into the alert, unique enough never to occur otherwise.
    pub placeholder: String,
    /// What it stands for.
    pub value: String,
}

/// Code run inside the write transaction of every alert change. Every method defaults to doing
/// nothing; an `Err` aborts the whole write (every alert of that ingest call) with
/// [`StoreError::Hook`].
pub trait IngestHook: Send + Sync {
    /// Start of a write job of the tenant, inside its transaction, after the tenant's row is
    /// locked (so jobs of one tenant run one after another, on every node).
    fn begin_job(&self, ctx: &mut HookContext<'_>) -> Result<(), String> {
        let _ = ctx;
        Ok(())
    }

    /// Inside the transaction, once per batch write (an ingest call, a provider's push), before the
    /// first of its alerts is settled: `fresh` are the batch's alerts that have no stored row
    /// (each will be written, as created). A hook whose work is cheaper for many alerts at once
    /// does it here; `settle` still runs for every alert afterwards.
    fn prepare_batch(
        &self,
        ctx: &mut HookContext<'_>,
        fresh: &[&StoredAlert],
    ) -> Result<(), String> {
        let _ = (ctx, fresh);
        Ok(())
    }

    /// Inside the transaction, before the alert (already through `before_write` and encoded) is
    /// compared with its stored row: sets what only the transaction can know on `alert` and
    /// returns the substitutions that make its encoded row say the same (so it is not encoded
    /// again).
    fn settle(
        &self,
        ctx: &mut HookContext<'_>,
        alert: &mut StoredAlert,
    ) -> Result<Vec<Substitution>, String> {
        let _ = (ctx, alert);
        Ok(Vec::new())
    }

    /// End of the write job, before the tenant's change sequence is stored. Returns alerts to
    /// rewrite through the ingest path in the same transaction (each goes through every stage
    /// again; what the hooks add is recomputed, the rest — `lastUpdateDateTime` included — stays as
    /// stored). Once they are written it is called again, until it returns none.
    fn finish_job(&self, ctx: &mut HookContext<'_>) -> Result<Vec<AlertId>, String> {
        let _ = ctx;
        Ok(Vec::new())
    }

    /// Enrichment: may change the alert before it is compared with the stored row and written.
    fn before_write(&self, alert: &mut StoredAlert, info: &WriteInfo<'_>) -> Result<(), String> {
        let _ = (alert, info);
        Ok(())
    }

    /// Reaction to a change that is being written (not for no-op re-ingests).
    fn after_write(
        &self,
        ctx: &mut HookContext<'_>,
        change: &AlertChange<'_>,
    ) -> Result<(), String> {
        let _ = (ctx, change);
        Ok(())
    }
}
