//! What a tenant's score is computed from besides its profiles: the control states reported for it
//! (by providers, `provider_control_states`, and through the admin API or CLI,
//! `secure_score_control_states`) and its settings (`secure_score_tenants`).

use super::SecureScoreStore;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::datetime;
use model::secure_score::{ControlState, Measurement, ADMIN_SOURCE};
use provider_protocol::ControlState as ReportedControl;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A tenant's settings for scoring and comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecureScoreSettings {
    /// Licensed users (`licensedUserCount`; the `TotalSeats` comparison basis).
    #[serde(default)]
    pub licensed_user_count: Option<i32>,
    /// Active users (`activeUserCount`).
    #[serde(default)]
    pub active_user_count: Option<i32>,
    /// The tenant's industry (the `IndustryTypes` comparison basis; compared without case).
    #[serde(default)]
    pub industry: Option<String>,
}

/// One reported control state, with who reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedState {
    /// The provider's name, or `admin` for the admin API and CLI.
    pub source: String,
    /// The provider's registry id (`None` for the admin API and CLI).
    pub provider_id: Option<String>,
    /// The state as reported.
    pub control: ReportedControl,
    /// When secgraph received it.
    pub received: OffsetDateTime,
}

impl ReportedState {
    /// The measurement scoring uses.
    pub fn measurement(&self) -> Measurement {
        let c = &self.control;
        Measurement {
            control_name: c.control_name.clone(),
            source: self.source.clone(),
            state: ControlState::parse(c.state.as_str()).unwrap_or(ControlState::Default),
            score: c.score,
            max_score: c.max_score,
            affected_item_count: c.affected_item_count,
            updated_date_time: c.updated_date_time,
        }
    }
}

impl SecureScoreStore {
    /// The tenant's settings (all unset when never configured).
    pub async fn settings(&self) -> Result<SecureScoreSettings, StoreError> {
        let sql = statement(
            self.store().dialect(),
            "SELECT licensed_user_count, active_user_count, industry FROM secure_score_tenants \
             WHERE tenant_id = $1",
        );
        let rows = self.store().read(&sql, &[self.tenant_id().into()]).await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(SecureScoreSettings::default());
        };
        let mut cols = row.into_iter();
        let mut next = || cols.next().unwrap_or(Value::Null);
        let count = |v: Value, what: &str| -> Result<Option<i32>, StoreError> {
            Ok(v.into_opt_int(what)?.and_then(|n| i32::try_from(n).ok()))
        };
        Ok(SecureScoreSettings {
            licensed_user_count: count(next(), "licensed_user_count")?,
            active_user_count: count(next(), "active_user_count")?,
            industry: next().into_opt_text("industry")?,
        })
    }

    /// Replaces the tenant's settings.
    pub async fn set_settings(&self, s: &SecureScoreSettings) -> Result<(), StoreError> {
        let params = vec![
            Value::from(self.tenant_id()),
            Value::from(s.licensed_user_count.map(i64::from)),
            Value::from(s.active_user_count.map(i64::from)),
            Value::from(s.industry.clone()),
            Value::from(datetime::format(self.tenant.now())),
        ];
        self.store()
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO secure_score_tenants \
                     (tenant_id, licensed_user_count, active_user_count, industry, updated) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE SET \
                     licensed_user_count = excluded.licensed_user_count, \
                     active_user_count = excluded.active_user_count, \
                     industry = excluded.industry, updated = excluded.updated",
                );
                tx.execute(&sql, &params).map(drop)
            })
            .await
    }

    /// Stores control states reported through the admin API or CLI (already validated): each
    /// replaces the earlier admin-reported state of its control (names compared without case).
    pub async fn report_control_states(
        &self,
        controls: Vec<ReportedControl>,
    ) -> Result<(), StoreError> {
        let now = datetime::format(self.tenant.now());
        let mut rows = Vec::with_capacity(controls.len());
        for c in &controls {
            rows.push(vec![
                Value::from(self.tenant_id()),
                Value::from(c.control_name.trim().to_ascii_lowercase()),
                Value::from(super::documents::doc_text(c, "control state")?),
                Value::from(now.as_str()),
            ]);
        }
        self.store()
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO secure_score_control_states (tenant_id, control_key, doc, received) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, control_key) DO UPDATE SET \
                     doc = excluded.doc, received = excluded.received",
                );
                for params in &rows {
                    tx.execute(&sql, params)?;
                }
                Ok(())
            })
            .await
    }

    /// Every control state reported for the tenant: by providers (named by their manifest) and
    /// through the admin API or CLI, by control name.
    pub async fn reported_states(&self) -> Result<Vec<ReportedState>, StoreError> {
        let dialect = self.store().dialect();
        let tenant = [Value::from(self.tenant_id())];
        let by_providers = statement(
            dialect,
            "SELECT p.name, s.provider_id, s.doc, s.received FROM provider_control_states s \
             JOIN providers p ON p.id = s.provider_id WHERE s.tenant_id = $1",
        );
        let by_admin = statement(
            dialect,
            "SELECT doc, received FROM secure_score_control_states WHERE tenant_id = $1",
        );
        let mut out = Vec::new();
        for row in self.store().read(&by_providers, &tenant).await? {
            let mut cols = row.into_iter();
            let mut next = |what: &str| cols.next().unwrap_or(Value::Null).into_text(what);
            let source = next("providers.name")?;
            let provider_id = Some(next("provider_control_states.provider_id")?);
            out.push(reported(
                source,
                provider_id,
                &next("doc")?,
                &next("received")?,
            )?);
        }
        for row in self.store().read(&by_admin, &tenant).await? {
            let mut cols = row.into_iter();
            let mut next = |what: &str| cols.next().unwrap_or(Value::Null).into_text(what);
            let (doc, received) = (next("doc")?, next("received")?);
            out.push(reported(ADMIN_SOURCE.to_owned(), None, &doc, &received)?);
        }
        out.sort_by(|a, b| {
            let key = |r: &ReportedState| r.control.control_name.to_ascii_lowercase();
            key(a).cmp(&key(b)).then(a.source.cmp(&b.source))
        });
        Ok(out)
    }
}

fn reported(
    source: String,
    provider_id: Option<String>,
    doc: &str,
    received: &str,
) -> Result<ReportedState, StoreError> {
    let control: ReportedControl = serde_json::from_str(doc)
        .map_err(|e| StoreError::Corrupt(format!("reported control state: {e}")))?;
    let received = datetime::parse(received).map_err(StoreError::Corrupt)?;
    Ok(ReportedState {
        source,
        provider_id,
        control,
        received,
    })
}
