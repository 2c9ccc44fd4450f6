//! Tokens: every way verification refuses one (tampering, keys, algorithms, lifetime, audience,
//! issuer, malformed input) and what each refusal says.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::{TokenError, TokenIssuer, TokenVerifier};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::json;
use time::Duration;

#[test]
fn a_tampered_payload_breaks_the_signature() {
    let token = token();
    let mut p = parts(&token);
    let mut claims = payload(&token);
    claims["roles"] = json!(["SecurityAlert.ReadWrite.All"]);
    p[1] = b64(&claims);
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::BadSignature)
    );
    let mut claims = payload(&token);
    claims["tid"] = json!(OTHER_TENANT);
    p[1] = b64(&claims);
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::BadSignature)
    );
}

#[test]
fn a_tampered_signature_is_refused() {
    let token = token();
    let mut p = parts(&token);
    let mut sig = URL_SAFE_NO_PAD.decode(&p[2]).unwrap();
    sig[100] ^= 0x01;
    p[2] = URL_SAFE_NO_PAD.encode(&sig);
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::BadSignature)
    );
    p[2] = String::new();
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::BadSignature)
    );
}

#[test]
fn a_token_signed_by_an_unknown_key_is_refused() {
    let issuer = issuer();
    let foreign = issuer
        .issue(other_key(), &issuer.claims(&grant(), NOW))
        .unwrap();
    assert_eq!(
        verifier().verify(&foreign, NOW),
        Err(TokenError::UnknownKey(Some(other_key().kid.clone())))
    );
}

#[test]
fn a_token_signed_by_another_key_under_our_kid_is_refused() {
    let token = token();
    let issuer = issuer();
    let forged = issuer
        .issue(other_key(), &issuer.claims(&grant(), NOW))
        .unwrap();
    let mut p = parts(&forged);
    p[0] = parts(&token)[0].clone();
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::BadSignature)
    );
}

#[test]
fn a_header_without_kid_is_refused() {
    let token = token();
    let mut p = parts(&token);
    p[0] = b64(&json!({"alg": "RS256", "typ": "JWT"}));
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::UnknownKey(None))
    );
}

#[test]
fn expiry_is_checked_with_leeway() {
    let token = token();
    let exp = NOW + TokenIssuer::DEFAULT_LIFETIME;
    let leeway = TokenVerifier::DEFAULT_LEEWAY;
    assert!(verifier().verify(&token, exp).is_ok(), "within leeway");
    assert!(verifier()
        .verify(&token, exp + leeway - Duration::SECOND)
        .is_ok());
    let err = verifier().verify(&token, exp + leeway).unwrap_err();
    assert_eq!(
        err,
        TokenError::Expired {
            exp: exp.unix_timestamp()
        }
    );
    assert!(
        err.to_string()
            .contains("expired (exp 2025-03-01T13:00:00Z)"),
        "{err}"
    );
    let strict = verifier().with_leeway(Duration::ZERO);
    assert!(strict.verify(&token, exp - Duration::SECOND).is_ok());
    assert!(matches!(
        strict.verify(&token, exp),
        Err(TokenError::Expired { .. })
    ));
}

#[test]
fn a_token_from_the_future_is_not_yet_valid() {
    let token = token();
    let leeway = TokenVerifier::DEFAULT_LEEWAY;
    assert!(verifier().verify(&token, NOW - leeway).is_ok());
    assert_eq!(
        verifier().verify(&token, NOW - leeway - Duration::SECOND),
        Err(TokenError::NotYetValid {
            nbf: NOW.unix_timestamp()
        })
    );
}

#[test]
fn a_token_for_another_audience_is_refused() {
    let other = TokenIssuer::new(&auth::Audiences::new("https://elsewhere.example").unwrap());
    let mut claims = other.claims(&grant(), NOW);
    claims.iss = issuer().issuer(TENANT);
    assert_eq!(
        verifier().verify(&signed(&claims), NOW),
        Err(TokenError::WrongAudience(
            "https://elsewhere.example".into()
        ))
    );
}

#[test]
fn a_token_from_another_issuer_or_for_another_tenant_is_refused() {
    let mut claims = issuer().claims(&grant(), NOW);
    claims.iss = format!("https://login.microsoftonline.com/{TENANT}/v2.0");
    assert_eq!(
        verifier().verify(&signed(&claims), NOW),
        Err(TokenError::WrongIssuer(claims.iss.clone()))
    );
    let mut claims = issuer().claims(&grant(), NOW);
    claims.tid = OTHER_TENANT.into();
    assert!(matches!(
        verifier().verify(&signed(&claims), NOW),
        Err(TokenError::WrongIssuer(_))
    ));
    let mut claims = issuer().claims(&grant(), NOW);
    claims.tid = String::new();
    claims.iss = format!("{BASE}//v2.0");
    assert!(matches!(
        verifier().verify(&signed(&claims), NOW),
        Err(TokenError::WrongIssuer(_))
    ));
}

#[test]
fn another_issuer_base_can_be_accepted() {
    let mut claims = issuer().claims(&grant(), NOW);
    claims.iss = format!("https://old.example/{TENANT}/v2.0");
    let token = signed(&claims);
    assert!(verifier().verify(&token, NOW).is_err());
    let lenient = verifier().with_issuer_base("https://old.example/");
    assert!(lenient.verify(&token, NOW).is_ok());
}

#[test]
fn alg_none_is_refused() {
    let token = token();
    let p = parts(&token);
    let none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), p[1]);
    assert_eq!(
        verifier().verify(&none, NOW),
        Err(TokenError::UnsupportedAlgorithm("none".into()))
    );
    let with_sig = format!(
        "{}.{}.{}",
        b64(&json!({"alg": "none", "kid": key().kid})),
        p[1],
        p[2]
    );
    assert_eq!(
        verifier().verify(&with_sig, NOW),
        Err(TokenError::UnsupportedAlgorithm("none".into()))
    );
}

#[test]
fn hs256_signed_with_the_public_key_is_refused() {
    // The classic confusion: an HMAC over the token keyed with the (public) RSA key material.
    use jsonwebtoken::{encode, EncodingKey, Header};
    let claims = issuer().claims(&grant(), NOW);
    let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(key().kid.clone());
    let jwk = key().public_key().jwk();
    for secret in [jwk.to_string(), jwk["n"].as_str().unwrap().to_owned()] {
        let forged = encode(
            &header,
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap();
        assert_eq!(
            verifier().verify(&forged, NOW),
            Err(TokenError::UnsupportedAlgorithm("HS256".into()))
        );
    }
    let mut p = parts(&token());
    p[0] = b64(&json!({"alg": "RS512", "kid": key().kid}));
    assert_eq!(
        verifier().verify(&p.join("."), NOW),
        Err(TokenError::UnsupportedAlgorithm("RS512".into()))
    );
}

#[test]
fn malformed_tokens_say_which_part_is_wrong() {
    let token = token();
    let p = parts(&token);
    let cases = [
        String::new(),
        "abc".into(),
        format!("{}.{}", p[0], p[1]),
        format!("{}.{}.{}.{}", p[0], p[1], p[2], p[2]),
        format!(".{}.{}", p[1], p[2]),
        format!("{}..{}", p[0], p[2]),
        format!("!!.{}.{}", p[1], p[2]),
        format!("{}.{}.{}", URL_SAFE_NO_PAD.encode("not json"), p[1], p[2]),
        format!("{}.{}.***", p[0], p[1]),
        "a".repeat(TokenVerifier::MAX_TOKEN_BYTES + 1),
    ];
    for case in cases {
        let err = verifier().verify(&case, NOW).unwrap_err();
        assert!(
            matches!(err, TokenError::Malformed(_)),
            "{case:.40}: {err:?}"
        );
        assert!(err
            .to_string()
            .starts_with("The access token is malformed: "));
    }
    let crit = format!(
        "{}.{}.{}",
        b64(&json!({"alg": "RS256", "kid": key().kid, "crit": ["exp"]})),
        p[1],
        p[2]
    );
    assert!(matches!(
        verifier().verify(&crit, NOW),
        Err(TokenError::Malformed(_))
    ));
}

#[test]
fn signed_claims_that_are_not_an_app_token_are_malformed() {
    // Only reachable with our key, but the verifier must still not accept half a token.
    let key = key();
    let mut p = parts(&token());
    p[1] = b64(&json!({"aud": BASE}));
    let input = format!("{}.{}", p[0], p[1]);
    let forged = resign(key, &input);
    assert!(matches!(
        verifier().verify(&forged, NOW),
        Err(TokenError::Malformed(_))
    ));
}

/// Signs an arbitrary `header.payload` with `key` (RS256, straight through aws-lc-rs).
fn resign(key: &auth::SigningKey, signing_input: &str) -> String {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeyPair;
    use aws_lc_rs::signature::RSA_PKCS1_SHA256;
    let pair = KeyPair::from_pkcs8(key.to_pkcs8_der()).unwrap();
    let mut sig = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

#[test]
fn every_error_message_says_what_is_wrong() {
    let cases = [
        (TokenError::BadSignature, "signature is invalid"),
        (TokenError::UnknownKey(Some("k1".into())), "'k1'"),
        (TokenError::UnknownKey(None), "no signing key"),
        (
            TokenError::UnsupportedAlgorithm("HS256".into()),
            "only RS256",
        ),
        (
            TokenError::NotYetValid { nbf: 0 },
            "not yet valid (nbf 1970-01-01T00:00:00Z)",
        ),
        (
            TokenError::WrongAudience("x".into()),
            "Invalid audience 'x'",
        ),
        (TokenError::WrongIssuer("y".into()), "Invalid issuer 'y'"),
    ];
    for (err, needle) in cases {
        assert!(err.to_string().contains(needle), "{err}");
    }
}
