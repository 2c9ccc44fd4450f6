//! What the two alert collections share: listing, counting and reading by id through a view
//! (`security/alerts_v2` or the legacy `security/alerts`), with Graph's annotations and paging.

use crate::body::EntityKey;
use crate::error::GraphError;
use crate::links;
use crate::paging::{self, PageLimits};
use crate::query::GraphRequest;
use crate::response::{self, Collection, Shape};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use odata::schema::EntitySchema;
use std::borrow::Cow;
use store::{AlertView, ListRequest, RawAlert};

/// One alert collection as the API exposes it.
#[derive(Debug, Clone, Copy)]
pub struct ViewSpec {
    /// Which stored document the view reads.
    pub view: AlertView,
    /// The property table `$filter`, `$orderby` and `$select` bind against.
    pub schema: &'static EntitySchema,
    /// The entity-set path below the version root, e.g. `security/alerts_v2`.
    pub set: &'static str,
    /// `@odata.type` of its entities.
    pub odata_type: &'static str,
    /// Entity name used in messages.
    pub noun: &'static str,
    /// Paging limits.
    pub limits: PageLimits,
    /// The view's documents may carry evolvable enum members (alerts_v2 does; the legacy view does not).
    pub has_evolvable_enums: bool,
}

impl ViewSpec {
    /// How the view's documents are written for `r` (its `$select`, its `Prefer`).
    pub(crate) fn shape<'a>(
        &self,
        r: &GraphRequest,
        select: Option<&'a [&'static str]>,
    ) -> Shape<'a> {
        Shape {
            odata_type: self.odata_type,
            select,
            hide_evolvable: self.has_evolvable_enums && !r.prefer.include_unknown_enum_members,
        }
    }
}

/// A collection served through [`list_alerts`], [`count_alerts`] and [`get_alert`].
pub trait View {
    /// How the collection is exposed.
    const SPEC: ViewSpec;
}

/// `GET /security/alerts_v2`, `GET /security/alerts`: lists a page of the view, newest first, with
/// `$filter`, `$orderby`, `$select`, `$top`, `$skip`, `$count` and server-driven paging.
pub async fn list_alerts<V: View>(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    list(&app, &r, V::SPEC).await
}

/// `GET /security/alerts_v2/$count`, `GET /security/alerts/$count`: the number of alerts matching
/// `$filter`, as text.
pub async fn count_alerts<V: View>(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    count(&app, &r, V::SPEC).await
}

/// `GET /security/alerts_v2/{id}`, `GET /security/alerts/{id}`: reads one alert of the view.
pub async fn get_alert<V: View>(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    get(&app, &r, &key, V::SPEC).await
}

/// Lists a page of the view.
pub async fn list(
    app: &AppState,
    r: &GraphRequest,
    spec: ViewSpec,
) -> Result<Response, GraphError> {
    let bound = r.bind(spec.schema)?;
    let version = r.version;
    reject_expand(&bound.expand, spec)?;
    let page_size = paging::page_size(&bound, spec.limits)?;
    let base = &app.config().public_url;
    let select = bound.select.as_deref();
    let context = links::context_url(base, version, &links::collection_fragment(spec.set, select));
    let tenant = app.store().tenant(&r.who.tenant_id);
    if page_size == 0 {
        let count = match bound.count {
            true => Some(
                tenant
                    .count_alerts(spec.view, bound.filter.as_ref())
                    .await?,
            ),
            false => None,
        };
        return Ok(Collection::start(&context, count, None).finish());
    }
    let page = tenant
        .list_alerts(ListRequest {
            view: spec.view,
            query: &bound,
            page_size,
        })
        .await?;
    let next = page.next_skiptoken.as_deref().map(|token| {
        links::next_link(
            base,
            &format!("/{}/{}", version.segment(), spec.set),
            &r.query,
            token,
        )
    });
    let shape = spec.shape(r, select);
    let mut out = Collection::start(&context, page.count, next.as_deref());
    push_alerts(&mut out, &page.items, &shape)?;
    Ok(out.finish())
}

/// `GET …/$count`: the number of entities matching `$filter`, as text.
pub async fn count(
    app: &AppState,
    r: &GraphRequest,
    spec: ViewSpec,
) -> Result<Response, GraphError> {
    let bound = r.bind(spec.schema)?;
    let n = app
        .store()
        .tenant(&r.who.tenant_id)
        .count_alerts(spec.view, bound.filter.as_ref())
        .await?;
    Ok(response::count_response(n))
}

/// Reads one entity of the view by id.
pub async fn get(
    app: &AppState,
    r: &GraphRequest,
    key: &EntityKey,
    spec: ViewSpec,
) -> Result<Response, GraphError> {
    let bound = r.bind(spec.schema)?;
    reject_expand(&bound.expand, spec)?;
    let id = model::AlertId(key.0.clone());
    let raw = app
        .store()
        .tenant(&r.who.tenant_id)
        .get_alert_raw(spec.view, &id)
        .await?
        .ok_or_else(|| GraphError::not_found(spec.noun, &key.0))?;
    let select = bound.select.as_deref();
    let (doc, rewrite) = visible(&raw, &spec.shape(r, select));
    entity(app, r, spec, select, &doc, rewrite)
}

/// The text of `raw` to shape, and whether its evolvable members still need the full rewrite: the
/// store's precomputed ranges give the caller's view directly unless the document could not be
/// aligned (see `store::RawAlert::visible_json`).
pub(crate) fn visible<'a>(raw: &'a RawAlert, shape: &Shape<'_>) -> (Cow<'a, str>, bool) {
    match raw.visible_json(!shape.hide_evolvable) {
        Some(doc) => (doc, false),
        None => (Cow::Borrowed(raw.json.as_str()), raw.has_evolvable),
    }
}

/// Appends `items` to `out` as `shape` shows them. Unless `$select` asks for a parse, each
/// document goes into the response buffer in one pass, its evolvable members spliced on the way.
pub(crate) fn push_alerts(
    out: &mut Collection,
    items: &[RawAlert],
    shape: &Shape<'_>,
) -> Result<(), GraphError> {
    let prefix = shape.odata_type.len() + 20;
    out.reserve(items.iter().map(|i| i.visible_len_bound() + prefix).sum());
    for item in items {
        let direct = shape.select.is_none()
            && out.push_with(|buf| {
                let from = response::type_prefix(buf, &item.json, shape.odata_type);
                item.write_visible(buf, from, !shape.hide_evolvable)
            });
        if !direct {
            let (doc, rewrite) = visible(item, shape);
            out.push(&doc, rewrite, shape)?;
        }
    }
    Ok(())
}

/// A single-entity response for a document of the view.
pub fn entity(
    app: &AppState,
    r: &GraphRequest,
    spec: ViewSpec,
    select: Option<&[&'static str]>,
    doc: &str,
    has_evolvable: bool,
) -> Result<Response, GraphError> {
    let fragment = format!("{}/$entity", links::collection_fragment(spec.set, select));
    let context = links::context_url(&app.config().public_url, r.version, &fragment);
    let shape = spec.shape(r, select);
    response::entity_response(&context, doc, has_evolvable, &shape)
}

fn reject_expand(expand: &[String], spec: ViewSpec) -> Result<(), GraphError> {
    match expand.first() {
        None => Ok(()),
        Some(name) => Err(GraphError::bad_request(format!(
            "'{name}' cannot be expanded: {} has no navigation properties. Remove $expand.",
            spec.noun
        ))
        .with_inner_code("invalidQueryOption")),
    }
}
