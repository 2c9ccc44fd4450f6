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

    /// The integer, `None` for NULL, or an error naming `what`.
    pub(crate) fn into_opt_int(self, what: &str) -> Result<Option<i64>, StoreError> {
        match self {
            Value::Null => Ok(None),
            other => other.as_int(what).map(Some),
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

impl From<Option<i64>> for Value {
    fn from(i: Option<i64>) -> Self {
        i.map_or(Value::Null, Value::Int)
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

/// Binds a [`Value`] to whatever type PostgreSQL inferred for the parameter: statements are written
/// once for both backends, so an integer may meet a `bigint`, an `integer` or a `boolean` column.
impl tokio_postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use tokio_postgres::types::{IsNull, Type};
        let mismatch = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot bind {self:?} to a parameter of type {ty}").into()
        };
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                // Integer-valued doubles are exact up to 2^53, far beyond any count or sequence.
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    s.as_str().to_sql(&Type::TEXT, out)
                }
                Type::JSONB => {
                    // JSONB's binary input: a version byte, then the JSON text.
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSON => {
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                _ => Err(mismatch()),
            },
            Value::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                Type::INT8 => i64::from(*b).to_sql(ty, out),
                Type::INT4 => i32::from(*b).to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_ty: &tokio_postgres::types::Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

impl Value {
    /// Converts every column of a PostgreSQL row.
    pub(crate) fn row_from_postgres(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
        use tokio_postgres::types::Type;
        let corrupt = |e: tokio_postgres::Error| StoreError::Corrupt(e.to_string());
        (0..row.len())
            .map(|i| {
                let ty = row.columns()[i].type_();
                Ok(match *ty {
                    Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
                        .try_get::<_, Option<String>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, Value::Text),
                    Type::INT8 => row
                        .try_get::<_, Option<i64>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, Value::Int),
                    Type::INT4 => row
                        .try_get::<_, Option<i32>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, |v| Value::Int(v.into())),
                    Type::INT2 => row
                        .try_get::<_, Option<i16>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, |v| Value::Int(v.into())),
                    Type::FLOAT8 => row
                        .try_get::<_, Option<f64>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, Value::Real),
                    Type::FLOAT4 => row
                        .try_get::<_, Option<f32>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, |v| Value::Real(v.into())),
                    Type::BOOL => row
                        .try_get::<_, Option<bool>>(i)
                        .map_err(corrupt)?
                        .map_or(Value::Null, Value::Bool),
                    _ => {
                        return Err(StoreError::Corrupt(format!(
                            "column {} has type {ty}, which the store does not read",
                            row.columns()[i].name()
                        )))
                    }
                })
            })
            .collect()
    }
}
