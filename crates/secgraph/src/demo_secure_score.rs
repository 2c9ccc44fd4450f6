//! The demo tenant's secure score (`serve --demo`): its settings, its decisions about a few
//! controls, the last day's measurements as administrator-reported control states (so the daily
//! job carries on from them), and 90 days of snapshots ending at the demo anchor
//! ([`demo::secure_score`]). Idempotent: states and snapshots replace their earlier copies, and
//! decisions are recorded only on profiles the tenant has not decided about.

use anyhow::Context;
use demo::secure_score::{self as history, HistoryDay};
use demo::DemoConfig;
use model::patch::ControlProfilePatch;
use model::secure_score::ScoreInputs;
use model::TenantId;
use serde_json::json;
use store::secure_score::{SecureScoreSettings, SecureScoreStore};
use store::Store;

/// Loads the demo tenant's secure score; returns the number of snapshots written.
pub async fn load(store: &Store, cfg: &DemoConfig) -> anyhow::Result<usize> {
    let h = history::secure_score_history(cfg).context("the demo secure-score history")?;
    let ss = store.tenant(&cfg.tenant).secure_score();
    let settings = SecureScoreSettings {
        licensed_user_count: Some(history::LICENSED_USERS),
        active_user_count: Some(history::ACTIVE_USERS),
        industry: Some(history::INDUSTRY.to_owned()),
    };
    ss.set_settings(&settings).await?;
    record_decisions(&ss, &h).await?;
    if let Some(last) = h.days.last() {
        let tenant = cfg.tenant.as_str();
        api::admin::secure_score_ops::report_control_states(store, tenant, reported(last)).await?;
    }
    let days: Vec<(ScoreInputs, Option<String>)> = h
        .days
        .iter()
        .map(|d| (inputs(&cfg.tenant, d, &h), settings.industry.clone()))
        .collect();
    let written = ss.store_history(days).await?.len();
    tracing::info!(snapshots = written, "demo secure-score history loaded");
    Ok(written)
}

/// Records each demo decision on a profile that has none yet.
async fn record_decisions(
    ss: &SecureScoreStore,
    h: &history::SecureScoreHistory,
) -> anyhow::Result<()> {
    for (control, u) in &h.decisions {
        let profile = ss.get_profile(control).await?;
        if profile.is_none_or(|p| !p.control_state_updates.is_empty()) {
            continue;
        }
        let body = json!({"state": u.state.as_str(), "comment": u.comment, "assignedTo": u.assigned_to,
                          "vendorInformation": {"provider": "SecureScore", "vendor": "secgraph"}});
        let patch =
            ControlProfilePatch::from_json(&body).map_err(|e| anyhow::anyhow!(e.message))?;
        let at = u.updated_date_time.unwrap_or(h.days[0].created);
        ss.update_profile(control, patch, u.updated_by.clone(), at)
            .await?;
    }
    Ok(())
}

/// A day's measurements as an administrator reports them (`{"controls": [...]}`).
fn reported(day: &HistoryDay) -> serde_json::Value {
    let controls: Vec<serde_json::Value> = day
        .measurements
        .iter()
        .map(|m| {
            json!({"controlName": m.control_name, "state": m.state.as_str(),
                "score": m.score, "maxScore": m.max_score, "affectedItemCount": m.affected_item_count,
                "updatedDateTime": model::datetime::format(m.updated_date_time)})
        })
        .collect();
    json!({ "controls": controls })
}

fn inputs(tenant: &TenantId, d: &HistoryDay, h: &history::SecureScoreHistory) -> ScoreInputs {
    ScoreInputs {
        tenant: tenant.to_string(),
        created: d.created,
        measurements: d.measurements.clone(),
        decisions: h.decisions_at(d.created),
        licensed_user_count: Some(history::LICENSED_USERS),
        active_user_count: Some(history::ACTIVE_USERS),
    }
}
