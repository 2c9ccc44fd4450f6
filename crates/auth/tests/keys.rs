//! Signing keys: storage round trips, kid derivation and the JWKS shape, checked against
//! `jsonwebtoken`'s own JWK parser.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::{jwks, SigningKey, TokenVerifier};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use sha2::{Digest, Sha256};

#[test]
fn a_key_round_trips_through_pem_and_pkcs8() {
    let key = key();
    let pem = key.to_pem();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(pem.ends_with("-----END PRIVATE KEY-----\n"));
    assert!(pem.lines().all(|l| l.len() <= 64));
    let loaded = SigningKey::from_pem(&pem).unwrap();
    assert_eq!(loaded.kid, key.kid);
    assert_eq!(loaded.public_key(), key.public_key());
    assert_eq!(loaded.to_pkcs8_der(), key.to_pkcs8_der());
    let from_der = SigningKey::from_pkcs8_der(key.to_pkcs8_der()).unwrap();
    assert_eq!(from_der.kid, key.kid);
}

#[test]
fn a_reloaded_key_signs_tokens_the_original_verifies() {
    let loaded = SigningKey::from_pem(&key().to_pem()).unwrap();
    let issuer = issuer();
    let token = issuer
        .issue(&loaded, &issuer.claims(&grant(), NOW))
        .unwrap();
    assert!(verifier().verify(&token, NOW).is_ok());
}

#[test]
fn garbage_is_not_a_key() {
    assert!(SigningKey::from_pem("not a key").is_err());
    assert!(
        SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----")
            .is_err()
    );
    assert!(SigningKey::from_pkcs8_der(b"\x30\x03\x02\x01\x00").is_err());
    let mut der = key().to_pkcs8_der().to_vec();
    der.truncate(der.len() / 2);
    assert!(SigningKey::from_pkcs8_der(&der).is_err());
}

#[test]
fn debug_never_shows_key_material() {
    let shown = format!("{:?}", key());
    assert!(shown.contains(&key().kid));
    assert!(shown.len() < 80, "{shown}");
}

#[test]
fn kids_are_a_prefix_of_the_rfc7638_thumbprint_and_differ_between_keys() {
    let jwk = key().public_key().jwk();
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        jwk["e"].as_str().unwrap(),
        jwk["n"].as_str().unwrap()
    );
    let thumbprint = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
    assert_eq!(key().kid.len(), 16);
    assert!(thumbprint.starts_with(&key().kid));
    assert_ne!(key().kid, other_key().kid);
}

#[test]
fn the_jwks_lists_each_key_as_an_rs256_signing_jwk() {
    let set = jwks(&[key().clone(), other_key().clone()]);
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let first = keys[0].as_object().unwrap();
    let mut names: Vec<_> = first.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["alg", "e", "kid", "kty", "n", "use"]);
    assert_eq!(first["kty"], "RSA");
    assert_eq!(first["use"], "sig");
    assert_eq!(first["alg"], "RS256");
    assert_eq!(first["e"], "AQAB");
    assert_eq!(first["kid"], key().kid.as_str());
    let n = URL_SAFE_NO_PAD
        .decode(first["n"].as_str().unwrap())
        .unwrap();
    assert_eq!(n.len(), 256, "RSA 2048");
    assert_eq!(keys[1]["kid"], other_key().kid.as_str());
}

#[test]
fn jsonwebtoken_verifies_our_tokens_with_our_jwks() {
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
    let set: JwkSet = serde_json::from_value(jwks(&[other_key().clone(), key().clone()])).unwrap();
    let token = token();
    let kid = decode_header(&token).unwrap().kid.unwrap();
    let jwk = set.find(&kid).unwrap();
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[BASE]);
    validation.set_issuer(&[format!("{BASE}/{TENANT}/v2.0")]);
    validation.validate_exp = false;
    let data =
        decode::<serde_json::Value>(&token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
            .unwrap();
    assert_eq!(data.claims["tid"], TENANT);
}

#[test]
fn rotation_keeps_old_tokens_verifiable_while_the_old_key_is_published() {
    let issuer = issuer();
    let old_token = token();
    let new_token = issuer
        .issue(other_key(), &issuer.claims(&grant(), NOW))
        .unwrap();
    let both = TokenVerifier::new(
        &[other_key().public_key().clone(), key().public_key().clone()],
        &audiences(),
    );
    assert!(both.verify(&old_token, NOW).is_ok());
    assert!(both.verify(&new_token, NOW).is_ok());
    let retired = TokenVerifier::new(&[other_key().public_key().clone()], &audiences());
    assert!(retired.verify(&old_token, NOW).is_err());
    assert!(retired.verify(&new_token, NOW).is_ok());
}
