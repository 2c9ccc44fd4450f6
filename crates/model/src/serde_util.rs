//! Serde helpers for Graph's lenient inputs.

use serde::{Deserialize, Deserializer};

/// Deserialises `null` as the type's default (Graph sends `null` for empty collections at times).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
