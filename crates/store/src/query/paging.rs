//! Ordering and keyset paging.
//!
//! A list is ordered by its `$orderby` items (default `createdDateTime desc`) and then by `id` in the
//! direction of the last item, so the order is total. NULLs sort first ascending and last descending
//! on every backend. A page's `$skiptoken` is base64url JSON holding the last row's sort-key values
//! and a hash of everything that shapes the order (view, tenant, rendered filter and its parameters,
//! sort keys); the next page continues strictly after that row (the expanded keyset predicate), so no
//! row is lost or repeated while rows are inserted between pages. A token presented with another
//! query, or altered, is refused.

use super::{enum_rank, resolve, Documents, SqlParams};
use crate::error::StoreError;
use crate::value::Value;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use odata::bound::{OrderBy, PropertyPath, ValuePath};
use odata::schema::PropType;
use serde::{Deserialize, Serialize};

/// One ORDER BY key.
#[derive(Debug, Clone)]
pub(crate) struct SortKey {
    pub(crate) sql: String,
    pub(crate) descending: bool,
    pub(crate) nullable: bool,
}

/// The sort keys for `orderby` (default: `docs`' default order, descending), ending with the `id`
/// tiebreaker.
pub(crate) fn sort_keys(
    p: &mut SqlParams,
    docs: &Documents,
    orderby: &[OrderBy],
) -> Result<Vec<SortKey>, StoreError> {
    let default = [OrderBy {
        path: PropertyPath::new(vec![docs.default_order], PropType::DateTimeOffset),
        descending: true,
    }];
    let items = if orderby.is_empty() {
        &default[..]
    } else {
        orderby
    };
    let mut keys = Vec::with_capacity(items.len() + 1);
    for item in items {
        let r = resolve(
            p,
            docs,
            &ValuePath {
                scope: 0,
                path: item.path.clone(),
            },
        )?;
        let sql = match item.path.ty {
            PropType::Enum(e) => enum_rank(&r.sql, e)?,
            _ => r.sql,
        };
        keys.push(SortKey {
            sql,
            descending: item.descending,
            nullable: r.nullable,
        });
    }
    let last_desc = keys.last().is_some_and(|k| k.descending);
    if keys.last().is_none_or(|k| k.sql != docs.id_column) {
        keys.push(SortKey {
            sql: docs.id_column.into(),
            descending: last_desc,
            nullable: false,
        });
    }
    Ok(keys)
}

/// `k1 ASC, k2 DESC, ...` with the dialect's NULL placement.
pub(crate) fn order_by_clause(p: &SqlParams, keys: &[SortKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            let dir = if k.descending { "DESC" } else { "ASC" };
            // NULL placement is spelled only where NULLs can occur: on PostgreSQL an explicit
            // `DESC NULLS LAST` on a NOT NULL column would not match a backward index scan.
            let nulls = if k.nullable {
                p.dialect.nulls_order(k.descending)
            } else {
                ""
            };
            format!("{} {dir}{nulls}", k.sql)
        })
        .collect();
    parts.join(", ")
}

/// The predicate selecting rows strictly after the row whose sort-key values are `values`.
pub(crate) fn keyset_predicate(p: &mut SqlParams, keys: &[SortKey], values: &[Value]) -> String {
    let mut disjuncts = Vec::new();
    let mut equal_prefix: Vec<String> = Vec::new();
    let n = keys.len().min(values.len());
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        if let Some(after) = after(p, k, v) {
            let mut terms = equal_prefix.clone();
            terms.push(after);
            disjuncts.push(terms.join(" AND "));
        }
        // Every bound parameter must appear in the statement (PostgreSQL types each one from
        // where it is used), so the last key's equality, which no disjunct uses, is not bound.
        if i + 1 < n {
            equal_prefix.push(equal(p, k, v));
        }
    }
    let mut sql = if disjuncts.is_empty() {
        "1 = 0".to_owned()
    } else {
        disjuncts
            .iter()
            .map(|d| format!("({d})"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    // A range bound on the leading key lets the index seek straight to the continuation point.
    if let (Some(k), Some(v)) = (keys.first(), values.first()) {
        if !k.nullable && *v != Value::Null {
            let op = if k.descending { "<=" } else { ">=" };
            sql = format!("{} {op} {} AND ({sql})", k.sql, p.bind(v.clone()));
        }
    }
    sql
}

fn equal(p: &mut SqlParams, k: &SortKey, v: &Value) -> String {
    match v {
        Value::Null => format!("{} IS NULL", k.sql),
        v => format!("{} = {}", k.sql, p.bind(v.clone())),
    }
}

/// `k` comes after `v` in this key's direction (NULLs first ascending, last descending).
fn after(p: &mut SqlParams, k: &SortKey, v: &Value) -> Option<String> {
    match (v, k.descending) {
        (Value::Null, false) => Some(format!("{} IS NOT NULL", k.sql)),
        (Value::Null, true) => None,
        (v, false) => Some(format!("{} > {}", k.sql, p.bind(v.clone()))),
        (v, true) if k.nullable => {
            let b = p.bind(v.clone());
            Some(format!("({} < {b} OR {} IS NULL)", k.sql, k.sql))
        }
        (v, true) => Some(format!("{} < {}", k.sql, p.bind(v.clone()))),
    }
}

/// What a skip token carries.
#[derive(Serialize, Deserialize)]
struct Token {
    /// Hash of the query shape, hex.
    h: String,
    /// Sort-key values of the last row, in key order.
    k: Vec<serde_json::Value>,
}

/// Encodes the continuation after a row with sort-key `values`.
pub(crate) fn encode_token(hash: u64, values: &[Value]) -> String {
    let token = Token {
        h: format!("{hash:016x}"),
        k: values.iter().map(Value::to_json).collect(),
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

/// Decodes a token issued for a query with `hash` and `width` sort keys.
pub(crate) fn decode_token(token: &str, hash: u64, width: usize) -> Result<Vec<Value>, StoreError> {
    let bad = |why: &str| StoreError::InvalidSkipToken(why.to_owned());
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .map_err(|_| bad("it is not base64url"))?;
    let token: Token =
        serde_json::from_slice(&bytes).map_err(|_| bad("it was not issued by this service"))?;
    if token.h != format!("{hash:016x}") {
        return Err(bad(
            "it belongs to a request with another $filter, $orderby or tenant",
        ));
    }
    if token.k.len() != width {
        return Err(bad("it does not match the sort order"));
    }
    token
        .k
        .iter()
        .map(|v| Value::from_json(v).ok_or_else(|| bad("it holds an invalid value")))
        .collect()
}

/// FNV-1a over `parts` (stable across builds and platforms, unlike `DefaultHasher`).
pub(crate) fn shape_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
