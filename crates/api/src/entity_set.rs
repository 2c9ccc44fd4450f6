//! A simple Graph entity set: one stored document per entity, no navigation properties. Its
//! routes share how a page, a single entity and the refusals of `$expand` and unknown ids look;
//! [`EntitySet`] is that once (`security/secureScores`, `secureScoreControlProfiles`,
//! `securityActions`, `tiIndicators`, `subscriptions`).

use crate::error::GraphError;
use crate::links;
use crate::paging::{self, PageLimits};
use crate::query::GraphRequest;
use crate::response::{self, Shape};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use odata::bound::BoundQuery;
use serde::Serialize;
use store::EntityPage;

/// An entity set below the version root.
#[derive(Debug, Clone, Copy)]
pub struct EntitySet {
    /// Its path below the version root (`security/secureScores`).
    pub path: &'static str,
    /// `@odata.type` of its entities (`#microsoft.graph.secureScore`).
    pub odata_type: &'static str,
    /// The entity type's name in messages (`secureScore`).
    pub name: &'static str,
    /// Its paging limits.
    pub limits: PageLimits,
}

impl EntitySet {
    /// How its entities are written: `@odata.type` first, `$select` applied.
    pub fn shape<'a>(&self, select: Option<&'a [&'static str]>) -> Shape<'a> {
        Shape {
            odata_type: self.odata_type,
            select,
            hide_evolvable: false,
        }
    }

    /// A 400 for any `$expand`: the entity type has no navigation properties.
    pub fn no_expand(&self, query: &BoundQuery) -> Result<(), GraphError> {
        match query.expand.first() {
            None => Ok(()),
            Some(name) => Err(GraphError::bad_request(format!(
                "'{name}' cannot be expanded: {} has no navigation properties. Remove $expand.",
                self.name
            ))
            .with_inner_code("invalidQueryOption")),
        }
    }

    /// The page size `query` asks for within the set's limits, or a 400 that states the limit.
    pub fn page_size(&self, query: &BoundQuery) -> Result<u32, GraphError> {
        paging::page_size(query, self.limits)
    }

    /// The response to the list request `r`: `page`'s entities, each serialised by `doc`, with
    /// the context URL, `@odata.count` and `@odata.nextLink`.
    pub fn page<T>(
        &self,
        app: &AppState,
        r: &GraphRequest,
        select: Option<&[&'static str]>,
        page: &EntityPage<T>,
        doc: impl Fn(&T) -> serde_json::Result<String>,
    ) -> Result<Response, GraphError> {
        paging::page_response(app, r, self.path, &self.shape(select), page, doc)
    }

    /// The response with one entity `value` (`$select` applied, the `$entity` context URL) and
    /// `status` (200 for a read or update, 201 for a creation).
    pub fn entity<T: Serialize + ?Sized>(
        &self,
        app: &AppState,
        r: &GraphRequest,
        select: Option<&[&'static str]>,
        value: &T,
        status: StatusCode,
    ) -> Result<Response, GraphError> {
        let fragment = format!("{}/$entity", links::collection_fragment(self.path, select));
        let context = links::context_url(&app.config().public_url, r.version, &fragment);
        let text = serde_json::to_string(value).map_err(GraphError::internal)?;
        let mut response = response::entity_response(&context, &text, false, &self.shape(select))?;
        *response.status_mut() = status;
        Ok(response)
    }

    /// The 404 for an id the caller's tenant has no entity of.
    pub fn not_found(&self, id: &str) -> GraphError {
        GraphError::not_found(self.name, id)
    }
}
