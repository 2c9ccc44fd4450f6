//! Rich notifications and replay (secgraph's extensions of change notifications) end to end on both
//! backends, with a real receiver on loopback and the real delivery worker:
//!
//! * `includeResourceData` with an RSA certificate: every notification carries `encryptedContent`
//!   that decrypts the way Graph's documented client code does it (RSA-OAEP-SHA1 unwraps the key,
//!   HMAC-SHA256 over the encrypted bytes checks `dataSignature`, AES-256-CBC with the key's first
//!   16 bytes as IV yields the item's JSON), and the collection's `validationTokens` verify against
//!   the tenant's JWKS; bad certificates and missing properties are 400s.
//! * replay: each notification carries `@secgraph.sequence` (1, 2, 3… per subscription);
//!   `POST /secgraph/v1/subscriptions/{id}/replay?since=n` re-sends the later ones with the same ids
//!   and `@secgraph.replayed`; bad `since` → 400, unknown subscription → 404, a `since` older than the
//!   retention → 400 `replayWindowExpired`; the history of many deliveries finishing at once is
//!   complete.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use aws_lc_rs::cipher::{DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey, AES_256};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{KeySize, OaepPrivateDecryptingKey, PrivateDecryptingKey, OAEP_SHA1_MGF1SHA1};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::notifications::{drain, fast_delivery, ingest_demo, subscribe, subscription};
use serde_json::{json, Value};
use std::time::Duration;
use store::Clock;
use testkit::{TestServer, WebhookReceiver};

/// A receiver's key pair and its self-signed certificate (base64 DER, as Graph takes it).
struct ReceiverCertificate {
    key: OaepPrivateDecryptingKey,
    base64: String,
    der: Vec<u8>,
}

fn receiver_certificate() -> ReceiverCertificate {
    let private = PrivateDecryptingKey::generate(KeySize::Rsa2048).unwrap();
    let pkcs8 = private.as_der().unwrap();
    let pkcs8 = rustls_pki_types::PrivatePkcs8KeyDer::from(pkcs8.as_ref());
    let pair =
        rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8, &rcgen::PKCS_RSA_SHA256).unwrap();
    let params = rcgen::CertificateParams::new(vec!["receiver.example".to_owned()]).unwrap();
    let der = params.self_signed(&pair).unwrap().der().to_vec();
    ReceiverCertificate {
        key: OaepPrivateDecryptingKey::new(private).unwrap(),
        base64: STANDARD.encode(&der),
        der,
    }
}

/// Decrypts `encryptedContent` as Graph's documentation tells a receiver to, checking the
/// signature first; returns the item's JSON.
fn decrypt(cert: &ReceiverCertificate, content: &Value) -> Value {
    let wrapped = STANDARD
        .decode(content["dataKey"].as_str().unwrap())
        .unwrap();
    let mut out = vec![0u8; cert.key.min_output_size()];
    let key = cert
        .key
        .decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut out, None)
        .unwrap()
        .to_vec();
    assert_eq!(key.len(), 32);
    let data = STANDARD.decode(content["data"].as_str().unwrap()).unwrap();
    let signature = STANDARD
        .decode(content["dataSignature"].as_str().unwrap())
        .unwrap();
    let mac = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &key);
    aws_lc_rs::hmac::verify(&mac, &data, &signature).expect("dataSignature is HMAC-SHA256 of data");
    let aes = PaddedBlockDecryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, &key).unwrap())
        .unwrap();
    let iv: [u8; 16] = key[..16].try_into().unwrap();
    let mut buf = data.clone();
    let plain = aes
        .decrypt(&mut buf, DecryptionContext::Iv128(FixedLength::from(iv)))
        .unwrap();
    serde_json::from_slice(plain).unwrap()
}

/// The application the test's subscription says validation tokens are for.
const RECEIVER_APP: &str = "5b2c9f0e-3d4a-4e1b-9c8d-7a6f5e4d3c2b";

fn base64url(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

/// Checks the collection's one validation token as a Graph receiver would: signed (RS256) by a key
/// of the tenant's JWKS, for the receiving app, from Graph's change-tracking app, unexpired.
async fn check_validation_token(server: &TestServer, collection: &Value) {
    let tokens = collection["validationTokens"]
        .as_array()
        .expect("validationTokens");
    assert_eq!(tokens.len(), 1, "one token per app and tenant");
    let token = tokens[0].as_str().unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let (header, claims) = signed.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&base64url(header)).unwrap();
    let claims: Value = serde_json::from_slice(&base64url(claims)).unwrap();
    let jwks = server
        .get(&format!("/{}/discovery/v2.0/keys", server.tenant.as_str()))
        .await
        .json();
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("kid in the JWKS");
    let public = aws_lc_rs::signature::RsaPublicKeyComponents {
        n: base64url(jwk["n"].as_str().unwrap()),
        e: base64url(jwk["e"].as_str().unwrap()),
    };
    public
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &base64url(signature),
        )
        .expect("signed with the tenant's published key");
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["aud"], RECEIVER_APP);
    assert_eq!(
        claims["azp"],
        outbound::notifications::CHANGE_TRACKING_APP_ID
    );
    assert_eq!(
        claims["iss"],
        format!("{}/{}/v2.0", server.base_url, server.tenant.as_str())
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
}

fn error_message(reply: &testkit::Reply) -> String {
    reply.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn replay(server: &TestServer, id: &str, query: &str) -> testkit::Reply {
    server
        .post(
            &format!("/secgraph/v1/subscriptions/{id}/replay{query}"),
            &json!({}),
        )
        .await
}

testdb::conformance! {
    async fn rich_notifications_decrypt_as_graph_clients_do() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let cert = receiver_certificate();
        let mut body = subscription(&server, &rx, "security/alerts_v2", "created,updated");
        body["includeResourceData"] = json!(true);
        body["encryptionCertificate"] = json!(cert.base64);
        body["encryptionCertificateId"] = json!("receiver-cert-1");
        body["notificationUrlAppId"] = json!(RECEIVER_APP);
        let reply = server.post("/v1.0/subscriptions", &body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.json()["includeResourceData"], true);
        let ids = ingest_demo(&server, 3).await;
        let issuer = auth::TokenIssuer::new(server.identity.audiences());
        drain(&server, &fast_delivery(&server).with_validation_tokens(issuer)).await;
        for collection in rx.collections() {
            check_validation_token(&server, &collection).await;
        }

        let got = rx.changes();
        assert!(got.len() >= 3, "{got:?}");
        let thumbprint: String = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &cert.der)
            .as_ref().iter().map(|b| format!("{b:02X}")).collect();
        for n in &got {
            let content = &n["encryptedContent"];
            assert_eq!(content["encryptionCertificateId"], "receiver-cert-1");
            assert_eq!(content["encryptionCertificateThumbprint"], thumbprint.as_str());
            let item = decrypt(&cert, content);
            assert_eq!(item["id"], n["resourceData"]["id"], "the item the notification is about");
            let id = item["id"].as_str().unwrap();
            assert!(ids.iter().any(|i| i == id));
            let read = server.get(&format!("/v1.0/security/alerts_v2/{id}")).await.json();
            assert_eq!(item["title"], read["title"]);
            assert_eq!(item["severity"], read["severity"]);
        }
        // A fresh key per notification: the same item never encrypts to the same bytes.
        assert_ne!(got[0]["encryptedContent"]["dataKey"], got[1]["encryptedContent"]["dataKey"]);
    }

    async fn rich_notification_settings_are_checked() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let cert = receiver_certificate();
        let mut good = subscription(&server, &rx, "security/alerts", "created");
        good["includeResourceData"] = json!(true);
        good["encryptionCertificate"] = json!(cert.base64);
        good["encryptionCertificateId"] = json!("c1");
        let mut cases: Vec<(Value, &str)> = Vec::new();
        let mut no_cert = good.clone();
        no_cert.as_object_mut().unwrap().remove("encryptionCertificate");
        cases.push((no_cert, "'encryptionCertificate' is required"));
        let mut no_id = good.clone();
        no_id.as_object_mut().unwrap().remove("encryptionCertificateId");
        cases.push((no_id, "'encryptionCertificateId' is required"));
        let mut not_b64 = good.clone();
        not_b64["encryptionCertificate"] = json!("this is not base64!");
        cases.push((not_b64, "base64"));
        let mut not_cert = good.clone();
        not_cert["encryptionCertificate"] = json!(STANDARD.encode(b"not a certificate"));
        cases.push((not_cert, "X.509"));
        let mut not_bool = good.clone();
        not_bool["includeResourceData"] = json!("yes");
        cases.push((not_bool, "true or false"));
        let mut indicators = good.clone();
        indicators["resource"] = json!("security/tiIndicators");
        cases.push((indicators, "not offered for 'security/tiIndicators'"));
        for (body, needle) in cases {
            let reply = server.post("/v1.0/subscriptions", &body).await;
            assert_eq!(reply.status, 400, "{needle}: {}", reply.text);
            assert!(error_message(&reply).contains(needle), "{needle}: {}", reply.text);
        }
        let reply = server.post("/v1.0/subscriptions", &good).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        let path = format!("/v1.0/subscriptions/{id}");
        let reply = server.patch(&path, &json!({"encryptionCertificate": "AAAA"})).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        let other = receiver_certificate();
        let reply = server.patch(&path, &json!({"encryptionCertificate": other.base64, "encryptionCertificateId": "c2"})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["encryptionCertificateId"], "c2");
    }

    async fn replay_resends_retained_notifications_after_a_sequence() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let mut body = subscription(&server, &rx, "security/alerts_v2", "created,updated");
        body["expirationDateTime"] = json!(model::datetime::format(server.clock.now() + time::Duration::days(20)));
        let reply = server.post("/v1.0/subscriptions", &body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        let worker = fast_delivery(&server);
        ingest_demo(&server, 5).await;
        drain(&server, &worker).await;

        let first = rx.changes();
        let n = first.len();
        assert!(n >= 5);
        let sequences: Vec<i64> = first.iter().map(|x| x["@secgraph.sequence"].as_i64().unwrap()).collect();
        let mut sorted = sequences.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=n as i64).collect::<Vec<_>>(), "one number per notification, from 1");
        assert!(first.iter().all(|x| x.get("@secgraph.replayed").is_none()));

        let reply = replay(&server, &id, "?since=2").await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        let answer = reply.json();
        assert_eq!(answer["queued"], n - 2);
        assert_eq!(answer["lastSequence"], n);
        assert_eq!(answer["more"], false);
        drain(&server, &worker).await;
        let again: Vec<Value> = rx.changes().split_off(n);
        assert_eq!(again.len(), n - 2);
        for r in &again {
            assert_eq!(r["@secgraph.replayed"], true);
            let seq = r["@secgraph.sequence"].as_i64().unwrap();
            assert!(seq > 2);
            let original = first.iter().find(|x| x["@secgraph.sequence"] == seq).unwrap();
            assert_eq!(r["id"], original["id"], "a replay keeps the notification's id");
            assert_eq!(r["resourceData"], original["resourceData"]);
            assert_eq!(r["clientState"], "state");
        }

        for (query, needle) in [("", "'since' is required"), ("?since=abc", "whole number"),
                                ("?since=-1", "whole number"), ("?since=1&top=2", "'top'")] {
            let reply = replay(&server, &id, query).await;
            assert_eq!(reply.status, 400, "{query}: {}", reply.text);
            assert!(error_message(&reply).contains(needle), "{query}: {}", reply.text);
        }
        let unknown = replay(&server, "00000000-0000-0000-0000-000000000000", "?since=0").await;
        assert_eq!(unknown.status, 404, "{}", unknown.text);

        // Past the 7-day retention the history is swept; replays from before it are refused.
        server.clock.advance(Duration::from_secs(8 * 24 * 3600));
        let swept = server.store.sweep_subscriptions().await.unwrap();
        assert_eq!(swept.history_removed, n);
        let reply = replay(&server, &id, "?since=0").await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert_eq!(reply.json()["error"]["innerError"]["code"], "replayWindowExpired", "{}", reply.text);
        assert!(error_message(&reply).contains(&format!("since={n}")), "{}", reply.text);
        let reply = replay(&server, &id, &format!("?since={n}")).await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        assert_eq!(reply.json()["queued"], 0);
    }

    async fn the_history_of_deliveries_finishing_together_is_complete() {
        // 40 receivers answering at once: their history records are committed together
        // (store::coalesce); every one must be kept, or a replay would miss it.
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let mut ids = Vec::new();
        for _ in 0..40 {
            ids.push(subscribe(&server, &rx, "security/alerts_v2", "created").await);
        }
        let worker = fast_delivery(&server);
        ingest_demo(&server, 3).await;
        drain(&server, &worker).await;
        assert_eq!(rx.changes().len(), 40 * 3);
        for id in &ids {
            let reply = replay(&server, id, "?since=0").await;
            assert_eq!(reply.status, 202, "{}", reply.text);
            assert_eq!(reply.json()["queued"], 3, "{id}: {}", reply.text);
        }
    }
}
