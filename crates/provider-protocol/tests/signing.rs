//! Request signing: the documented worked example, round trips, tampering, the 5-minute window,
//! rotation and malformed headers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use provider_protocol::signing::{
    canonical_string, sign, sign_with_each, verify, SignatureError, MAX_SKEW_SECONDS,
};
use provider_protocol::SigningKey;

const SECRET: &str = "sgps_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e";
const TARGET: &str = "/secgraph/actions/act-1/cancel";
const BODY: &[u8] =
    br#"{"protocolVersion":1,"actionId":"act-1","tenantId":"8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10"}"#;
const TS: i64 = 1_740_823_500;

fn key() -> SigningKey {
    SigningKey::new(SECRET).expect("37 bytes")
}

fn check(
    method: &str,
    target: &str,
    body: &[u8],
    ts: &str,
    sig: &str,
    now: i64,
) -> Result<(), SignatureError> {
    verify(&key(), method, target, body, Some(ts), Some(sig), now)
}

/// The worked example of `docs/provider-protocol.md`, also computed independently with Python's
/// `hmac` module; if this fails, the document is wrong too.
#[test]
fn the_documented_example_signature() {
    assert_eq!(
        canonical_string("post", TARGET, TS, BODY),
        "v1\nPOST\n/secgraph/actions/act-1/cancel\n1740823500\n\
         ab56e2fdc59e60772a35c505dd48a0844e6f0bce33526060cd65b34f366bf622"
    );
    let h = sign(&key(), "POST", TARGET, TS, BODY);
    assert_eq!(h.timestamp, "1740823500");
    assert_eq!(
        h.signature,
        "v1=7a84ae2e1b4f9f7f51cb7300ca938aab483eca98108373ff66baafbac4017ddb"
    );
    let get = canonical_string("GET", "/secgraph/alerts?tenantId=t1", TS, b"");
    assert!(get.ends_with("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

#[test]
fn a_signed_call_verifies_and_a_tampered_one_does_not() {
    let h = sign(&key(), "POST", TARGET, TS, BODY);
    assert_eq!(
        check("POST", TARGET, BODY, &h.timestamp, &h.signature, TS),
        Ok(())
    );
    assert_eq!(
        check("post", TARGET, BODY, &h.timestamp, &h.signature, TS),
        Ok(())
    );
    let tampered_body = BODY
        .to_vec()
        .into_iter()
        .map(|b| if b == b'1' { b'2' } else { b })
        .collect::<Vec<_>>();
    let cases: [(&str, &str, &[u8], String); 6] = [
        ("PUT", TARGET, BODY, h.timestamp.clone()),
        (
            "POST",
            "/secgraph/actions/act-2/cancel",
            BODY,
            h.timestamp.clone(),
        ),
        (
            "POST",
            "/secgraph/actions/act-1/cancel?x=1",
            BODY,
            h.timestamp.clone(),
        ),
        ("POST", TARGET, &tampered_body, h.timestamp.clone()),
        ("POST", TARGET, b"", h.timestamp.clone()),
        ("POST", TARGET, BODY, (TS + 1).to_string()),
    ];
    for (method, target, body, ts) in cases {
        assert_eq!(
            check(method, target, body, &ts, &h.signature, TS),
            Err(SignatureError::Mismatch),
            "{method} {target} {ts}"
        );
    }
    let other = SigningKey::new("another-secret-of-at-least-32-bytes!!").expect("long enough");
    let h2 = sign(&other, "POST", TARGET, TS, BODY);
    assert_eq!(
        check("POST", TARGET, BODY, &h2.timestamp, &h2.signature, TS),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn the_window_is_five_minutes_either_way_inclusive() {
    let h = sign(&key(), "POST", TARGET, TS, BODY);
    let at = |now| check("POST", TARGET, BODY, &h.timestamp, &h.signature, now);
    assert_eq!(at(TS + MAX_SKEW_SECONDS), Ok(()));
    assert_eq!(at(TS - MAX_SKEW_SECONDS), Ok(()));
    assert_eq!(
        at(TS + 301),
        Err(SignatureError::Expired { age_seconds: 301 })
    );
    assert_eq!(
        at(TS - 301),
        Err(SignatureError::FromTheFuture { ahead_seconds: 301 })
    );
    assert_eq!(
        at(i64::MAX),
        Err(SignatureError::Expired {
            age_seconds: i64::MAX - TS
        })
    );
    let msg = SignatureError::Expired { age_seconds: 301 }.to_string();
    assert!(msg.contains("older than 300 s are refused"), "{msg}");
}

#[test]
fn missing_and_malformed_headers_are_refused_before_any_mac() {
    let h = sign(&key(), "POST", TARGET, TS, BODY);
    let k = key();
    assert_eq!(
        verify(&k, "POST", TARGET, BODY, None, Some(&h.signature), TS),
        Err(SignatureError::MissingTimestamp)
    );
    assert_eq!(
        verify(&k, "POST", TARGET, BODY, Some("1"), None, 1),
        Err(SignatureError::MissingSignature)
    );
    for ts in [
        "",
        "-5",
        "+5",
        "1.5",
        "12e3",
        "abc",
        "9999999999999999999999",
    ] {
        assert_eq!(
            check("POST", TARGET, BODY, ts, &h.signature, TS),
            Err(SignatureError::MalformedTimestamp),
            "{ts:?}"
        );
    }
    let ts = h.timestamp.as_str();
    for sig in ["", "sha256=abc", "v2=abcd", "7a84ae2e"] {
        assert_eq!(
            check("POST", TARGET, BODY, ts, sig, TS),
            Err(SignatureError::MissingSignature),
            "{sig:?}"
        );
    }
    for sig in [
        "v1=abc",
        "v1=",
        &format!("v1={}", "g".repeat(64)),
        &format!("{},v1=zz", h.signature),
    ] {
        assert_eq!(
            check("POST", TARGET, BODY, ts, sig, TS),
            Err(SignatureError::MalformedSignature),
            "{sig:?}"
        );
    }
}

#[test]
fn rotation_uppercase_hex_and_unknown_schemes_are_accepted() {
    let old = SigningKey::new("the-old-secret-that-is-being-rotated").expect("long enough");
    let both = sign_with_each(&[old.clone(), key()], "POST", TARGET, TS, BODY);
    assert_eq!(both.signature.matches("v1=").count(), 2);
    assert_eq!(
        check("POST", TARGET, BODY, &both.timestamp, &both.signature, TS),
        Ok(())
    );
    assert_eq!(
        verify(
            &old,
            "POST",
            TARGET,
            BODY,
            Some(&both.timestamp),
            Some(&both.signature),
            TS
        ),
        Ok(())
    );
    let h = sign(&key(), "POST", TARGET, TS, BODY);
    let upper = format!(
        "v2=whatever, v1={}",
        h.signature.trim_start_matches("v1=").to_uppercase()
    );
    assert_eq!(
        check("POST", TARGET, BODY, &h.timestamp, &upper, TS),
        Ok(())
    );
}

#[test]
fn short_secrets_are_refused_and_keys_do_not_print() {
    let err = SigningKey::new("too-short").expect_err("9 bytes");
    assert!(err.contains("at least 32 bytes"), "{err}");
    assert_eq!(format!("{:?}", key()), "SigningKey(..)");
}

proptest! {
    /// Any call signed with a key verifies with it within the window.
    #[test]
    fn signing_round_trips(
        method in "(GET|POST|PUT|DELETE)",
        target in "/[a-zA-Z0-9/_%?=&.-]{0,60}",
        body in proptest::collection::vec(any::<u8>(), 0..512),
        ts in 0i64..4_000_000_000,
        skew in -MAX_SKEW_SECONDS..=MAX_SKEW_SECONDS,
    ) {
        let h = sign(&key(), &method, &target, ts, &body);
        prop_assert_eq!(check(&method, &target, &body, &h.timestamp, &h.signature, ts + skew), Ok(()));
    }

    /// Flipping any bit of the body breaks the signature.
    #[test]
    fn any_body_change_is_refused(
        body in proptest::collection::vec(any::<u8>(), 1..512),
        at in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let h = sign(&key(), "POST", TARGET, TS, &body);
        let mut changed = body.clone();
        let i = at.index(changed.len());
        changed[i] ^= 1 << bit;
        prop_assert_eq!(check("POST", TARGET, &changed, &h.timestamp, &h.signature, TS), Err(SignatureError::Mismatch));
    }
}
