//! `/subscriptions` (v1.0 and beta): change-notification subscriptions. `POST` runs the validation
//! handshake against `notificationUrl` (and `lifecycleNotificationUrl`) before anything is stored;
//! `PATCH` renews (and reauthorizes) or changes the URL (handshake again); `DELETE` ends it;
//! `reauthorize` reauthorizes without extending. A subscription belongs to the application that
//! created it: other applications get 404. The route-level requirement is any permission that can
//! create some subscription; each subscription then needs the permission of its resource
//! ([`resource_requirement`]). `clientState` is returned by `POST`, `GET` one and `PATCH`, never by
//! the list.

mod input;
mod replay;

pub use input::{MAX_CLIENT_STATE, MAX_LIFETIME};
pub use replay::{replay_subscription, REPLAY_PATH};

use crate::authorize::forbidden;
use crate::body::{EntityKey, JsonBody};
use crate::error::GraphError;
use crate::links::{self, context_url};
use crate::principal::Principal;
use crate::query::GraphRequest;
use crate::response::{json_bytes, json_response, with_location};
use crate::routes::table::{ALERTS_V2_READ, INCIDENTS_READ, LEGACY_WRITE, TI_INDICATORS};
use crate::state::AppState;
use auth::permission::Requirement;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use store::subscriptions::{Subscription, SubscriptionResource, SubscriptionStore};

/// The entity set.
const SET: &str = "subscriptions";
/// The entity's name in messages.
const NOUN: &str = "subscription";

/// The permission a subscription to `kind` needs (spec digest §10.6): Graph's rule for legacy
/// alerts (`SecurityEvents.ReadWrite.All`, though it only reads), the read permission of the
/// extensions' entity sets.
pub fn resource_requirement(kind: SubscriptionResource) -> &'static Requirement {
    match kind {
        SubscriptionResource::Alerts => &LEGACY_WRITE,
        SubscriptionResource::AlertsV2 => &ALERTS_V2_READ,
        SubscriptionResource::Incidents => &INCIDENTS_READ,
        SubscriptionResource::TiIndicators => &TI_INDICATORS,
    }
}

fn subscriptions(app: &AppState, r: &GraphRequest) -> SubscriptionStore {
    app.store().tenant(&r.who.tenant_id).subscriptions()
}

/// The owner recorded for the caller's subscriptions (empty in emulator mode).
fn owner(r: &GraphRequest) -> String {
    owner_of(&r.who).to_owned()
}

fn owner_of(who: &Principal) -> &str {
    who.app_id.as_deref().unwrap_or_default()
}

/// The caller's subscription `id` whose resource it may use, or 404/403.
async fn owned(app: &AppState, r: &GraphRequest, id: &str) -> Result<Subscription, GraphError> {
    owned_by(app, &r.who, id).await
}

/// Subscription `id` of `who`'s tenant when `who`'s application owns it and may use its resource,
/// or 404/403.
async fn owned_by(app: &AppState, who: &Principal, id: &str) -> Result<Subscription, GraphError> {
    let sub = app
        .store()
        .tenant(&who.tenant_id)
        .subscriptions()
        .get(id)
        .await?
        .filter(|s| s.application_id.as_deref().unwrap_or_default() == owner_of(who))
        .ok_or_else(|| GraphError::not_found(NOUN, id))?;
    let kind = sub
        .kind()
        .ok_or_else(|| GraphError::internal("a stored subscription has an unknown resource"))?;
    permitted_for(who, kind)?;
    Ok(sub)
}

fn permitted(r: &GraphRequest, kind: SubscriptionResource) -> Result<(), GraphError> {
    permitted_for(&r.who, kind)
}

fn permitted_for(who: &Principal, kind: SubscriptionResource) -> Result<(), GraphError> {
    let requirement = resource_requirement(kind);
    if requirement.is_met_by(&who.permissions) {
        Ok(())
    } else {
        Err(forbidden(requirement, who))
    }
}

/// Checks `url` under the server's webhook policy and runs the validation handshake.
async fn validate(app: &AppState, property: &str, url: &str) -> Result<(), GraphError> {
    let (parsed, policy) = app.config().webhooks.check(url).map_err(|e| {
        GraphError::bad_request(format!("The property '{property}' is invalid: {e}."))
    })?;
    outbound::notifications::validate_endpoint(app.outbound()?, &parsed, policy)
        .await
        .map_err(GraphError::bad_request)
}

/// The subscription as Graph returns it, `clientState` left out for lists.
fn document(sub: &Subscription, with_client_state: bool) -> Value {
    let mut doc = serde_json::to_value(sub).unwrap_or_default();
    if let Some(o) = doc.as_object_mut() {
        if !with_client_state {
            o.insert("clientState".into(), Value::Null);
        }
    }
    doc
}

fn entity(app: &AppState, r: &GraphRequest, sub: &Subscription, status: StatusCode) -> Response {
    let mut body = serde_json::Map::new();
    let context = context_url(&app.config().public_url, r.version, "subscriptions/$entity");
    body.insert("@odata.context".into(), Value::String(context));
    if let Value::Object(o) = document(sub, true) {
        body.extend(o);
    }
    json_response(status, json_bytes(&Value::Object(body)))
}

/// `POST /subscriptions`: validates the body, checks the resource's permission, runs the
/// handshake(s), stores the subscription. 201 with it.
pub async fn create_subscription(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let now = app.store().now_for(&r.who.tenant_id);
    let new = input::parse_new(&body, now)?;
    permitted(&r, new.kind)?;
    if let Some(filter) = &new.filter {
        // Bound now so a bad filter is a 400 naming the problem; the store binds the stored text
        // again for each change it evaluates.
        new.kind.bind_filter(filter)?;
    }
    validate(&app, "notificationUrl", &new.notification_url).await?;
    if let Some(url) = &new.lifecycle_notification_url {
        validate(&app, "lifecycleNotificationUrl", url).await?;
    }
    let sub = Subscription {
        id: uuid::Uuid::new_v4().to_string(),
        resource: new.resource,
        application_id: r.who.app_id.clone(),
        change_type: new.change_type,
        client_state: new.client_state,
        notification_url: new.notification_url,
        lifecycle_notification_url: new.lifecycle_notification_url,
        expiration_date_time: new.expiration,
        creator_id: r.who.app_id.clone(),
        latest_supported_tls_version: Some(new.latest_supported_tls_version),
        notification_content_type: Some(
            new.notification_content_type
                .unwrap_or_else(|| "application/json".to_owned()),
        ),
        notification_url_app_id: new.notification_url_app_id,
        include_resource_data: new.rich.include_resource_data.unwrap_or(false),
        encryption_certificate: new.rich.encryption_certificate,
        encryption_certificate_id: new.rich.encryption_certificate_id,
    };
    subscriptions(&app, &r).create(&sub).await?;
    let response = entity(&app, &r, &sub, StatusCode::CREATED);
    let base = &app.config().public_url;
    Ok(with_location(
        response,
        base,
        r.version.segment(),
        SET,
        &sub.id,
    ))
}

/// Subscriptions per page of `GET /subscriptions`.
const PAGE: usize = 100;

/// `GET /subscriptions`: the calling application's subscriptions in the tenant (without
/// `clientState`), [`PAGE`] at a time in id order, with `@odata.nextLink` (`$skiptoken`) while more
/// follow.
pub async fn list_subscriptions(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let after = r
        .query
        .0
        .skiptoken
        .as_deref()
        .map(page_token::decode)
        .transpose()?;
    let (subs, more) = subscriptions(&app, &r)
        .list_page(Some(&owner(&r)), after.as_deref(), PAGE)
        .await?;
    let value: Vec<Value> = subs
        .iter()
        .filter(|s| s.kind().is_some_and(|k| permitted(&r, k).is_ok()))
        .map(|s| document(s, false))
        .collect();
    let base = &app.config().public_url;
    let context = context_url(base, r.version, SET);
    let mut body = serde_json::json!({"@odata.context": context, "value": value});
    if let Some(last) = subs.last().filter(|_| more) {
        let path = format!("/{}/{SET}", r.version.segment());
        body["@odata.nextLink"] =
            links::next_link(base, &path, &r.query, &page_token::encode(&last.id)).into();
    }
    Ok(json_response(StatusCode::OK, json_bytes(&body)))
}

/// The `$skiptoken` of the subscription list: the last id of the page before, base64url-encoded.
mod page_token {
    use crate::error::GraphError;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    pub(super) fn encode(last_id: &str) -> String {
        URL_SAFE_NO_PAD.encode(last_id)
    }

    pub(super) fn decode(token: &str) -> Result<String, GraphError> {
        URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|id| !id.is_empty() && id.len() <= 64)
            .ok_or_else(|| {
                GraphError::from(store::StoreError::InvalidSkipToken(
                    "it is not one this server issued".into(),
                ))
            })
    }
}

/// `GET /subscriptions/{id}`: one of the caller's subscriptions.
pub async fn get_subscription(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let sub = owned(&app, &r, &key.0).await?;
    Ok(entity(&app, &r, &sub, StatusCode::OK))
}

/// `PATCH /subscriptions/{id}`: renews (`expirationDateTime`, which also reauthorizes) and/or
/// changes `notificationUrl` (validated by a new handshake). 200 with the subscription.
pub async fn update_subscription(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let mut sub = owned(&app, &r, &key.0).await?;
    let patch = input::parse_patch(&body, app.store().now_for(&r.who.tenant_id))?;
    if let Some(url) = patch.notification_url {
        if url != sub.notification_url {
            validate(&app, "notificationUrl", &url).await?;
            sub.notification_url = url;
        }
    }
    if let Some(at) = patch.expiration {
        sub.expiration_date_time = at;
    }
    apply_rich(&mut sub, patch.rich)?;
    if !subscriptions(&app, &r).update(&sub).await? {
        return Err(GraphError::not_found(NOUN, &key.0));
    }
    Ok(entity(&app, &r, &sub, StatusCode::OK))
}

/// Applies a PATCH's rich-notification properties and checks the result.
fn apply_rich(sub: &mut Subscription, rich: input::RichOptions) -> Result<(), GraphError> {
    if let Some(include) = rich.include_resource_data {
        sub.include_resource_data = include;
    }
    if rich.encryption_certificate.is_some() {
        sub.encryption_certificate = rich.encryption_certificate;
    }
    if rich.encryption_certificate_id.is_some() {
        sub.encryption_certificate_id = rich.encryption_certificate_id;
    }
    let kind = sub
        .kind()
        .ok_or_else(|| GraphError::internal("a stored subscription has an unknown resource"))?;
    input::check_rich(
        kind,
        sub.include_resource_data,
        sub.encryption_certificate.as_deref(),
        sub.encryption_certificate_id.as_deref(),
    )
}

/// `DELETE /subscriptions/{id}`: ends the subscription (queued notifications are dropped). 204.
pub async fn delete_subscription(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    owned(&app, &r, &key.0).await?;
    if !subscriptions(&app, &r).delete(&key.0).await? {
        return Err(GraphError::not_found(NOUN, &key.0));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /subscriptions/{id}/reauthorize`: reauthorizes without extending the expiry (the next
/// `reauthorizationRequired` is sent when due again). 204.
pub async fn reauthorize_subscription(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let sub = owned(&app, &r, &key.0).await?;
    if !subscriptions(&app, &r).update(&sub).await? {
        return Err(GraphError::not_found(NOUN, &key.0));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
