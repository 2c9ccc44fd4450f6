//! The secure-score operations, written once for `secgraph secure-score …` and the admin HTTP API
//! ([`super::secure_score`]): the control catalogue, a tenant's settings (licensed and active users,
//! industry), control states reported by an administrator for tenants without providers, and
//! computing snapshots on demand. Answers are camelCase JSON.

use super::ops::{existing_tenant, AdminError};
use model::datetime;
use model::secure_score::{Catalogue, ADMIN_SOURCE};
use model::TenantId;
use provider_protocol::{ControlState, ControlStateReport, PROTOCOL_VERSION};
use serde_json::{json, Map, Value};
use store::secure_score::{ReportedState, SecureScoreSettings};
use store::Store;

/// Longest industry name accepted.
pub const MAX_INDUSTRY_LEN: usize = 100;

/// A change of settings: each field `None` when not given, `Some(None)` to clear it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// `licensedUserCount`.
    pub licensed_user_count: Option<Option<i32>>,
    /// `activeUserCount`.
    pub active_user_count: Option<Option<i32>>,
    /// `industry`.
    pub industry: Option<Option<String>>,
}

/// The built-in catalogue: name, revision, version and every control with its measurement and
/// CIS / ATT&CK mappings.
pub fn catalogue() -> Result<Value, AdminError> {
    let c = Catalogue::builtin().map_err(|e| AdminError::Store(e.to_string()))?;
    let mut out = serde_json::to_value(c).map_err(|e| AdminError::Store(e.to_string()))?;
    out["version"] = Value::from(c.version.as_str());
    Ok(out)
}

/// `tenant`'s settings.
pub async fn settings(store: &Store, tenant: &str) -> Result<Value, AdminError> {
    let tenant = existing_tenant(store, tenant).await?;
    let s = store.tenant(&tenant).secure_score().settings().await?;
    settings_json(&tenant, &s)
}

/// Reads a settings change from JSON (`{licensedUserCount?, activeUserCount?, industry?}`; `null`
/// clears a setting).
pub fn parse_settings_change(body: &Value) -> Result<SettingsChange, AdminError> {
    let obj = body.as_object().ok_or_else(|| {
        AdminError::Invalid(
            "send a JSON object such as {\"licensedUserCount\": 250, \"industry\": \"Retail\"}"
                .into(),
        )
    })?;
    let mut change = SettingsChange::default();
    for (key, value) in obj {
        match key.as_str() {
            "licensedUserCount" => change.licensed_user_count = Some(count(key, value)?),
            "activeUserCount" => change.active_user_count = Some(count(key, value)?),
            "industry" => change.industry = Some(industry(value)?),
            other => {
                return Err(AdminError::Invalid(format!(
                    "unknown setting '{other}'; the settings are licensedUserCount, activeUserCount and industry"
                )))
            }
        }
    }
    Ok(change)
}

/// Applies `change` to `tenant`'s settings and answers them.
pub async fn update_settings(
    store: &Store,
    tenant: &str,
    change: SettingsChange,
) -> Result<Value, AdminError> {
    let tenant = existing_tenant(store, tenant).await?;
    let ss = store.tenant(&tenant).secure_score();
    let mut s = ss.settings().await?;
    if let Some(v) = change.licensed_user_count {
        s.licensed_user_count = v;
    }
    if let Some(v) = change.active_user_count {
        s.active_user_count = v;
    }
    if let Some(v) = change.industry {
        s.industry = v;
    }
    ss.set_settings(&s).await?;
    settings_json(&tenant, &s)
}

/// Stores control states for `tenant` from `{"controls": [...]}` (the provider protocol's control
/// entries; `updatedDateTime` defaults to now). Names must be catalogue controls (any case).
/// Answers the tenant's reported states afterwards.
pub async fn report_control_states(
    store: &Store,
    tenant: &str,
    body: Value,
) -> Result<Value, AdminError> {
    let tenant = existing_tenant(store, tenant).await?;
    let controls = parse_report(body, store.now_for(&tenant))?;
    store
        .tenant(&tenant)
        .secure_score()
        .report_control_states(controls)
        .await?;
    control_states_of(store, &tenant).await
}

/// Every control state reported for `tenant`, by providers and administrators.
pub async fn control_states(store: &Store, tenant: &str) -> Result<Value, AdminError> {
    let tenant = existing_tenant(store, tenant).await?;
    control_states_of(store, &tenant).await
}

/// Computes `tenant`'s snapshot of today now (replacing today's) and answers it.
pub async fn compute_snapshot(store: &Store, tenant: &str) -> Result<Value, AdminError> {
    let tenant = existing_tenant(store, tenant).await?;
    let score = store
        .tenant(&tenant)
        .secure_score()
        .compute_snapshot()
        .await?;
    serde_json::to_value(score).map_err(|e| AdminError::Store(e.to_string()))
}

/// Computes every tenant's snapshot of today now, then deletes snapshots older than
/// `retention_days` (0 deletes none).
pub async fn compute_all(store: &Store, retention_days: u32) -> Result<Value, AdminError> {
    let run = store.secure_score_snapshots().run(retention_days).await?;
    Ok(json!({
        "day": model::secure_score::score::day_text(run.day),
        "tenants": run.tenants,
        "pruned": run.pruned,
    }))
}

/// The control entries of a report body, validated as the provider protocol validates them and
/// checked against the catalogue.
fn parse_report(body: Value, now: time::OffsetDateTime) -> Result<Vec<ControlState>, AdminError> {
    let invalid = |m: String| AdminError::Invalid(m);
    let Value::Object(mut obj) = body else {
        return Err(invalid(
            "send {\"controls\": [{\"controlName\": …, \"state\": …, \"score\": …, \"maxScore\": …}]}".into(),
        ));
    };
    obj.remove("protocolVersion");
    let items = match obj.remove("controls") {
        Some(Value::Array(items)) => items,
        _ => {
            return Err(invalid(
                "'controls' must be a list of control states".into(),
            ))
        }
    };
    if let Some(other) = obj.keys().next() {
        return Err(invalid(format!(
            "unknown member '{other}'; send only 'controls'"
        )));
    }
    let mut controls = Vec::with_capacity(items.len());
    for (i, mut item) in items.into_iter().enumerate() {
        if let Value::Object(m) = &mut item {
            m.entry("updatedDateTime")
                .or_insert_with(|| Value::from(datetime::format(now)));
        }
        let c: ControlState =
            serde_json::from_value(item).map_err(|e| invalid(format!("controls[{i}]: {e}")))?;
        controls.push(c);
    }
    let report = ControlStateReport {
        protocol_version: PROTOCOL_VERSION,
        controls,
    };
    report.validate().map_err(|e| invalid(e.to_string()))?;
    in_catalogue(&report.controls)?;
    Ok(report.controls)
}

/// Refuses control names the catalogue does not have, naming them all.
fn in_catalogue(controls: &[ControlState]) -> Result<(), AdminError> {
    let cat = Catalogue::builtin().map_err(|e| AdminError::Store(e.to_string()))?;
    let unknown: Vec<&str> = controls
        .iter()
        .filter(|c| cat.get(&c.control_name).is_none())
        .map(|c| c.control_name.as_str())
        .collect();
    match unknown.is_empty() {
        true => Ok(()),
        false => Err(AdminError::Invalid(format!(
            "not in the control catalogue: {}; list the controls with `secgraph secure-score catalogue` or GET /secgraph/admin/v1/secureScore/controls",
            unknown.join(", ")
        ))),
    }
}

async fn control_states_of(store: &Store, tenant: &TenantId) -> Result<Value, AdminError> {
    let states = store
        .tenant(tenant)
        .secure_score()
        .reported_states()
        .await?;
    Ok(Value::from(
        states.iter().map(state_json).collect::<Vec<_>>(),
    ))
}

fn state_json(r: &ReportedState) -> Value {
    let c = &r.control;
    let known = Catalogue::builtin().is_ok_and(|cat| cat.get(&c.control_name).is_some());
    json!({
        "controlName": c.control_name,
        "source": r.source,
        "providerId": r.provider_id,
        "state": c.state.as_str(),
        "score": c.score,
        "maxScore": c.max_score,
        "affectedItemCount": c.affected_item_count,
        "updatedDateTime": datetime::format(c.updated_date_time),
        "receivedDateTime": datetime::format(r.received),
        "inCatalogue": known,
        "reportedByAdmin": r.source == ADMIN_SOURCE && r.provider_id.is_none(),
    })
}

fn settings_json(tenant: &TenantId, s: &SecureScoreSettings) -> Result<Value, AdminError> {
    let mut v = serde_json::to_value(s).map_err(|e| AdminError::Store(e.to_string()))?;
    if let Value::Object(m) = &mut v {
        let mut out = Map::new();
        out.insert("tenantId".into(), Value::from(tenant.as_str()));
        out.append(m);
        return Ok(Value::Object(out));
    }
    Ok(v)
}

fn count(key: &str, v: &Value) -> Result<Option<i32>, AdminError> {
    match v {
        Value::Null => Ok(None),
        _ => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| {
                AdminError::Invalid(format!(
                    "'{key}' must be a whole number of at least 0, or null"
                ))
            }),
    }
}

fn industry(v: &Value) -> Result<Option<String>, AdminError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) if s.chars().count() <= MAX_INDUSTRY_LEN => Ok(Some(s.trim().to_owned())),
        _ => Err(AdminError::Invalid(format!(
            "'industry' must be a name of at most {MAX_INDUSTRY_LEN} characters, or null"
        ))),
    }
}
