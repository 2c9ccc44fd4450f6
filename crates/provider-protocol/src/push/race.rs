//! The race rule: a provider update arriving while a local PATCH of the same alert is on its way to
//! the provider (sync-back) or has just been applied there.
//!
//! When secgraph commits a PATCH it records a [`LocalChange`] with the properties the PATCH changed
//! ([`AlertChanges`]) and sends the provider an [`crate::AlertUpdate`] whose `baseVersion` is the
//! provider version stored at that moment. Until the provider answers, any update it pushes was
//! produced without knowing the PATCH, so:
//!
//! 1. The ordering rule ([`super::order`]) runs first: a stale, duplicate or mismatched update is
//!    never applied, PATCH or not.
//! 2. **Pending** (no answer yet): the update is applied, but the properties the PATCH changed keep
//!    their local values ([`Decision::ApplyKeepingLocal`], then [`keep_local`]). The local PATCH
//!    wins until the provider acknowledges it.
//! 3. **Applied with a version** (`providerVersion` `A` in the [`crate::CallbackAnswer`]): an update
//!    with a version at or after `A` reflects the PATCH or a later change made at the provider, and
//!    wins in full ([`Decision::Apply`]); one before `A` was produced before the provider applied
//!    the PATCH, so the local properties are kept as in 2. An `A` of the other version kind counts
//!    as no version.
//! 4. **Applied without a version**, or **rejected**: the guard is lifted; the next newer update wins
//!    in full. (A rejected PATCH stays visible in the alert's sync state; the provider's values
//!    come back with its next update.)
//!
//! Why not "an update newer than the PATCH's `baseVersion` wins": every update the provider sends
//! after the PATCH is newer than its base, including one produced before the PATCH reached it,
//! which would silently undo the PATCH. `baseVersion` is for the provider instead: it may answer
//! `rejected` when its alert moved past `baseVersion` in a way that conflicts.

use super::version::{order, Decision, ProviderVersion};
use crate::callback::AlertChanges;
use model::StoredAlert;
use std::cmp::Ordering;

/// The state of the newest local PATCH of an alert as far as its delivery to the provider goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalChange {
    /// Committed locally, not yet answered by the provider.
    Pending,
    /// The provider answered `applied`, with the alert's version after applying it when it said.
    Applied {
        /// `providerVersion` from the provider's answer.
        provider_version: Option<ProviderVersion>,
    },
    /// The provider answered `rejected`.
    Rejected,
}

/// The ordering rule together with the race rule (see the module docs).
pub fn decide(
    stored: Option<&ProviderVersion>,
    incoming: &ProviderVersion,
    local: Option<&LocalChange>,
) -> Decision {
    let decision = order(stored, incoming);
    if decision != Decision::Apply {
        return decision;
    }
    match local {
        None | Some(LocalChange::Rejected) => Decision::Apply,
        Some(LocalChange::Pending) => Decision::ApplyKeepingLocal,
        Some(LocalChange::Applied { provider_version }) => {
            let before_ack = provider_version
                .as_ref()
                .and_then(|acked| incoming.compare(acked))
                .is_some_and(|o| o == Ordering::Less);
            if before_ack {
                Decision::ApplyKeepingLocal
            } else {
                Decision::Apply
            }
        }
    }
}

/// Puts back into `incoming` (the provider's new alert) the properties `changes` names, taken from
/// `local` (the alert as stored with the PATCH applied), for [`Decision::ApplyKeepingLocal`].
///
/// `status` brings `resolvedDateTime` and the legacy dismissal along; `classification` brings the
/// legacy feedback; added comments are appended to the provider's comments unless already there.
pub fn keep_local(incoming: &mut StoredAlert, local: &StoredAlert, changes: &AlertChanges) {
    let (to, from) = (&mut incoming.alert, &local.alert);
    if changes.status.is_some() {
        to.status = from.status;
        to.resolved_date_time = from.resolved_date_time;
        incoming.legacy.dismissed = local.legacy.dismissed;
    }
    if changes.resolved_date_time.is_some() {
        to.resolved_date_time = from.resolved_date_time;
    }
    if changes.classification.is_some() {
        to.classification = from.classification;
        incoming.legacy.feedback.clone_from(&local.legacy.feedback);
    }
    if changes.determination.is_some() {
        to.determination = from.determination;
    }
    if changes.assigned_to.is_some() {
        to.assigned_to.clone_from(&from.assigned_to);
    }
    for c in &changes.comments {
        if !to.comments.contains(c) {
            to.comments.push(c.clone());
        }
    }
    if changes.dismissed.is_some() {
        incoming.legacy.dismissed = local.legacy.dismissed;
    }
    if changes.feedback.is_some() {
        incoming.legacy.feedback.clone_from(&local.legacy.feedback);
    }
    if changes.tags.is_some() {
        incoming.legacy.tags.clone_from(&local.legacy.tags);
    }
    if changes.legacy_comments.is_some() {
        incoming.legacy.comments.clone_from(&local.legacy.comments);
    }
}
