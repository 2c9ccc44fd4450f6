//! `security/alerts_v2/delta`: Graph-style delta query over alerts_v2, driven by the tenant's change
//! sequence (never by timestamps).
//!
//! The first call (no token) pages through every alert; each page but the last carries an
//! `@odata.nextLink` (`$skiptoken`), the last an `@odata.deltaLink` (`$deltatoken`). Following the
//! deltaLink later returns the alerts changed since, in their current state, again paged. A token
//! is a point of the sequence, bound to the tenant by a hash and checked against the tenant's
//! latest change: an altered token, one from another tenant or database, or one from the future is
//! a 400. Alerts cannot be deleted, so no `@removed` entries are ever sent.

use super::alert_views::{push_alerts, View};
use super::alerts_v2::AlertsV2;
use crate::error::GraphError;
use crate::links;
use crate::paging;
use crate::query::GraphRequest;
use crate::response::Collection;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use model::TenantId;
use sha2::{Digest, Sha256};

/// The token format's version prefix.
const TOKEN_VERSION: &str = "d1";

/// `GET /security/alerts_v2/delta`: the alerts changed after the `$deltatoken` (or `$skiptoken`)
/// point, or every alert without one, a page at a time, ending with an `@odata.deltaLink`.
pub async fn alerts_v2_delta(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let spec = AlertsV2::SPEC;
    refuse_unsupported(&r)?;
    let bound = r.bind(spec.schema)?;
    let page_size = paging::page_size(&bound, spec.limits)?;
    let tenant = app.store().tenant(&r.who.tenant_id);
    let options = &r.query.0;
    let after = match (&options.deltatoken, &options.skiptoken) {
        (Some(_), Some(_)) => {
            return Err(bad_token(
                "give either $deltatoken or $skiptoken, not both; follow the link as returned",
            ))
        }
        (Some(t), None) | (None, Some(t)) => decode(t, &r.who.tenant_id)?,
        (None, None) => 0,
    };
    if after > tenant.current_change_seq().await? {
        return Err(bad_token(
            "the token is ahead of this tenant's changes (it comes from another server or database); start over with GET …/alerts_v2/delta",
        ));
    }
    let delta = tenant
        .alerts_changed_since(spec.view, after, page_size.max(1))
        .await?;
    let base = &app.config().public_url;
    let select = bound.select.as_deref();
    let fragment = format!("{}/$delta", links::collection_fragment(spec.set, select));
    let context = links::context_url(base, r.version, &fragment);
    let token = encode(delta.last_seq, &r.who.tenant_id);
    let link = |next: bool| {
        let mut o = options.clone();
        o.skip = None;
        (o.skiptoken, o.deltatoken) = match next {
            true => (Some(token.clone()), None),
            false => (None, Some(token.clone())),
        };
        let path = format!("/{}/{}/delta", r.version.segment(), spec.set);
        format!("{base}{path}?{}", o.to_query_string())
    };
    let next = delta.more.then(|| link(true));
    let shape = spec.shape(&r, select);
    let mut out = Collection::start(&context, None, next.as_deref());
    push_alerts(&mut out, &delta.items, &shape)?;
    Ok(match next {
        Some(_) => out.finish(),
        None => out.finish_with_delta_link(&link(false)),
    })
}

/// Delta returns whole changed entities: `$filter`, `$orderby`, `$count`, `$skip` and `$expand` do
/// not apply to it.
fn refuse_unsupported(r: &GraphRequest) -> Result<(), GraphError> {
    let o = &r.query.0;
    let given = [
        ("$filter", o.filter.is_some()),
        ("$orderby", o.orderby.is_some()),
        ("$count", o.count),
        ("$skip", o.skip.is_some()),
        ("$expand", o.expand.is_some()),
    ];
    match given.iter().find(|(_, present)| *present) {
        Some((name, _)) => Err(GraphError::bad_request(format!(
            "{name} is not supported with delta; delta accepts $select and $top (the page size). Remove {name}."
        ))
        .with_inner_code("invalidQueryOption")),
        None => Ok(()),
    }
}

/// The token for the point `seq` of `tenant`'s change sequence.
fn encode(seq: i64, tenant: &TenantId) -> String {
    let text = format!("{TOKEN_VERSION}.{seq}.{}", check(seq, tenant));
    URL_SAFE_NO_PAD.encode(text)
}

/// The point a token stands for, if it is one of ours for `tenant`.
fn decode(token: &str, tenant: &TenantId) -> Result<i64, GraphError> {
    let invalid = || {
        bad_token("the token is not one this server issued for your tenant; follow @odata.nextLink and @odata.deltaLink exactly as returned, or start over with GET …/alerts_v2/delta")
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.split('.');
    let (Some(TOKEN_VERSION), Some(seq), Some(sum), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    let seq: i64 = seq.parse().map_err(|_| invalid())?;
    if seq < 0 || sum != check(seq, tenant) {
        return Err(invalid());
    }
    Ok(seq)
}

/// A short hash binding a sequence point to its tenant, so that an altered or foreign token is
/// recognised.
fn check(seq: i64, tenant: &TenantId) -> String {
    let digest = Sha256::digest(format!(
        "secgraph alerts_v2 delta|{}|{seq}",
        tenant.as_str()
    ));
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn bad_token(message: &str) -> GraphError {
    GraphError::bad_request(message.to_owned()).with_inner_code("invalidDeltaToken")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_alteration_and_other_tenants() {
        let (a, b) = (TenantId("a".into()), TenantId("b".into()));
        let t = encode(42, &a);
        assert_eq!(decode(&t, &a).unwrap(), 42);
        assert!(decode(&t, &b).is_err());
        let forged = URL_SAFE_NO_PAD.encode(format!("d1.43.{}", check(42, &a)));
        assert!(decode(&forged, &a).is_err());
        assert!(decode("not a token", &a).is_err());
        assert!(decode("", &a).is_err());
    }
}
