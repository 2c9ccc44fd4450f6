//! Identity persistence on real SQLite files: tenants, applications, secrets, consents (including a
//! multi-tenant app consented in another tenant), the token-endpoint lookup, and the upgrade of a
//! database from before identity. Signing keys are in `signing_keys.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::{Permission, SecretHash};
use common::*;
use model::TenantId;
use std::sync::Arc;
use std::time::Duration;
use store::identity::NewApplication;
use store::{Clock, ManualClock, Store, StoreError};

const READ: Permission = Permission::SecurityAlertReadAll;
const WRITE: Permission = Permission::SecurityAlertReadWriteAll;
const EVENTS: Permission = Permission::SecurityEventsReadAll;

fn app(home: &TenantId, name: &str, multi_tenant: bool) -> NewApplication {
    NewApplication {
        home_tenant_id: home.clone(),
        display_name: name.into(),
        multi_tenant,
        requested_permissions: vec![WRITE, READ, WRITE],
    }
}

fn rejected<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Rejected(m)) => m,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

testdb::conformance! {
    async fn tenants_are_created_with_guids_and_listed() {
        let t = open().await;
        let ids = t.store.identity();
        t.clock.advance(Duration::from_secs(1));
        let created = ids.create_tenant("  Contoso  ").await.unwrap();
        assert_eq!(created.display_name, "Contoso");
        assert_eq!(created.created, t.clock.now());
        let guid = uuid::Uuid::parse_str(created.id.as_str()).unwrap();
        assert_eq!(created.id.as_str(), guid.hyphenated().to_string());
        assert_eq!(
            ids.get_tenant(&created.id).await.unwrap(),
            Some(created.clone())
        );
        let names: Vec<_> = ids
            .list_tenants()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.display_name)
            .collect();
        assert_eq!(names, ["Tenant A", "Tenant B", "Contoso"]);
        assert_eq!(
            ids.get_tenant(&TenantId("nope".into())).await.unwrap(),
            None
        );
    }
}

testdb::conformance! {
    async fn a_tenant_with_a_chosen_id_is_canonical_and_unique() {
        let t = open().await;
        let ids = t.store.identity();
        let upper = TenantId("7F3E2D1C-0B9A-4876-9543-210FEDCBA987".into());
        let created = ids.create_tenant_with_id(&upper, "Fabrikam").await.unwrap();
        assert_eq!(created.id.as_str(), "7f3e2d1c-0b9a-4876-9543-210fedcba987");
        assert!(
            rejected(ids.create_tenant_with_id(&created.id, "Again").await).contains("already exists")
        );
        assert!(rejected(
            ids.create_tenant_with_id(&TenantId("contoso".into()), "X")
                .await
        )
        .contains("not a GUID"));
        assert!(rejected(ids.create_tenant("   ").await).contains("display name"));
    }
}

testdb::conformance! {
    async fn applications_are_registered_in_a_home_tenant() {
        let t = open().await;
        let ids = t.store.identity();
        let a = ids
            .create_application(app(&tenant_a(), "SOC bot", false))
            .await
            .unwrap();
        assert!(uuid::Uuid::parse_str(&a.client_id).is_ok());
        assert_eq!(
            a.requested_permissions,
            [READ, WRITE],
            "deduplicated, in declaration order"
        );
        assert!(!a.multi_tenant);
        t.clock.advance(Duration::from_secs(1));
        let b = ids
            .create_application(app(&tenant_b(), "SIEM sync", true))
            .await
            .unwrap();
        assert_eq!(
            ids.get_application(&a.client_id).await.unwrap(),
            Some(a.clone())
        );
        assert_eq!(
            ids.list_applications(None).await.unwrap(),
            [a.clone(), b.clone()]
        );
        assert_eq!(ids.list_applications(Some(&tenant_b())).await.unwrap(), [b]);
        assert_eq!(
            ids.get_application("00000000-0000-0000-0000-000000000000")
                .await
                .unwrap(),
            None
        );
        let unknown = TenantId("11111111-1111-1111-1111-111111111111".into());
        assert!(matches!(
            ids.create_application(app(&unknown, "Orphan", false)).await,
            Err(StoreError::UnknownTenant(_))
        ));
    }
}

testdb::conformance! {
    async fn secrets_are_stored_as_hashes_and_removal_takes_effect_at_once() {
        let t = open().await;
        let ids = t.store.identity();
        let a = ids
            .create_application(app(&tenant_a(), "SOC bot", false))
            .await
            .unwrap();
        let expires = t.clock.now() + Duration::from_secs(86_400);
        let first = ids
            .create_secret(&a.client_id, Some(expires))
            .await
            .unwrap();
        assert!(first.secret.hash.verify(&first.plaintext));
        assert_eq!(
            first.secret.hint,
            first.plaintext[first.plaintext.len() - 3..]
        );
        assert!(
            !format!("{first:?}").contains(&first.plaintext),
            "Debug hides the plaintext"
        );
        t.clock.advance(Duration::from_secs(1));
        let second = ids
            .add_secret(&a.client_id, SecretHash::of("manual"), "ual", None)
            .await
            .unwrap();
        let stored = ids.list_secrets(&a.client_id).await.unwrap();
        assert_eq!(stored, [first.secret.clone(), second.clone()]);
        assert_eq!(stored[0].expires, Some(expires));
        assert_eq!(stored[1].expires, None);

        assert!(ids
            .remove_secret(&a.client_id, &first.secret.id)
            .await
            .unwrap());
        assert!(!ids
            .remove_secret(&a.client_id, &first.secret.id)
            .await
            .unwrap());
        assert!(
            !ids.remove_secret("someone-else", &second.id).await.unwrap(),
            "scoped to the app"
        );
        let lookup = ids
            .token_lookup(&tenant_a(), &a.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lookup.secrets, [second]);
        assert!(!lookup
            .secrets
            .iter()
            .any(|s| s.hash.verify(&first.plaintext)));
        assert!(rejected(ids.create_secret("no-such-app", None).await).contains("no-such-app"));
    }
}

testdb::conformance! {
    async fn consent_grants_requested_permissions_and_revocation_takes_effect_at_once() {
        let t = open().await;
        let ids = t.store.identity();
        let a = ids
            .create_application(app(&tenant_a(), "SOC bot", false))
            .await
            .unwrap();
        let lookup = ids
            .token_lookup(&tenant_a(), &a.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lookup.consent, None, "registering an app grants nothing");

        let consent = ids
            .grant_consent(&tenant_a(), &a.client_id, &[READ])
            .await
            .unwrap();
        assert_eq!(consent.permissions, [READ]);
        assert_eq!(
            ids.get_consent(&tenant_a(), &a.client_id).await.unwrap(),
            Some(consent)
        );
        t.clock.advance(Duration::from_secs(60));
        let widened = ids
            .grant_consent(&tenant_a(), &a.client_id, &[WRITE, READ])
            .await
            .unwrap();
        assert_eq!(widened.granted, t.clock.now());
        let lookup = ids
            .token_lookup(&tenant_a(), &a.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            lookup.consent.unwrap().permissions,
            [READ, WRITE],
            "granting again replaces"
        );

        let msg = rejected(
            ids.grant_consent(&tenant_a(), &a.client_id, &[READ, EVENTS])
                .await,
        );
        assert!(
            msg.contains("does not request SecurityEvents.Read.All"),
            "{msg}"
        );
        assert!(
            rejected(ids.grant_consent(&tenant_a(), "no-such-app", &[READ]).await)
                .contains("no-such-app")
        );

        assert!(ids.revoke_consent(&tenant_a(), &a.client_id).await.unwrap());
        assert!(!ids.revoke_consent(&tenant_a(), &a.client_id).await.unwrap());
        let lookup = ids
            .token_lookup(&tenant_a(), &a.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lookup.consent, None);
        assert!(ids.list_consents(None).await.unwrap().is_empty());
    }
}

testdb::conformance! {
    async fn a_single_tenant_app_cannot_be_used_in_another_tenant() {
        let t = open().await;
        let ids = t.store.identity();
        let a = ids
            .create_application(app(&tenant_a(), "SOC bot", false))
            .await
            .unwrap();
        let msg = rejected(ids.grant_consent(&tenant_b(), &a.client_id, &[READ]).await);
        assert!(msg.contains("single-tenant"), "{msg}");
        assert_eq!(
            ids.token_lookup(&tenant_b(), &a.client_id).await.unwrap(),
            None
        );
        assert!(ids
            .token_lookup(&tenant_a(), &a.client_id)
            .await
            .unwrap()
            .is_some());
    }
}

testdb::conformance! {
    async fn a_multi_tenant_app_is_consented_per_tenant() {
        let t = open().await;
        let ids = t.store.identity();
        let vendor = ids
            .create_application(app(&tenant_a(), "Vendor connector", true))
            .await
            .unwrap();
        let secret = ids.create_secret(&vendor.client_id, None).await.unwrap();
        ids.grant_consent(&tenant_b(), &vendor.client_id, &[READ])
            .await
            .unwrap();

        let in_b = ids
            .token_lookup(&tenant_b(), &vendor.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(in_b.app.home_tenant_id, tenant_a());
        assert_eq!(in_b.consent.as_ref().unwrap().tenant_id, tenant_b());
        assert_eq!(in_b.consent.unwrap().permissions, [READ]);
        assert!(
            in_b.secrets[0].hash.verify(&secret.plaintext),
            "one secret serves every tenant"
        );
        let in_a = ids
            .token_lookup(&tenant_a(), &vendor.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(in_a.consent, None, "the home tenant has not consented");

        ids.grant_consent(&tenant_a(), &vendor.client_id, &[WRITE])
            .await
            .unwrap();
        assert_eq!(ids.list_consents(None).await.unwrap().len(), 2);
        let in_b_only = ids.list_consents(Some(&tenant_b())).await.unwrap();
        assert_eq!(in_b_only.len(), 1);
        assert_eq!(in_b_only[0].permissions, [READ]);
        ids.revoke_consent(&tenant_b(), &vendor.client_id)
            .await
            .unwrap();
        let in_a = ids
            .token_lookup(&tenant_a(), &vendor.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            in_a.consent.unwrap().permissions,
            [WRITE],
            "revoking in B leaves A's consent"
        );
        let unknown = TenantId("11111111-1111-1111-1111-111111111111".into());
        assert!(matches!(
            ids.grant_consent(&unknown, &vendor.client_id, &[READ])
                .await,
            Err(StoreError::UnknownTenant(_))
        ));
    }
}

// SQLite only: the identity release upgraded SQLite files; PostgreSQL support came later, starting
// at the current schema.
#[tokio::test]
async fn a_database_from_before_identity_is_upgraded_in_place() {
    {
        let t = open().await;
        let path = t.db.sqlite_path().unwrap();
        t.store.shutdown().await;
        drop(t.store);
        {
            // Bring the file back to what the foundation release left: V1 only.
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP TABLE tenant_clocks; DROP TABLE fault_profiles; DROP TABLE audit_log;
                 DROP TABLE notification_history; DROP TABLE notification_dead_letters;
                 DROP TABLE subscriptions;
                 DROP TABLE correlation_state; DROP TABLE incident_pins; DROP TABLE incidents;
                 DROP TABLE secure_scores; DROP TABLE secure_score_control_states;
                 DROP TABLE secure_score_control_profiles; DROP TABLE secure_score_tenants;
                 DROP TABLE provider_control_states; DROP TABLE security_actions;
                 DROP TABLE provider_tenants; DROP TABLE providers;
                 DROP TABLE ti_events; DROP TABLE ti_export_keys; DROP TABLE ti_indicator_changes;
                 DROP TABLE ti_indicators; ALTER TABLE tenants DROP COLUMN ti_seq;
                 DROP TABLE consents; DROP TABLE application_secrets; DROP TABLE applications;
                 DROP TABLE signing_keys;
                 DELETE FROM refinery_schema_history WHERE version >= 2;",
            )
            .unwrap();
        }
        let clock = Arc::new(ManualClock::new(t.clock.now()));
        let upgraded = Store::open_sqlite(&path, clock).unwrap();
        let ids = upgraded.identity();
        assert_eq!(
            ids.list_tenants().await.unwrap().len(),
            2,
            "V1 rows are kept"
        );
        let a = ids
            .create_application(app(&tenant_a(), "After upgrade", false))
            .await
            .unwrap();
        ids.grant_consent(&tenant_a(), &a.client_id, &[READ])
            .await
            .unwrap();
    }
}
