//! Who owns the imported indicators: an application registered in the store that can act in the
//! tenant (its home tenant, or any tenant when it is multi-tenant), or `secgraph-emulator`, the
//! owner of indicators under `serve --auth none`. Indicators owned by a mistyped client id would be
//! invisible to everyone, so an unknown or unusable application is refused with how to find the
//! right one. A missing consent is not an error (it can be granted afterwards) but is noted.

use anyhow::bail;
use api::routes::ti_indicators::EMULATOR_APP;
use auth::Permission;
use model::TenantId;
use store::Store;

/// The resolved owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The client id the indicators are stored under.
    pub client_id: String,
    /// How the summary names it.
    pub label: String,
    /// Something the operator should know (no consent yet), for the summary.
    pub note: Option<String>,
}

/// Resolves `--app` for `--tenant`.
pub async fn resolve(store: &Store, tenant: &TenantId, app: &str) -> anyhow::Result<Owner> {
    let app = app.trim();
    if app == EMULATOR_APP {
        return emulator(store, tenant).await;
    }
    let Ok(uuid) = uuid::Uuid::parse_str(app) else {
        bail!(
            "--app '{app}' is not a client id (a GUID); list the registered applications with \
             `secgraph app list`, or pass {EMULATOR_APP} for the owner `serve --auth none` uses"
        );
    };
    let client_id = uuid.hyphenated().to_string();
    let identity = store.identity();
    if identity.get_tenant(tenant).await?.is_none() {
        bail!(
            "tenant '{tenant}' does not exist; list tenants with `secgraph tenant list`, or \
             create it with `secgraph tenant create --id {tenant} --name NAME`"
        );
    }
    let Some(found) = identity.get_application(&client_id).await? else {
        bail!(
            "no application with client id {client_id} is registered; list them with \
             `secgraph app list`, or register one with `secgraph app create --tenant {tenant} \
             --name NAME --permission ThreatIndicators.ReadWrite.OwnedBy`"
        );
    };
    if !found.multi_tenant && found.home_tenant_id != *tenant {
        bail!(
            "application {client_id} ({}) is single-tenant in tenant {} and cannot act in tenant \
             {tenant}, so it could never read indicators imported there; import into {} or use \
             a multi-tenant application",
            found.display_name,
            found.home_tenant_id,
            found.home_tenant_id
        );
    }
    let note = consent_note(store, tenant, &client_id).await?;
    Ok(Owner {
        label: format!("application {client_id} ({})", found.display_name),
        client_id,
        note,
    })
}

/// The emulator's owner: its tenant is created when missing, as `serve --auth none` would use it.
async fn emulator(store: &Store, tenant: &TenantId) -> anyhow::Result<Owner> {
    if store.identity().get_tenant(tenant).await?.is_none() {
        store.ensure_tenant(tenant, tenant.as_str()).await?;
    }
    Ok(Owner {
        client_id: EMULATOR_APP.to_owned(),
        label: format!("{EMULATOR_APP} (serve --auth none)"),
        note: None,
    })
}

/// Why the application cannot read the indicators yet, if it cannot.
async fn consent_note(
    store: &Store,
    tenant: &TenantId,
    client_id: &str,
) -> anyhow::Result<Option<String>> {
    let needed = Permission::ThreatIndicatorsReadWriteOwnedBy.as_str();
    Ok(
        match store.identity().get_consent(tenant, client_id).await? {
            None => Some(format!(
                "tenant {tenant} has not consented to the application: it gets no token to read \
             these indicators until `secgraph consent grant --tenant {tenant} --client-id \
             {client_id}`"
            )),
            Some(c)
                if !c
                    .permissions
                    .contains(&Permission::ThreatIndicatorsReadWriteOwnedBy) =>
            {
                Some(format!(
                    "tenant {tenant}'s consent does not grant the application {needed}: it cannot \
                 read these indicators until that is granted (`secgraph consent list --tenant \
                 {tenant}` shows the grant)"
                ))
            }
            Some(_) => None,
        },
    )
}
