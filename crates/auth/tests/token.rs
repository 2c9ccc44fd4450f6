//! Tokens: what is issued and the round trip through the verifier.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::{service_principal_id, Claims, Permission, TokenIssuer};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::{json, Value};
use time::Duration;

#[test]
fn issued_claims_follow_the_identity_platform_v2_shape() {
    let claims = issuer().claims(&grant(), NOW);
    let t = NOW.unix_timestamp();
    assert_eq!(claims.aud, BASE);
    assert_eq!(claims.iss, format!("{BASE}/{TENANT}/v2.0"));
    assert_eq!((claims.iat, claims.nbf, claims.exp), (t, t, t + 3600));
    assert_eq!(claims.tid, TENANT);
    assert_eq!(
        (claims.appid.as_str(), claims.azp.as_str()),
        (CLIENT, CLIENT)
    );
    assert_eq!(claims.idtyp, "app");
    assert_eq!(claims.ver, "2.0");
    assert_eq!(claims.azpacr, "1");
    assert_eq!(
        claims.roles,
        ["SecurityAlert.Read.All", "SecurityEvents.ReadWrite.All"]
    );
    assert_eq!(claims.permissions(), ROLES);
    assert_eq!(claims.oid, service_principal_id(TENANT, CLIENT));
    assert_eq!(claims.sub, claims.oid);
    assert_eq!(claims.app_displayname.as_deref(), Some("SOC automation"));
    assert_ne!(
        claims.uti,
        issuer().claims(&grant(), NOW).uti,
        "each token is unique"
    );
}

#[test]
fn the_service_principal_id_is_stable_per_tenant_and_app() {
    let sp = service_principal_id(TENANT, CLIENT);
    assert_eq!(sp, service_principal_id(&TENANT.to_uppercase(), CLIENT));
    assert_ne!(sp, service_principal_id(OTHER_TENANT, CLIENT));
    assert_ne!(sp, service_principal_id(TENANT, OTHER_TENANT));
    assert_eq!(uuid::Uuid::parse_str(&sp).unwrap().get_version_num(), 5);
}

#[test]
fn the_lifetime_is_configurable() {
    let issuer = TokenIssuer::new(&audiences()).with_lifetime(Duration::minutes(5));
    assert_eq!(issuer.lifetime(), Duration::minutes(5));
    let claims = issuer.claims(&grant(), NOW);
    assert_eq!(claims.exp - claims.iat, 300);
    assert_eq!(TokenIssuer::DEFAULT_LIFETIME, Duration::minutes(60));
}

#[test]
fn a_token_round_trips() {
    let token = token();
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts(&token)[0]).unwrap()).unwrap();
    assert_eq!(
        header,
        json!({"alg": "RS256", "typ": "JWT", "kid": key().kid})
    );
    let claims = verifier().verify(&token, NOW).unwrap();
    assert_eq!(claims, issuer().claims(&grant(), NOW).with_uti(&claims.uti));
    assert!(payload(&token).get("app_displayname").is_some());
}

/// Test helper: claims equal but for `uti`.
trait WithUti {
    fn with_uti(self, uti: &str) -> Self;
}

impl WithUti for Claims {
    fn with_uti(mut self, uti: &str) -> Self {
        self.uti = uti.to_owned();
        self
    }
}

#[test]
fn every_accepted_audience_verifies() {
    let audiences = audiences();
    for aud in audiences.accepted() {
        let mut claims = issuer().claims(&grant(), NOW);
        claims.aud = aud.clone();
        assert!(verifier().verify(&signed(&claims), NOW).is_ok(), "{aud}");
    }
}

#[test]
fn roles_outside_secgraph_are_kept_in_the_token_but_grant_nothing() {
    let mut claims = issuer().claims(&grant(), NOW);
    claims.roles.push("Mail.Send".into());
    let verified = verifier().verify(&signed(&claims), NOW).unwrap();
    assert_eq!(verified.roles.len(), 3);
    assert_eq!(
        verified.permissions(),
        [
            Permission::SecurityAlertReadAll,
            Permission::SecurityEventsReadWriteAll
        ]
    );
}
