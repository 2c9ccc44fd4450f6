//! Export keys on both backends: the key is shown once and only its SHA-256 is stored, checks
//! find the tenant, a wrong or altered key is unknown, revocation works at once and is tenant
//! scoped, and listing never carries the key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use model::TenantId;
use std::time::Duration;
use store::indicators::{looks_like_export_key, ExportKeyCheck};
use store::{Clock, StoreError};

testdb::conformance! {
    async fn a_new_key_checks_as_its_tenant_and_only_its_hash_is_kept() {
        let t = open().await;
        let created = t.store.tenant(&tenant_a()).export_keys().create("  edge firewall  ").await.unwrap();
        let key = created.key.clone();
        assert!(key.starts_with(&format!("sgx_{}_", created.record.id)), "{key}");
        assert_eq!(key.len(), 4 + 36 + 1 + 43);
        assert!(looks_like_export_key(&key));
        assert_eq!(created.record.hint, key[key.len() - 4..]);
        assert_eq!(created.record.description, "edge firewall");
        assert_eq!(created.record.tenant_id, tenant_a());
        assert_eq!(created.record.created, t.clock.now());
        assert_eq!(created.record.revoked, None);
        assert!(!format!("{created:?}").contains(&key[20..]), "Debug never prints the key");

        assert_eq!(
            t.store.check_export_key(&key).await.unwrap(),
            ExportKeyCheck::Valid { tenant_id: tenant_a(), key_id: created.record.id.clone() }
        );
        let listed = t.store.tenant(&tenant_a()).export_keys().list().await.unwrap();
        assert_eq!(listed, vec![created.record.clone()]);
        assert!(!format!("{listed:?}").contains(&key[41..]), "the list never carries the secret");

        let other = t.store.tenant(&tenant_a()).export_keys().create("").await.unwrap();
        assert_ne!(other.key, key, "keys are random");
        assert_ne!(other.record.id, created.record.id);
    }

    async fn wrong_altered_and_malformed_keys_are_unknown() {
        let t = open().await;
        let key = t.store.tenant(&tenant_a()).export_keys().create("x").await.unwrap().key;
        let mut altered = key.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        let unknown_id = format!("sgx_{}_{}", uuid::Uuid::new_v4().hyphenated(), &key[41..]);
        for presented in [altered.as_str(), unknown_id.as_str(), "", "sgx_", "sgx_x_y", &key[..key.len() - 1], &format!("{key} ")] {
            assert_eq!(t.store.check_export_key(presented).await.unwrap(), ExportKeyCheck::Unknown, "{presented:?}");
        }
    }

    async fn revocation_refuses_the_key_at_once_and_is_scoped_to_the_tenant() {
        let t = open().await;
        let keys_a = t.store.tenant(&tenant_a()).export_keys();
        let created = keys_a.create("proxy").await.unwrap();
        let id = created.record.id.clone();

        let from_b = t.store.tenant(&tenant_b()).export_keys();
        assert_eq!(from_b.revoke(&id).await.unwrap(), None, "tenant B cannot revoke A's key");
        assert!(from_b.list().await.unwrap().is_empty(), "tenant B does not see A's keys");
        assert!(matches!(t.store.check_export_key(&created.key).await.unwrap(), ExportKeyCheck::Valid { .. }));

        t.clock.advance(Duration::from_secs(60));
        let revoked_at = t.clock.now();
        let revoked = keys_a.revoke(&id).await.unwrap().expect("A's key");
        assert_eq!(revoked.revoked, Some(revoked_at));
        assert_eq!(t.store.check_export_key(&created.key).await.unwrap(), ExportKeyCheck::Revoked);

        t.clock.advance(Duration::from_secs(60));
        let again = keys_a.revoke(&id).await.unwrap().expect("still listed");
        assert_eq!(again.revoked, Some(revoked_at), "a second revoke keeps the first time");
        assert_eq!(keys_a.list().await.unwrap(), vec![revoked]);
        assert_eq!(keys_a.revoke("no-such-key").await.unwrap(), None);
    }

    async fn keys_need_a_known_tenant_and_a_sane_description() {
        let t = open().await;
        let nobody = TenantId("00000000-0000-0000-0000-0000000000ff".into());
        match t.store.tenant(&nobody).export_keys().create("x").await {
            Err(StoreError::UnknownTenant(id)) => assert_eq!(id, nobody),
            other => panic!("expected UnknownTenant, got {other:?}"),
        }
        let keys = t.store.tenant(&tenant_a()).export_keys();
        for bad in ["x".repeat(257), "line\nbreak".to_owned()] {
            match keys.create(&bad).await {
                Err(StoreError::Rejected(m)) => assert!(m.contains("description"), "{m}"),
                other => panic!("expected a rejection, got {other:?}"),
            }
        }
        assert!(keys.list().await.unwrap().is_empty(), "nothing stored for refused keys");
    }
}
