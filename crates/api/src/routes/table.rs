//! The permission table: every Graph route with the permissions that grant it. The router is built
//! from this table and nothing else ([`graph_router`]), so a Graph route cannot exist without an
//! entry; the table is public so tests can iterate it (one generated authorization test per route).
//!
//! A [`Requirement`] lists the permissions of which any one suffices, least privileged first, as
//! Microsoft documents them (`shared/spec/graph-security.md` §2.8). The check runs in a route layer
//! ([`crate::authorize`]) before the handler; handlers never check permissions themselves.

use super::alert_views;
use super::alerts_delta;
use super::alerts_v2::{self, AlertsV2};
use super::federation;
use super::incident_actions;
use super::incident_alerts;
use super::incidents;
use super::legacy_alerts::{self, LegacyAlerts};
use super::secure_score_control_profiles as profiles;
use super::secure_scores;
use super::security_actions as actions;
use super::subscriptions as subs;
use super::ti_indicator_actions as ti_actions;
use super::ti_indicators;
use crate::authorize;
use crate::query::ApiVersion;
use crate::state::AppState;
use crate::throttle::Category;
use auth::permission::{Permission, Requirement};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;

/// Reading alerts_v2: `SecurityAlert.Read.All` or `SecurityAlert.ReadWrite.All`.
pub const ALERTS_V2_READ: Requirement = Requirement(&[
    Permission::SecurityAlertReadAll,
    Permission::SecurityAlertReadWriteAll,
]);
/// Changing alerts_v2 (PATCH, comments): `SecurityAlert.ReadWrite.All`.
pub const ALERTS_V2_WRITE: Requirement = Requirement(&[Permission::SecurityAlertReadWriteAll]);
/// Reading legacy alerts: `SecurityEvents.Read.All` or `SecurityEvents.ReadWrite.All`.
pub const LEGACY_READ: Requirement = Requirement(&[
    Permission::SecurityEventsReadAll,
    Permission::SecurityEventsReadWriteAll,
]);
/// Changing legacy alerts (PATCH, updateAlerts): `SecurityEvents.ReadWrite.All`.
pub const LEGACY_WRITE: Requirement = Requirement(&[Permission::SecurityEventsReadWriteAll]);

/// Reading incidents and their alerts: `SecurityIncident.Read.All` or
/// `SecurityIncident.ReadWrite.All`.
pub const INCIDENTS_READ: Requirement = Requirement(&[
    Permission::SecurityIncidentReadAll,
    Permission::SecurityIncidentReadWriteAll,
]);
/// Changing incidents (PATCH, comments, the manual correlation actions):
/// `SecurityIncident.ReadWrite.All`.
pub const INCIDENTS_WRITE: Requirement = Requirement(&[Permission::SecurityIncidentReadWriteAll]);
/// Reading secureScores and secureScoreControlProfiles: `SecurityEvents.Read.All` or
/// `SecurityEvents.ReadWrite.All`.
pub const SECURE_SCORE_READ: Requirement = Requirement(&[
    Permission::SecurityEventsReadAll,
    Permission::SecurityEventsReadWriteAll,
]);
/// Updating control profiles (and the 405s): `SecurityEvents.ReadWrite.All`.
pub const SECURE_SCORE_WRITE: Requirement = Requirement(&[Permission::SecurityEventsReadWriteAll]);

/// Every tiIndicator call: `ThreatIndicators.ReadWrite.OwnedBy` (the caller's application sees and
/// changes only the indicators it submitted; the store enforces that).
pub const TI_INDICATORS: Requirement = Requirement(&[Permission::ThreatIndicatorsReadWriteOwnedBy]);

/// Reading securityActions: `SecurityActions.Read.All` or `SecurityActions.ReadWrite.All`
/// (application permissions only, as in Graph).
pub const SECURITY_ACTIONS_READ: Requirement = Requirement(&[
    Permission::SecurityActionsReadAll,
    Permission::SecurityActionsReadWriteAll,
]);
/// Creating and cancelling securityActions: `SecurityActions.ReadWrite.All`.
pub const SECURITY_ACTIONS_WRITE: Requirement =
    Requirement(&[Permission::SecurityActionsReadWriteAll]);

/// The `/subscriptions` routes: any permission that can create some subscription (each
/// subscription then needs its resource's, `routes::subscriptions::resource_requirement`).
pub const SUBSCRIPTIONS: Requirement = Requirement(&[
    Permission::SecurityEventsReadWriteAll,
    Permission::SecurityAlertReadAll,
    Permission::SecurityAlertReadWriteAll,
    Permission::SecurityIncidentReadAll,
    Permission::SecurityIncidentReadWriteAll,
    Permission::ThreatIndicatorsReadWriteOwnedBy,
]);

/// An HTTP method of a Graph route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Verb {
    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Patch => Method::PATCH,
            Verb::Delete => Method::DELETE,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Patch => MethodFilter::PATCH,
            Verb::Delete => MethodFilter::DELETE,
        }
    }
}

/// One row of the table: a method on a path (below `/v1.0` and `/beta`), what grants it, and its
/// handler.
pub struct GraphRoute {
    /// The method.
    pub verb: Verb,
    /// The path below the version root, with `{id}` for an entity key.
    pub path: &'static str,
    /// The permissions of which one grants the route.
    pub requirement: &'static Requirement,
    /// Served under `/beta` only (under `/v1.0` the path is unknown, as in Graph).
    pub beta_only: bool,
    handler: MethodRouter<AppState>,
}

impl GraphRoute {
    /// The version roots that serve the route.
    pub fn versions(&self) -> &'static [ApiVersion] {
        match self.beta_only {
            true => &[ApiVersion::Beta],
            false => &[ApiVersion::V1, ApiVersion::Beta],
        }
    }
}

impl std::fmt::Debug for GraphRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} {} {:?}", self.verb, self.path, self.requirement.0)
    }
}

fn route<H, T>(
    verb: Verb,
    path: &'static str,
    requirement: &'static Requirement,
    handler: H,
) -> GraphRoute
where
    H: Handler<T, AppState>,
    T: 'static,
{
    GraphRoute {
        verb,
        path,
        requirement,
        beta_only: false,
        handler: axum::routing::on(verb.filter(), handler),
    }
}

/// `route` for a beta-only entity set.
fn beta(mut route: GraphRoute) -> GraphRoute {
    route.beta_only = true;
    route
}

/// Every Graph route. Adding a route means adding a row here, with its requirement.
#[rustfmt::skip]
pub fn graph_routes() -> Vec<GraphRoute> {
    use Verb::*;
    vec![
        route(Get,    "/security/alerts_v2",                 &ALERTS_V2_READ,  alert_views::list_alerts::<AlertsV2>),
        route(Post,   "/security/alerts_v2",                 &ALERTS_V2_WRITE, alerts_v2::not_allowed),
        route(Get,    "/security/alerts_v2/$count",          &ALERTS_V2_READ,  alert_views::count_alerts::<AlertsV2>),
        route(Get,    "/security/alerts_v2/delta",           &ALERTS_V2_READ,  alerts_delta::alerts_v2_delta),
        route(Get,    "/security/alerts_v2/{id}",            &ALERTS_V2_READ,  alert_views::get_alert::<AlertsV2>),
        route(Patch,  "/security/alerts_v2/{id}",            &ALERTS_V2_WRITE, alerts_v2::update_alert),
        route(Delete, "/security/alerts_v2/{id}",            &ALERTS_V2_WRITE, alerts_v2::not_allowed),
        route(Get,    "/security/alerts_v2/{id}/comments",   &ALERTS_V2_READ,  alerts_v2::list_comments),
        route(Post,   "/security/alerts_v2/{id}/comments",   &ALERTS_V2_WRITE, alerts_v2::create_comment),
        route(Get,    "/security/incidents",                 &INCIDENTS_READ,  incidents::list_incidents),
        route(Post,   "/security/incidents",                 &INCIDENTS_WRITE, incidents::not_allowed),
        route(Get,    "/security/incidents/$count",          &INCIDENTS_READ,  incidents::count_incidents),
        route(Get,    "/security/incidents/{id}",            &INCIDENTS_READ,  incidents::get_incident),
        route(Patch,  "/security/incidents/{id}",            &INCIDENTS_WRITE, incidents::update_incident),
        route(Delete, "/security/incidents/{id}",            &INCIDENTS_WRITE, incidents::not_allowed),
        route(Post,   "/security/incidents/{id}/comments",   &INCIDENTS_WRITE, incidents::create_comment),
        route(Get,    "/security/incidents/{id}/alerts",     &INCIDENTS_READ,  incident_alerts::list_incident_alerts),
        route(Get,    "/security/incidents/{id}/alerts/$count", &INCIDENTS_READ, incident_alerts::count_incident_alerts),
        route(Get,    "/security/incidents/{id}/alerts/{alertId}", &INCIDENTS_READ, incident_alerts::get_incident_alert),
        route(Post,   "/security/incidents/{id}/alerts/{alertId}/comments", &ALERTS_V2_WRITE, incident_alerts::create_incident_alert_comment),
        route(Post,   "/security/incidents/{id}/secgraph.linkAlerts", &INCIDENTS_WRITE, incident_actions::link_alerts),
        route(Post,   "/security/incidents/{id}/secgraph.mergeInto", &INCIDENTS_WRITE, incident_actions::merge_into),
        route(Post,   "/security/incidents/{id}/alerts/{alertId}/secgraph.unlink", &INCIDENTS_WRITE, incident_actions::unlink_alert),
        route(Get,    "/security/alerts",                    &LEGACY_READ,     federation::list_legacy_alerts),
        route(Post,   "/security/alerts",                    &LEGACY_WRITE,    legacy_alerts::not_allowed),
        route(Get,    "/security/alerts/$count",             &LEGACY_READ,     alert_views::count_alerts::<LegacyAlerts>),
        route(Post,   "/security/alerts/updateAlerts",       &LEGACY_WRITE,    legacy_alerts::update_alerts),
        route(Get,    "/security/alerts/{id}",               &LEGACY_READ,     alert_views::get_alert::<LegacyAlerts>),
        route(Patch,  "/security/alerts/{id}",               &LEGACY_WRITE,    legacy_alerts::update_alert),
        route(Delete, "/security/alerts/{id}",               &LEGACY_WRITE,    legacy_alerts::not_allowed),
        route(Get,    "/security/tiIndicators",              &TI_INDICATORS,   ti_indicators::list_indicators),
        route(Post,   "/security/tiIndicators",              &TI_INDICATORS,   ti_indicators::create_indicator),
        route(Get,    "/security/tiIndicators/$count",       &TI_INDICATORS,   ti_indicators::count_indicators),
        route(Post,   "/security/tiIndicators/submitTiIndicators", &TI_INDICATORS, ti_actions::submit_indicators),
        route(Post,   "/security/tiIndicators/updateTiIndicators", &TI_INDICATORS, ti_actions::update_indicators),
        route(Post,   "/security/tiIndicators/deleteTiIndicators", &TI_INDICATORS, ti_actions::delete_indicators),
        route(Post,   "/security/tiIndicators/deleteTiIndicatorsByExternalId", &TI_INDICATORS, ti_actions::delete_indicators_by_external_id),
        route(Get,    "/security/tiIndicators/{id}",         &TI_INDICATORS,   ti_indicators::get_indicator),
        route(Patch,  "/security/tiIndicators/{id}",         &TI_INDICATORS,   ti_indicators::update_indicator),
        route(Delete, "/security/tiIndicators/{id}",         &TI_INDICATORS,   ti_indicators::delete_indicator),
        route(Get,    "/security/secureScores",              &SECURE_SCORE_READ,  secure_scores::list_secure_scores),
        route(Post,   "/security/secureScores",              &SECURE_SCORE_WRITE, secure_scores::not_allowed),
        route(Get,    "/security/secureScores/$count",       &SECURE_SCORE_READ,  secure_scores::count_secure_scores),
        route(Get,    "/security/secureScores/{id}",         &SECURE_SCORE_READ,  secure_scores::get_secure_score),
        route(Patch,  "/security/secureScores/{id}",         &SECURE_SCORE_WRITE, secure_scores::not_allowed),
        route(Delete, "/security/secureScores/{id}",         &SECURE_SCORE_WRITE, secure_scores::not_allowed),
        route(Get,    "/security/secureScoreControlProfiles",        &SECURE_SCORE_READ,  profiles::list_control_profiles),
        route(Post,   "/security/secureScoreControlProfiles",        &SECURE_SCORE_WRITE, profiles::not_allowed),
        route(Get,    "/security/secureScoreControlProfiles/$count", &SECURE_SCORE_READ,  profiles::count_control_profiles),
        route(Get,    "/security/secureScoreControlProfiles/{id}",   &SECURE_SCORE_READ,  profiles::get_control_profile),
        route(Patch,  "/security/secureScoreControlProfiles/{id}",   &SECURE_SCORE_WRITE, profiles::update_control_profile),
        route(Delete, "/security/secureScoreControlProfiles/{id}",   &SECURE_SCORE_WRITE, profiles::not_allowed),
        route(Post,   "/subscriptions",                      &SUBSCRIPTIONS,   subs::create_subscription),
        route(Get,    "/subscriptions",                      &SUBSCRIPTIONS,   subs::list_subscriptions),
        route(Get,    "/subscriptions/{id}",                 &SUBSCRIPTIONS,   subs::get_subscription),
        route(Patch,  "/subscriptions/{id}",                 &SUBSCRIPTIONS,   subs::update_subscription),
        route(Delete, "/subscriptions/{id}",                 &SUBSCRIPTIONS,   subs::delete_subscription),
        route(Post,   "/subscriptions/{id}/reauthorize",     &SUBSCRIPTIONS,   subs::reauthorize_subscription),
        beta(route(Get,    "/security/securityActions",           &SECURITY_ACTIONS_READ,  actions::list_security_actions)),
        beta(route(Post,   "/security/securityActions",           &SECURITY_ACTIONS_WRITE, actions::create_security_action)),
        beta(route(Get,    "/security/securityActions/$count",    &SECURITY_ACTIONS_READ,  actions::count_security_actions)),
        beta(route(Get,    "/security/securityActions/{id}",      &SECURITY_ACTIONS_READ,  actions::get_security_action)),
        beta(route(Patch,  "/security/securityActions/{id}",      &SECURITY_ACTIONS_WRITE, actions::not_allowed)),
        beta(route(Delete, "/security/securityActions/{id}",      &SECURITY_ACTIONS_WRITE, actions::not_allowed)),
        beta(route(Post,   "/security/securityActions/{id}/cancelSecurityAction", &SECURITY_ACTIONS_WRITE, actions::cancel_security_action)),
    ]
}

/// The routes of the Graph version root `version`, each behind the authorization layer for its
/// requirement, counted against its path's throttle category.
pub fn graph_router(state: &AppState, version: ApiVersion) -> Router<AppState> {
    let routes = graph_routes().into_iter();
    let served = routes.filter(|r| r.versions().contains(&version));
    served.fold(Router::new(), |router, r| {
        let (requirement, category) = (r.requirement, Category::of_path(r.path));
        router.route(
            r.path,
            authorize::guarded_in(state, requirement, category, r.handler),
        )
    })
}
