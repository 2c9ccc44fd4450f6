//! A new incident's name: its first alert's title (`displayName`), and that alert's creation time
//! when it is older than the incident's row.

use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::incidents::rows::IncidentRow;
use crate::incidents::tally::Tally;
use model::{Alert, TenantId};
use time::OffsetDateTime;

/// Gives a new incident its first alert's title (`displayName`) and, when that alert is older
/// than the incident's row, its creation time. The job usually saw that alert (`first`);
/// otherwise it is read.
pub(super) fn name_after_first_alert(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    row: &mut IncidentRow,
    alerts: &Tally,
    first: Option<&(Option<String>, OffsetDateTime)>,
) -> Result<(), StoreError> {
    let (title, earliest) = match (first, alerts.earliest()) {
        (Some((title, created)), Some(earliest)) if *created == earliest => {
            (title.clone(), Some(earliest))
        }
        _ => match first_alert(tx, tenant, row.num)? {
            Some((title, created)) => (title, Some(created)),
            None => (None, None),
        },
    };
    if let Some(t) = earliest {
        row.incident.created_date_time = row.incident.created_date_time.min(t);
    }
    row.incident.display_name = title.or_else(|| Some(format!("Incident {}", row.num)));
    Ok(())
}

/// The title and `createdDateTime` of the earliest alert of incident `num`.
fn first_alert(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    num: i64,
) -> Result<Option<(Option<String>, OffsetDateTime)>, StoreError> {
    let d = tx.dialect();
    let sql = statement(
        d,
        &format!(
            "SELECT doc FROM alerts WHERE tenant_id = $1 AND {} \
             ORDER BY created_date_time, id LIMIT 1",
            d.ci_eq("incident_id", "$2")
        ),
    );
    let params = [tenant.as_str().into(), num.to_string().into()];
    let row = tx.query(&sql, &params)?.into_iter().next();
    match row.and_then(|r| r.into_iter().next()) {
        Some(cell) => {
            let alert: Alert = serde_json::from_str(&cell.into_text("alerts.doc")?)?;
            Ok(Some((alert.title, alert.created_date_time)))
        }
        None => Ok(None),
    }
}
