//! Multi-row `INSERT`s: many rows per statement, so that a bulk write costs one round trip per
//! chunk on PostgreSQL instead of one per row (on SQLite it makes no measurable difference).

use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;

/// One cell of a row's tuple.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    /// The statement-wide value number `n` (1-based), the same in every row.
    Shared(usize),
    /// The row's own value number `n` (0-based).
    Own(usize),
}

/// Inserts rows into `into` (`"table (col, …)"`), `per_statement` rows per statement: each row is
/// `layout` over the `shared` values and its own values, which `own` yields row after row.
pub(crate) fn insert_rows(
    tx: &mut dyn Tx,
    into: &str,
    layout: &[Slot],
    shared: &[Value],
    own: impl IntoIterator<Item = Value>,
    per_statement: usize,
) -> Result<(), StoreError> {
    insert_with(tx, into, layout, shared, own, per_statement, "")
}

/// [`insert_rows`], skipping rows whose key is already there (`ON CONFLICT DO NOTHING`, both
/// backends).
pub(crate) fn insert_new_rows(
    tx: &mut dyn Tx,
    into: &str,
    layout: &[Slot],
    shared: &[Value],
    own: impl IntoIterator<Item = Value>,
    per_statement: usize,
) -> Result<(), StoreError> {
    let conflict = " ON CONFLICT DO NOTHING";
    insert_with(tx, into, layout, shared, own, per_statement, conflict)
}

fn insert_with(
    tx: &mut dyn Tx,
    into: &str,
    layout: &[Slot],
    shared: &[Value],
    own: impl IntoIterator<Item = Value>,
    per_statement: usize,
    conflict: &str,
) -> Result<(), StoreError> {
    let width = layout.iter().filter(|s| matches!(s, Slot::Own(_))).count();
    let mut own = own.into_iter().peekable();
    while own.peek().is_some() {
        let mut params = shared.to_vec();
        params.extend(own.by_ref().take(per_statement * width));
        let rows = (params.len() - shared.len()) / width.max(1);
        let sql = statement(
            tx.dialect(),
            &format!(
                "INSERT INTO {into} VALUES {}{conflict}",
                values_list(rows, shared.len(), layout)
            ),
        );
        tx.execute(&sql, &params)?;
    }
    Ok(())
}

/// The `VALUES` list for `rows` tuples laid out as `layout`, after `shared` statement-wide
/// parameters; rows' own parameters follow the shared ones, row after row.
fn values_list(rows: usize, shared: usize, layout: &[Slot]) -> String {
    let own = layout.iter().filter(|s| matches!(s, Slot::Own(_))).count();
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = layout
                .iter()
                .map(|slot| match slot {
                    Slot::Shared(n) => format!("${n}"),
                    Slot::Own(n) => format!("${}", shared + r * own + n + 1),
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_list_numbers_each_row_s_own_parameters_after_the_shared_ones() {
        let layout = [Slot::Shared(1), Slot::Own(0), Slot::Shared(2), Slot::Own(1)];
        assert_eq!(
            values_list(3, 2, &layout),
            "($1, $3, $2, $4), ($1, $5, $2, $6), ($1, $7, $2, $8)"
        );
        assert_eq!(values_list(0, 2, &layout), "");
    }
}
