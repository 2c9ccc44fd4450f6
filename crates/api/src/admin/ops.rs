//! The admin operations, written once for both surfaces: the `secgraph tenant|app|consent` commands
//! (which run them on the store in `--data-dir`) and the admin HTTP API under
//! `/secgraph/admin/v1/`. Each takes typed input, checks it, calls the store, and answers the JSON
//! both surfaces print (camelCase, secret hashes never included, a new secret's text exactly once).

use auth::Permission;
use model::{datetime, TenantId};
use serde_json::{json, Value};
use store::identity::{AppSecret, Application, Consent, NewApplication, Tenant};
use store::{Store, StoreError};
use time::Duration;

/// Why an admin operation failed; the message is for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// The input is invalid or breaks a rule (400).
    #[error("{0}")]
    Invalid(String),
    /// A named tenant, application, secret or consent does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// The store failed (500; the message is for the log).
    #[error("store failure: {0}")]
    Store(String),
}

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Rejected(m) => AdminError::Invalid(m),
            StoreError::UnknownTenant(t) => {
                AdminError::NotFound(format!("no tenant has the id '{t}'"))
            }
            other => AdminError::Store(other.to_string()),
        }
    }
}

/// Lifetime of a secret when none is asked for.
pub const DEFAULT_SECRET_DAYS: u32 = 365;
/// Longest secret lifetime accepted.
pub const MAX_SECRET_DAYS: u32 = 3650;

/// Permissions from their wire names (case-insensitive); an unknown name is refused by name.
pub fn parse_permissions<S: AsRef<str>>(names: &[S]) -> Result<Vec<Permission>, AdminError> {
    names
        .iter()
        .map(|n| {
            Permission::parse(n.as_ref()).ok_or_else(|| {
                let known: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
                AdminError::Invalid(format!(
                    "unknown permission '{}'; known: {}",
                    n.as_ref(),
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// A tenant id given by the operator: a GUID, canonical lowercase.
pub fn parse_tenant_id(text: &str) -> Result<TenantId, AdminError> {
    uuid::Uuid::parse_str(text.trim())
        .map(|u| TenantId(u.hyphenated().to_string()))
        .map_err(|_| AdminError::Invalid(format!("the tenant id '{text}' is not a GUID")))
}

/// The tenant `tenant` names (a GUID), which must exist.
pub async fn existing_tenant(store: &Store, tenant: &str) -> Result<TenantId, AdminError> {
    let id = parse_tenant_id(tenant)?;
    match store.identity().get_tenant(&id).await? {
        Some(_) => Ok(id),
        None => Err(AdminError::NotFound(format!("no tenant has the id '{id}'"))),
    }
}

/// A client id given by the operator: a GUID, canonical lowercase.
pub fn parse_client_id(text: &str) -> Result<String, AdminError> {
    uuid::Uuid::parse_str(text.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| AdminError::Invalid(format!("the client id '{text}' is not a GUID")))
}

/// Creates a tenant (with `id`, or a new GUID).
pub async fn create_tenant(
    store: &Store,
    name: &str,
    id: Option<&str>,
) -> Result<Value, AdminError> {
    let ids = store.identity();
    let tenant = match id {
        Some(id) => {
            ids.create_tenant_with_id(&parse_tenant_id(id)?, name)
                .await?
        }
        None => ids.create_tenant(name).await?,
    };
    Ok(tenant_json(&tenant))
}

/// Every tenant.
pub async fn list_tenants(store: &Store) -> Result<Value, AdminError> {
    let tenants = store.identity().list_tenants().await?;
    Ok(Value::from(
        tenants.iter().map(tenant_json).collect::<Vec<_>>(),
    ))
}

/// Registers an application in `home` requesting `permissions`.
pub async fn create_app(
    store: &Store,
    home: &str,
    name: &str,
    multi_tenant: bool,
    permissions: &[Permission],
) -> Result<Value, AdminError> {
    let home = parse_tenant_id(home)?;
    require_tenant(store, &home).await?;
    let app = store
        .identity()
        .create_application(NewApplication {
            home_tenant_id: home,
            display_name: name.to_owned(),
            multi_tenant,
            requested_permissions: permissions.to_vec(),
        })
        .await?;
    Ok(app_json(&app, &[]))
}

/// Every application (of `home` only, when given), with its secrets' ids, hints and expiry.
pub async fn list_apps(store: &Store, home: Option<&str>) -> Result<Value, AdminError> {
    let home = home.map(parse_tenant_id).transpose()?;
    let ids = store.identity();
    let mut out = Vec::new();
    for app in ids.list_applications(home.as_ref()).await? {
        let secrets = ids.list_secrets(&app.client_id).await?;
        out.push(app_json(&app, &secrets));
    }
    Ok(Value::from(out))
}

/// Adds a secret to an application, expiring after `days` (never when `None`). The answer carries
/// the secret's text: the only time it is shown.
pub async fn add_secret(
    store: &Store,
    client_id: &str,
    days: Option<u32>,
) -> Result<Value, AdminError> {
    let client_id = require_app(store, client_id).await?.client_id;
    if days.is_some_and(|d| d == 0 || d > MAX_SECRET_DAYS) {
        return Err(AdminError::Invalid(format!(
            "a secret lives 1 to {MAX_SECRET_DAYS} days"
        )));
    }
    let expires = days.map(|d| store.clock().now() + Duration::days(i64::from(d)));
    let created = store.identity().create_secret(&client_id, expires).await?;
    let mut out = secret_json(&created.secret);
    out["clientId"] = json!(client_id);
    out["secretText"] = json!(created.plaintext);
    Ok(out)
}

/// Removes secret `secret_id` of an application; tokens are refused for it at once.
pub async fn remove_secret(
    store: &Store,
    client_id: &str,
    secret_id: &str,
) -> Result<(), AdminError> {
    let client_id = require_app(store, client_id).await?.client_id;
    if store
        .identity()
        .remove_secret(&client_id, secret_id.trim())
        .await?
    {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!(
            "application {client_id} has no secret with the id '{secret_id}'"
        )))
    }
}

/// Records `tenant`'s admin consent to an application for `permissions` (every permission the
/// application requests when `None`), replacing an earlier grant.
pub async fn grant_consent(
    store: &Store,
    tenant: &str,
    client_id: &str,
    permissions: Option<&[Permission]>,
) -> Result<Value, AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    require_tenant(store, &tenant).await?;
    let app = require_app(store, client_id).await?;
    let permissions = permissions.unwrap_or(&app.requested_permissions);
    let consent = store
        .identity()
        .grant_consent(&tenant, &app.client_id, permissions)
        .await?;
    Ok(consent_json(&consent))
}

/// Withdraws `tenant`'s consent to an application; new tokens are refused at once.
pub async fn revoke_consent(
    store: &Store,
    tenant: &str,
    client_id: &str,
) -> Result<(), AdminError> {
    let tenant = parse_tenant_id(tenant)?;
    let client_id = parse_client_id(client_id)?;
    if store.identity().revoke_consent(&tenant, &client_id).await? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!(
            "tenant {tenant} has not consented to application {client_id}"
        )))
    }
}

/// The consents of `tenant` (every consent when `None`).
pub async fn list_consents(store: &Store, tenant: Option<&str>) -> Result<Value, AdminError> {
    let tenant = tenant.map(parse_tenant_id).transpose()?;
    let consents = store.identity().list_consents(tenant.as_ref()).await?;
    Ok(Value::from(
        consents.iter().map(consent_json).collect::<Vec<_>>(),
    ))
}

/// Makes a new signing key the active one (earlier keys stay published, so their tokens live on).
pub async fn rotate_signing_key(store: &Store) -> Result<Value, AdminError> {
    let key = store.identity().rotate_signing_key().await?;
    Ok(json!({"kid": key.kid}))
}

/// Retires signing key `kid`: it leaves the JWKS and its tokens stop verifying. The active key
/// cannot be retired (rotate first).
pub async fn retire_signing_key(store: &Store, kid: &str) -> Result<(), AdminError> {
    if store.identity().retire_signing_key(kid.trim()).await? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!(
            "no published signing key has the kid '{kid}'"
        )))
    }
}

/// Every signing key, newest first: kid, created, retired.
pub async fn list_signing_keys(store: &Store) -> Result<Value, AdminError> {
    let keys = store.identity().signing_keys().await?;
    Ok(Value::from(
        keys.iter()
            .map(|k| {
                json!({
                    "kid": k.key.kid,
                    "createdDateTime": datetime::format(k.created),
                    "retiredDateTime": k.retired.map(datetime::format),
                })
            })
            .collect::<Vec<_>>(),
    ))
}

async fn require_tenant(store: &Store, tenant: &TenantId) -> Result<Tenant, AdminError> {
    store
        .identity()
        .get_tenant(tenant)
        .await?
        .ok_or_else(|| AdminError::NotFound(format!("no tenant has the id '{tenant}'")))
}

async fn require_app(store: &Store, client_id: &str) -> Result<Application, AdminError> {
    let client_id = parse_client_id(client_id)?;
    store
        .identity()
        .get_application(&client_id)
        .await?
        .ok_or_else(|| {
            AdminError::NotFound(format!("no application has the client id '{client_id}'"))
        })
}

fn names(permissions: &[Permission]) -> Vec<&'static str> {
    permissions.iter().map(|p| p.as_str()).collect()
}

fn tenant_json(t: &Tenant) -> Value {
    json!({"id": t.id.as_str(), "displayName": t.display_name, "createdDateTime": datetime::format(t.created)})
}

fn app_json(app: &Application, secrets: &[AppSecret]) -> Value {
    json!({
        "clientId": app.client_id,
        "homeTenantId": app.home_tenant_id.as_str(),
        "displayName": app.display_name,
        "multiTenant": app.multi_tenant,
        "requestedPermissions": names(&app.requested_permissions),
        "createdDateTime": datetime::format(app.created),
        "secrets": secrets.iter().map(secret_json).collect::<Vec<_>>(),
    })
}

fn secret_json(s: &AppSecret) -> Value {
    json!({
        "id": s.id,
        "hint": s.hint,
        "expiresDateTime": s.expires.map(datetime::format),
        "createdDateTime": datetime::format(s.created),
    })
}

fn consent_json(c: &Consent) -> Value {
    json!({
        "tenantId": c.tenant_id.as_str(),
        "clientId": c.client_id,
        "permissions": names(&c.permissions),
        "grantedDateTime": datetime::format(c.granted),
    })
}
