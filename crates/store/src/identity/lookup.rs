//! [`TokenLookup`]: everything the token endpoint needs about (tenant, client id) in one call.

use super::{AppSecret, Application, Consent, IdentityStore};
use crate::error::StoreError;
use model::TenantId;

/// An application as seen from a tenant that asks for a token for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLookup {
    /// The application.
    pub app: Application,
    /// All its secrets, expired ones included (the caller checks `expires` with its clock, so it
    /// can tell an expired secret from a wrong one).
    pub secrets: Vec<AppSecret>,
    /// The tenant's consent, if it gave one: no consent, no token.
    pub consent: Option<Consent>,
}

impl IdentityStore {
    /// The application `client_id` with its secrets and `tenant`'s consent; `None` when there is
    /// no such application or it is single-tenant and `tenant` is not its home.
    pub async fn token_lookup(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<Option<TokenLookup>, StoreError> {
        let Some(app) = self.get_application(client_id).await? else {
            return Ok(None);
        };
        if !app.multi_tenant && &app.home_tenant_id != tenant {
            return Ok(None);
        }
        let secrets = self.list_secrets(client_id).await?;
        let consent = self.get_consent(tenant, client_id).await?;
        Ok(Some(TokenLookup {
            app,
            secrets,
            consent,
        }))
    }
}
