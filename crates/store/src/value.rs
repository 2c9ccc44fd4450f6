//! Backend-neutral SQL values: what queries bind as parameters and what rows come back as.
//!
//! Queries are written once against a [`Dialect`](crate::dialect::Dialect) and run on any backend, so
//! parameters and results travel as this small enum rather than as a driver's own types.

use crate::error::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};

/// One SQL value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// A boolean parameter (SQLite binds it as 0/1; PostgreSQL as `boolean`).
    Bool(bool),
}

/// One result row, columns in `SELECT` order.
pub(crate) type Row = Vec<Value>;

impl Value {
    /// The text, or an error naming `what` when the value is not text.
    pub(crate) fn into_text(self, what: &str) -> Result<String, StoreError> {
        match self {
            Value::Text(s) => Ok(s),
            other => Err(StoreError::Corrupt(format!(
                "{what}: expected text, found {other:?}"
            ))),
        }
    }

    /// The text, `None` for NULL, or an error naming `what`.
    pub(crate) fn into_opt_text(self, what: &str) -> Result<Option<String>, StoreError> {
        match self {
            Value::Null => Ok(None),
            other => other.into_text(what).map(Some),
        }
    }

    /// The integer, or an error naming `what`.
    pub(crate) fn as_int(&self, what: &str) -> Result<i64, StoreError> {
        match self {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(StoreError::Corrupt(format!(
                "{what}: expected an integer, found {other:?}"
            ))),
        }
    }

    /// The value as JSON (for skip tokens).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Int(i) => (*i).into(),
            Value::Real(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Text(s) => s.clone().into(),
            Value::Bool(b) => (*b).into(),
        }
    }

    /// The value back from JSON; `None` for arrays and objects, which no sort key produces.
    pub(crate) fn from_json(v: &serde_json::Value) -> Option<Value> {
        match v {
            serde_json::Value::Null => Some(Value::Null),
            serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Value::Int)
                .or_else(|| n.as_f64().map(Value::Real)),
            serde_json::Value::String(s) => Some(Value::Text(s.clone())),
            _ => None,
        }
    }

    /// Converts a borrowed SQLite value.
    pub(crate) fn from_sqlite(v: ValueRef<'_>) -> Result<Value, StoreError> {
        Ok(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(
                std::str::from_utf8(t)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .to_owned(),
            ),
            ValueRef::Blob(_) => return Err(StoreError::Corrupt("unexpected BLOB column".into())),
        })
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Text)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
        })
    }
}
