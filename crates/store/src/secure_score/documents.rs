//! The two document tables OData queries run over: `secure_scores` (one row per tenant and day) and
//! `secure_score_control_profiles` (one row per tenant and control), with the columns that hold
//! copies of single values, and the decoding of their rows.

use crate::error::StoreError;
use crate::query::Documents;
use crate::value::Value;
use model::secure_score::{SecureScore, SecureScoreControlProfile};
use serde::de::DeserializeOwned;

/// The secureScore documents. Lists are newest first (`createdDateTime` has the `created`
/// column); filters on other properties read the document (its JSONB copy on PostgreSQL).
pub(crate) static SECURE_SCORES: Documents = Documents {
    name: "secureScore",
    table: "secure_scores",
    doc_column: "secure_scores.doc",
    id_column: "secure_scores.id",
    default_order: "createdDateTime",
    hot_column: score_column,
};

fn score_column(path: &[&str]) -> Option<(&'static str, bool)> {
    match path {
        ["createdDateTime"] => Some(("created", false)),
        _ => None,
    }
}

/// The name [`CONTROL_PROFILES`] orders lists by when no `$orderby` is given. It is no property of
/// the entity (so no query can name it): it stands for the `sort_key` column, which holds the
/// negated rank, so that the list's default descending order is rank order.
const DEFAULT_ORDER: &str = "~rankOrder";

/// The secureScoreControlProfile documents, in rank order by default.
pub(crate) static CONTROL_PROFILES: Documents = Documents {
    name: "secureScoreControlProfile",
    table: "secure_score_control_profiles",
    doc_column: "secure_score_control_profiles.doc",
    id_column: "secure_score_control_profiles.id",
    default_order: DEFAULT_ORDER,
    hot_column: profile_column,
};

fn profile_column(path: &[&str]) -> Option<(&'static str, bool)> {
    match path {
        [DEFAULT_ORDER] => Some(("sort_key", false)),
        _ => None,
    }
}

/// The selected column of a score row.
pub(crate) const SCORE_COLUMNS: &str = "secure_scores.doc";
/// The selected column of a profile row.
pub(crate) const PROFILE_COLUMNS: &str = "secure_score_control_profiles.doc";

/// Decodes the document at the front of a row.
fn decode<T: DeserializeOwned>(
    cols: &mut std::vec::IntoIter<Value>,
    what: &str,
) -> Result<T, StoreError> {
    let text = cols
        .next()
        .ok_or_else(|| StoreError::Corrupt(format!("{what} row lacks its document")))?
        .into_text(what)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{what} document: {e}")))
}

/// Decodes a [`SCORE_COLUMNS`] row.
pub(crate) fn score_from(cols: &mut std::vec::IntoIter<Value>) -> Result<SecureScore, StoreError> {
    decode(cols, "secure_scores.doc")
}

/// Decodes a [`PROFILE_COLUMNS`] row.
pub(crate) fn profile_from(
    cols: &mut std::vec::IntoIter<Value>,
) -> Result<SecureScoreControlProfile, StoreError> {
    decode(cols, "secure_score_control_profiles.doc")
}

/// The document text of an entity.
pub(crate) fn doc_text<T: serde::Serialize>(entity: &T, what: &str) -> Result<String, StoreError> {
    serde_json::to_string(entity).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}
