//! The statements of the ingest path, spelled once for the transaction's dialect.

use crate::backend::Tx;
use crate::dialect::statement;
use crate::schema::HOT_COLUMNS;

/// The alert statements, spelled for the transaction's dialect.
pub(super) struct Statements {
    pub(super) select: String,
    pub(super) insert: String,
    pub(super) update: String,
    pub(super) change: String,
}

impl Statements {
    pub(super) fn new(tx: &dyn Tx) -> Self {
        let d = tx.dialect();
        let fixed = [
            "tenant_id",
            "id",
            "doc",
            "legacy_doc",
            "extra",
            "evolvable",
            "seq",
        ];
        let names: Vec<&str> = fixed
            .iter()
            .copied()
            .chain(HOT_COLUMNS.iter().map(|c| c.name))
            .collect();
        let values: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sets: Vec<String> = names
            .iter()
            .enumerate()
            .skip(2)
            .map(|(i, n)| format!("{n} = ${}", i + 1))
            .collect();
        Statements {
            select: statement(
                d,
                "SELECT doc, extra FROM alerts WHERE tenant_id = $1 AND id = $2",
            ),
            insert: statement(
                d,
                &format!(
                    "INSERT INTO alerts ({}) VALUES ({})",
                    names.join(", "),
                    values.join(", ")
                ),
            ),
            update: statement(
                d,
                &format!(
                    "UPDATE alerts SET {} WHERE tenant_id = $1 AND id = $2",
                    sets.join(", ")
                ),
            ),
            change: statement(
                d,
                "INSERT INTO alert_changes (tenant_id, seq, alert_id, change_type, origin, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            ),
        }
    }
}
