//! The checksum of a table: SHA-256 over a canonical encoding of its rows in primary-key order, the
//! same on every backend, so a copy can be verified by reading both databases back independently.
//!
//! Encoding: the table name and column names (each length-prefixed), then for every row, for every
//! column, a type tag and the value's bytes:
//!
//! | value | bytes |
//! |---|---|
//! | NULL | `N` |
//! | integer (and Boolean, as 0/1: SQLite has no Booleans) | `I`, 8 bytes big-endian |
//! | real | `R`, the IEEE 754 bits, 8 bytes big-endian |
//! | text | `T`, length as 8 bytes big-endian, the UTF-8 bytes |
//!
//! Every column has a fixed place and every variable-length value a length, so two different tables
//! never encode alike.

use crate::value::Value;
use sha2::{Digest, Sha256};

/// A running checksum of one table.
pub(crate) struct Checksum {
    hasher: Sha256,
    rows: u64,
}

impl Checksum {
    /// Starts the checksum of `table` with `columns`.
    pub(crate) fn new(table: &str, columns: &[String]) -> Checksum {
        let mut c = Checksum {
            hasher: Sha256::new(),
            rows: 0,
        };
        c.text(table);
        for column in columns {
            c.text(column);
        }
        c
    }

    fn text(&mut self, s: &str) {
        self.hasher.update((s.len() as u64).to_be_bytes());
        self.hasher.update(s.as_bytes());
    }

    /// Adds one row.
    pub(crate) fn row(&mut self, row: &[Value]) {
        for value in row {
            match value {
                Value::Null => self.hasher.update(b"N"),
                Value::Int(i) => {
                    self.hasher.update(b"I");
                    self.hasher.update(i.to_be_bytes());
                }
                Value::Bool(b) => {
                    self.hasher.update(b"I");
                    self.hasher.update(i64::from(*b).to_be_bytes());
                }
                Value::Real(f) => {
                    self.hasher.update(b"R");
                    self.hasher.update(f.to_bits().to_be_bytes());
                }
                Value::Text(s) => {
                    self.hasher.update(b"T");
                    self.text(s);
                }
            }
        }
        self.rows += 1;
    }

    /// The row count and the digest as lowercase hex.
    pub(crate) fn finish(self) -> (u64, String) {
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        (self.rows, hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(rows: &[Vec<Value>]) -> (u64, String) {
        let mut c = Checksum::new("t", &["a".into(), "b".into()]);
        for r in rows {
            c.row(r);
        }
        c.finish()
    }

    #[test]
    fn type_and_boundaries_change_the_digest() {
        let text = sum(&[vec!["1".into(), Value::Null]]);
        let int = sum(&[vec![Value::Int(1), Value::Null]]);
        assert_ne!(text.1, int.1, "text '1' and integer 1 differ");
        let split = sum(&[vec!["ab".into(), "c".into()]]);
        let joined = sum(&[vec!["a".into(), "bc".into()]]);
        assert_ne!(split.1, joined.1);
        let empty = sum(&[vec!["".into(), Value::Null]]);
        assert_ne!(empty.1, text.1);
        assert_eq!(
            sum(&[vec![Value::Bool(true), Value::Null]]),
            sum(&[vec![Value::Int(1), Value::Null]])
        );
        assert_eq!(sum(&[]).0, 0);
        assert_eq!(sum(&[]).1.len(), 64);
    }
}
