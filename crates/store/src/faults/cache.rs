//! [`FaultProfiles`]: this node's copy of the tenants' fault profiles, with the per-tenant
//! counters that make the decisions reproducible. A tenant's row is re-read after [`CACHE_TTL`];
//! a re-read that finds the same version keeps the counters, a new version starts them from 0.

use super::decision::{DeliveryFaults, RequestFaults};
use super::profile::FaultProfile;
use crate::error::StoreError;
use crate::handle::Store;
use model::TenantId;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a node uses a tenant's profile (or its absence) before reading it again.
pub const CACHE_TTL: Duration = Duration::from_secs(1);

/// A tenant's profile in use on this node, with its counters.
#[derive(Debug)]
pub struct ActiveProfile {
    /// The profile.
    pub profile: FaultProfile,
    /// Its version (see `fault_profiles.version`).
    pub version: i64,
    requests: AtomicU64,
    deliveries: AtomicU64,
}

impl ActiveProfile {
    /// The decision for the next Graph request of the tenant on this node.
    pub fn next_request(&self) -> RequestFaults {
        self.profile
            .request(self.requests.fetch_add(1, Ordering::Relaxed))
    }

    /// The decision for the next notification delivery of the tenant on this node.
    pub fn next_delivery(&self) -> DeliveryFaults {
        self.profile
            .delivery(self.deliveries.fetch_add(1, Ordering::Relaxed))
    }
}

#[derive(Debug)]
struct Entry {
    read_at: Instant,
    active: Option<Arc<ActiveProfile>>,
}

/// This node's fault profiles (one per [`Store`], shared by its clones).
#[derive(Debug, Default)]
pub struct FaultProfiles {
    entries: Mutex<HashMap<TenantId, Entry>>,
    /// Increased by every [`FaultProfiles::forget`], so a read that began before a change does
    /// not put back what it read.
    generation: AtomicU64,
}

impl FaultProfiles {
    /// The tenant's profile in use, `None` when it has none. Read from the store when this node's
    /// copy is older than [`CACHE_TTL`].
    pub async fn active(
        &self,
        store: &Store,
        tenant: &TenantId,
    ) -> Result<Option<Arc<ActiveProfile>>, StoreError> {
        if let Some(e) = self.entries.lock().get(tenant) {
            if e.read_at.elapsed() < CACHE_TTL {
                return Ok(e.active.clone());
            }
        }
        let generation = self.generation.load(Ordering::Acquire);
        let stored = store.tenant(tenant).fault_profile().get().await?;
        let mut entries = self.entries.lock();
        let kept = entries.get(tenant).and_then(|e| e.active.clone());
        let active = match (stored, kept) {
            (None, _) => None,
            (Some(s), Some(k)) if k.version == s.version => Some(k),
            (Some(s), _) => Some(Arc::new(ActiveProfile {
                profile: s.profile,
                version: s.version,
                requests: AtomicU64::new(0),
                deliveries: AtomicU64::new(0),
            })),
        };
        if self.generation.load(Ordering::Acquire) != generation {
            return Ok(active);
        }
        entries.insert(
            tenant.clone(),
            Entry {
                read_at: Instant::now(),
                active: active.clone(),
            },
        );
        Ok(active)
    }

    /// Drops this node's copy of the tenant's profile (after a change made on this node).
    pub fn forget(&self, tenant: &TenantId) {
        let mut entries = self.entries.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(tenant);
    }
}
