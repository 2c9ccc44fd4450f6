//! Client secrets: generation, hashing, verification and their storage forms.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::{ClientSecret, SecretHash};
use std::collections::HashSet;

#[test]
fn a_generated_secret_has_264_bits_in_base64url_and_verifies_against_its_hash() {
    let (plaintext, hash) = ClientSecret::generate();
    assert_eq!(plaintext.len(), 44, "33 random bytes in unpadded base64url");
    assert!(plaintext
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert!(!plaintext.starts_with('-'));
    assert!(hash.verify(&plaintext));
    assert_eq!(hash, SecretHash::of(&plaintext));
}

#[test]
fn generated_secrets_never_repeat_and_never_start_with_a_dash() {
    let secrets: HashSet<String> = (0..2000).map(|_| ClientSecret::generate().0).collect();
    assert_eq!(secrets.len(), 2000);
    assert!(secrets.iter().all(|s| !s.starts_with('-')));
}

#[test]
fn a_wrong_secret_does_not_verify() {
    let (plaintext, hash) = ClientSecret::generate();
    let mut last_changed = plaintext.clone();
    let last = last_changed.pop().unwrap();
    last_changed.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [
        "",
        last_changed.as_str(),
        &plaintext[..43],
        &format!("{plaintext} "),
        &plaintext.to_uppercase(),
        &ClientSecret::generate().0,
    ] {
        assert!(!hash.verify(wrong), "{wrong:?} must not verify");
    }
}

#[test]
fn verification_hashes_then_compares_whole_digests() {
    // The constant-time path: verify always hashes the candidate and compares all 32 bytes with
    // `subtle`, so a guess sharing a prefix with the secret is not closer to verifying.
    let hash = SecretHash::of("correct horse battery staple");
    assert!(hash.verify("correct horse battery staple"));
    assert!(!hash.verify("correct horse battery stapl"));
    let mut near = hash;
    near.0[31] ^= 1;
    assert_ne!(
        near, hash,
        "digests differing only in their last bit are different"
    );
    assert!(!near.verify("correct horse battery staple"));
}

#[test]
fn hashes_round_trip_through_hex() {
    let hash = SecretHash::of("s3cret");
    let hex = hash.to_hex();
    assert_eq!(hex.len(), 64);
    assert!(hex
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(SecretHash::from_hex(&hex), Some(hash));
    assert_eq!(SecretHash::from_hex(&hex.to_uppercase()), Some(hash));
    assert_eq!(SecretHash::from_hex(&hex[..62]), None);
    assert_eq!(SecretHash::from_hex(&"zz".repeat(32)), None);
    assert_eq!(SecretHash::from_hex(&"é".repeat(32)), None);
}

#[test]
fn the_sha256_of_a_known_value_is_stored() {
    assert_eq!(
        SecretHash::of("abc").to_hex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn the_hint_is_the_last_three_characters() {
    assert_eq!(ClientSecret::hint("abcdef"), "def");
    assert_eq!(ClientSecret::hint("ab"), "ab");
    assert_eq!(ClientSecret::hint("xyzé~Q"), "é~Q");
}

#[test]
fn debug_shows_only_a_prefix_of_the_hash() {
    let hash = SecretHash::of("abc");
    assert_eq!(format!("{hash:?}"), "SecretHash(ba7816bf…)");
}
