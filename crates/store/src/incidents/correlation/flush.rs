//! The end of a write job (`finish_job`): what the engine decided becomes rows. In rounds, until
//! nothing is left:
//!
//! 1. the engine's changes are applied to incident rows (opened, redirected, reopened, reasons);
//! 2. the alerts the engine moved are handed back to the store, which rewrites them through the
//!    ingest path (their incidents, old and new, are rolled up afterwards);
//! 3. every touched incident is rolled up ([`crate::incidents::rollup`]); one whose resolution
//!    changed that way tells the engine (a resolved incident takes no new alerts), which may
//!    decide more.
//!
//! Last, the pins are persisted when a manual decision or a guard state changed.

use super::{guard_state, row_key, Correlation, Job, TenantCorrelation};
use crate::backend::Tx;
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::hooks::{ChangeType, HookContext};
use crate::incidents::rollup;
use crate::incidents::rows::{self, parse_id, IncidentRow};
use crate::incidents::tally::{self, Tally};
use crate::value::Value;
use correlate::{Change, Engine, IncidentKey, Reason};
use model::incident::{CorrelatedEntity, CorrelationReason};
use model::{AlertId, Incident, IncidentId, IncidentStatus, TenantId};
use std::collections::{BTreeSet, HashMap};
use time::OffsetDateTime;

/// Most rounds of changes and roll-ups in one call (each round settles what the previous one
/// decided; the engine's decisions converge in two or three).
const MAX_ROUNDS: usize = 16;

/// `finish_job` for `state` (see the module docs): the alerts to rewrite, or none when done.
pub(super) fn finish(
    c: &Correlation,
    state: &mut TenantCorrelation,
    ctx: &mut HookContext<'_>,
) -> Result<Vec<AlertId>, StoreError> {
    let tenant = ctx.tenant_id().clone();
    let now = ctx.now();
    for _ in 0..MAX_ROUNDS {
        let job = &mut state.job;
        if !job.changes.is_empty() {
            let changes = std::mem::take(&mut job.changes);
            let engine = state.engine.as_ref();
            apply_changes(c, job, engine, ctx.tx, &tenant, now, &changes)?;
        }
        if !job.moved.is_empty() {
            let moved: Vec<String> = std::mem::take(&mut job.moved).into_iter().collect();
            for (alert, from) in current_incidents(ctx.tx, &tenant, &moved)? {
                job.touched.insert(from);
                if let Some(to) = job.moved_to.remove(&alert) {
                    job.moves.push((from, to));
                }
            }
            return Ok(moved.into_iter().map(AlertId).collect());
        }
        let touched = std::mem::take(&mut job.touched);
        if touched.is_empty() {
            break;
        }
        let flipped = roll_up(job, &mut state.tallies, ctx.tx, &tenant, &touched)?;
        if let Some(engine) = state.engine.as_mut() {
            for row in flipped {
                let outcome =
                    engine.set_incident_state(IncidentKey(row_key(&row)), guard_state(&row));
                state.job.pins_changed = true;
                state.job.record(outcome, None);
            }
        }
    }
    if !(state.job.changes.is_empty() && state.job.touched.is_empty()) {
        return Err(StoreError::Hook(format!(
            "correlation did not settle within {MAX_ROUNDS} rounds"
        )));
    }
    save_rows(&mut state.job, ctx.tx, &tenant, now)?;
    if std::mem::take(&mut state.job.pins_changed) {
        if let Some(engine) = state.engine.as_ref() {
            let pins = engine.pins();
            let (saved, held) = (&mut state.saved_pins, &state.held);
            super::pins::save(ctx.tx, &tenant, saved, held, &pins, now)?;
        }
    }
    Ok(Vec::new())
}

/// Loads the rows `nums` the job does not hold yet.
fn ensure_rows(
    job: &mut Job,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    nums: &[i64],
) -> Result<(), StoreError> {
    // An incident the engine opened in this job has no row yet (keys are never reused).
    let missing: Vec<i64> = nums
        .iter()
        .copied()
        .filter(|n| !job.rows.contains_key(n))
        .filter(|n| u64::try_from(*n).is_ok_and(|k| !job.opened.contains(&k)))
        .collect();
    if !missing.is_empty() {
        job.rows.extend(rows::load_many(tx, tenant, &missing)?);
    }
    Ok(())
}

/// Writes every row the job changed, stamped `now`. An incident the job opened and merged away
/// again is not written: no committed alert was ever in it, so nobody can have seen it.
fn save_rows(
    job: &mut Job,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let sql = rows::save_sql(tx.dialect());
    let fresh = std::mem::take(&mut job.fresh);
    for n in std::mem::take(&mut job.dirty) {
        if let Some(row) = job.rows.get_mut(&n) {
            if fresh.contains(&n) && row.incident.status == IncidentStatus::Redirected {
                continue;
            }
            row.incident.last_update_date_time = now;
            let change = if fresh.contains(&n) {
                ChangeType::Created
            } else {
                ChangeType::Updated
            };
            rows::save_with(tx, &sql, tenant, row, change, now)?;
        }
    }
    job.rows.clear();
    Ok(())
}

/// A new incident row `num` (its roll-up fills in the rest).
fn new_row(c: &Correlation, tenant: &TenantId, num: i64, now: OffsetDateTime) -> IncidentRow {
    let id = num.to_string();
    let mut incident = Incident::open(IncidentId(id.clone()), tenant.as_str(), now);
    incident.incident_web_url = c.web_url(&id);
    IncidentRow {
        num,
        status_by_user: false,
        incident,
        stored_reasons: None,
    }
}

/// Applies the engine's `changes` to the incident rows they name. Reasons are read from `engine`
/// once per incident, after the other changes: a job that adds many alerts to one incident asks
/// for its reasons once.
fn apply_changes(
    c: &Correlation,
    job: &mut Job,
    engine: Option<&Engine>,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
    changes: &[Change],
) -> Result<(), StoreError> {
    let num = |k: &IncidentKey| i64::try_from(k.0).unwrap_or(i64::MAX);
    let keys: BTreeSet<i64> = changes
        .iter()
        .flat_map(|ch| match ch {
            Change::Opened { incident }
            | Change::Reopened { incident }
            | Change::Assigned { incident, .. }
            | Change::Reasons { incident } => vec![num(incident)],
            Change::Redirected { from, into } => vec![num(from), num(into)],
        })
        .collect();
    let keys: Vec<i64> = keys.into_iter().collect();
    ensure_rows(job, tx, tenant, &keys)?;
    for k in keys {
        if let std::collections::hash_map::Entry::Vacant(e) = job.rows.entry(k) {
            e.insert(new_row(c, tenant, k, now));
            job.dirty.insert(k);
            job.fresh.insert(k);
        }
    }
    let mut reasons_changed: BTreeSet<IncidentKey> = BTreeSet::new();
    for change in changes {
        let n = match change {
            Change::Redirected { from, .. } => num(from),
            Change::Reopened { incident } => num(incident),
            Change::Reasons { incident } => {
                reasons_changed.insert(*incident);
                continue;
            }
            Change::Opened { .. } | Change::Assigned { .. } => continue,
        };
        if let Some(row) = job.rows.get_mut(&n) {
            apply_change(row, change);
            job.dirty.insert(n);
        }
    }
    for key in reasons_changed {
        let n = num(&key);
        if let Some(row) = job.rows.get_mut(&n) {
            // A redirected incident has no reasons of its own (the engine answers none).
            let reasons = engine.map_or(&[][..], |e| e.reasons(key));
            row.incident.correlation_reasons = reasons.iter().map(wire_reason).collect();
            row.stored_reasons = None;
            job.dirty.insert(n);
        }
    }
    Ok(())
}

/// Applies a redirect or a reopening to the incident's row.
fn apply_change(row: &mut IncidentRow, change: &Change) {
    let i = &mut row.incident;
    match change {
        Change::Redirected { into, .. } => {
            i.status = IncidentStatus::Redirected;
            i.redirect_incident_id = Some(into.0.to_string());
            i.correlation_reasons.clear();
            row.stored_reasons = None;
            row.status_by_user = false;
        }
        Change::Reopened { .. } => {
            i.status = IncidentStatus::Active;
            i.redirect_incident_id = None;
        }
        Change::Opened { .. } | Change::Assigned { .. } | Change::Reasons { .. } => {}
    }
}

/// A reason as the `correlationReasons` extension property shows it.
fn wire_reason(r: &Reason) -> CorrelationReason {
    CorrelationReason {
        rule: r.rule.clone(),
        entity: CorrelatedEntity {
            kind: r.entity.kind.as_str().to_owned(),
            value: r.entity.value.clone(),
        },
        alert_ids: r.alert_ids.clone(),
    }
}

/// Rolls the incidents `touched` up (marking those that changed); returns the rows whose
/// resolution changed. An incident the engine emptied without redirecting it (its alerts all
/// moved, `job.moves`) is redirected to where they went, so no live incident is left without
/// alerts.
fn roll_up(
    job: &mut Job,
    tallies: &mut HashMap<u64, Tally>,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    touched: &BTreeSet<u64>,
) -> Result<Vec<IncidentRow>, StoreError> {
    let nums: Vec<i64> = touched
        .iter()
        .filter_map(|k| i64::try_from(*k).ok())
        .collect();
    ensure_rows(job, tx, tenant, &nums)?;
    ensure_tallies(job, tallies, tx, tenant, &nums)?;
    let moves = std::mem::take(&mut job.moves);
    let mut flipped = Vec::new();
    let empty = Tally::default();
    for num in nums {
        let Some(row) = job.rows.get_mut(&num) else {
            continue;
        };
        let key = u64::try_from(num).unwrap_or(0);
        let alerts = tallies.get(&key).unwrap_or(&empty);
        let was_resolved = guard_state(row).resolved;
        let mut changed = false;
        if alerts.is_empty() && row.incident.status != IncidentStatus::Redirected {
            if let Some((_, to)) = moves
                .iter()
                .rev()
                .find(|(from, to)| *from == key && *to != key)
            {
                apply_change(
                    row,
                    &Change::Redirected {
                        from: IncidentKey(key),
                        into: IncidentKey(*to),
                    },
                );
                changed = true;
            }
        }
        changed |= rollup::apply(row, alerts);
        if row.incident.display_name.is_none() && !alerts.is_empty() {
            super::naming::name_after_first_alert(tx, tenant, row, alerts, job.firsts.get(&key))?;
            changed = true;
        }
        if changed {
            job.dirty.insert(num);
        }
        if guard_state(row).resolved != was_resolved {
            flipped.push(row.clone());
        }
    }
    Ok(flipped)
}

/// Makes `tallies` hold the incidents `nums`: read for those it lacks, except the incidents the
/// job opened (every alert of one went through `after_write`, which counted it).
fn ensure_tallies(
    job: &Job,
    tallies: &mut HashMap<u64, Tally>,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    nums: &[i64],
) -> Result<(), StoreError> {
    let lacking = |n: &i64| u64::try_from(*n).is_ok_and(|k| !tallies.contains_key(&k));
    let missing: Vec<i64> = nums.iter().copied().filter(lacking).collect();
    let unread = |n: &i64| u64::try_from(*n).is_ok_and(|k| !job.opened.contains(&k));
    let to_read: Vec<i64> = missing.iter().copied().filter(unread).collect();
    let mut read = tally::read(tx, tenant, &to_read)?;
    for n in missing {
        if let Ok(k) = u64::try_from(n) {
            tallies.insert(k, read.remove(&n).unwrap_or_default());
        }
    }
    Ok(())
}

/// The incidents the alerts `ids` are in now (before they are rewritten): (alert, incident).
fn current_incidents(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    ids: &[String],
) -> Result<Vec<(String, u64)>, StoreError> {
    /// Alerts per statement.
    const CHUNK: usize = 500;
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = statement(
            tx.dialect(),
            &format!(
                "SELECT id, incident_id FROM alerts WHERE tenant_id = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            ),
        );
        let mut params: Vec<Value> = vec![tenant.as_str().into()];
        params.extend(chunk.iter().map(|id| Value::from(id.as_str())));
        for row in tx.query(&sql, &params)? {
            let mut cols = row.into_iter();
            let id = cols.next().unwrap_or(Value::Null).into_text("alerts.id")?;
            let text = cols
                .next()
                .unwrap_or(Value::Null)
                .into_opt_text("alerts.incident_id")?;
            if let Some(n) = text.as_deref().and_then(parse_id) {
                out.push((id, u64::try_from(n).unwrap_or(0)));
            }
        }
    }
    Ok(out)
}
