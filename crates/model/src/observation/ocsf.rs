//! OCSF (Open Cybersecurity Schema Framework) events, recognised by `class_uid` or
//! `category_uid`. The fields read are in the table of the [module docs](super); `time` is epoch
//! milliseconds (`timestamp_t`).
//!
//! | `class_uid` | class | kind |
//! |---|---|---|
//! | 1001 | File System Activity | `file` |
//! | 4001 | Network Activity | `network` |
//! | 4002 | HTTP Activity | `http` |
//! | 4003 | DNS Activity | `dns` |
//! | 4009, 4010, 4011 | Email Activity, Email File Activity, Email URL Activity | `email` |
//! | other | | inferred from the values found |
//!
//! File hashes are `file.hashes[]` fingerprints: `algorithm_id` 1 (MD5), 2 (SHA-1), 3 (SHA-256)
//! and 5 (CTPH) are read; 0 (Unknown), 99 (Other) and unrecognised `algorithm` names are typed by
//! length; algorithms Graph's `fileHashType` cannot name (SHA-512, TLSH, …) are ignored.

use super::fields::{Field, Fields, Leaf};
use super::ObservationKind;

/// The kind `class_uid` states.
pub(crate) fn kind(f: &Fields<'_>) -> Option<ObservationKind> {
    let class = match f.first(Field::ClassUid)? {
        Leaf::Int(n) => *n,
        Leaf::Str(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    match class {
        1001 => Some(ObservationKind::File),
        4001 => Some(ObservationKind::Network),
        4002 => Some(ObservationKind::Http),
        4003 => Some(ObservationKind::Dns),
        4009..=4011 => Some(ObservationKind::Email),
        _ => None,
    }
}

/// `metadata.product.name`.
pub(crate) fn product(f: &Fields<'_>) -> Option<String> {
    f.first(Field::MetadataProduct)
        .map(|l| l.text().trim().to_string())
}
