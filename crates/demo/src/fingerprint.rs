//! Stable identifiers derived from an entity's name: the same device, user, file or rule gets the
//! same id, hash or GUID in every alert that mentions it, whatever the seed — which is what lets
//! alerts from different providers be correlated later.

use crate::dice::Dice;

/// `len` hex digits derived from `label` (e.g. a 40-digit `mdeDeviceId`).
pub(crate) fn hex(label: &str, len: usize) -> String {
    Dice::for_label(label).hex(len)
}

/// A GUID derived from `label`, in canonical lowercase form.
pub(crate) fn guid(label: &str) -> String {
    Dice::for_label(label).uuid().to_string()
}

/// An integer in `lo ..= hi` derived from `label`.
pub(crate) fn number(label: &str, lo: i64, hi: i64) -> i64 {
    Dice::for_label(label).between(lo, hi)
}

/// The MD5, SHA-1 and SHA-256 of a (fictional) file, derived from its name and size.
pub(crate) struct Hashes {
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
}

impl Hashes {
    /// The hashes of the file `name` of `size` bytes.
    pub(crate) fn of(name: &str, size: i64) -> Self {
        let mut dice = Dice::for_label(&format!("file:{name}:{size}"));
        Hashes {
            md5: dice.hex(32),
            sha1: dice.hex(40),
            sha256: dice.hex(64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_label_same_value() {
        assert_eq!(hex("dev:a", 40), hex("dev:a", 40));
        assert_ne!(hex("dev:a", 40), hex("dev:b", 40));
        assert_eq!(guid("u").len(), 36);
        let h = Hashes::of("a.exe", 10);
        assert_eq!((h.md5.len(), h.sha1.len(), h.sha256.len()), (32, 40, 64));
    }
}
