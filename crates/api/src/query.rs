//! Extractors for what a request says besides its body: OData query options (decoded with form
//! rules by the `odata` crate), the `Prefer` header, and the API version from the path; and
//! `Preference-Applied`, which says which preferences a response honoured.

use crate::error::GraphError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use odata::bound::BoundQuery;
use odata::schema::EntitySchema;

/// The parsed (not yet bound) query options of the request.
#[derive(Debug, Clone)]
pub struct ODataQuery(pub odata::QueryOptions);

impl FromRequestParts<AppState> for ODataQuery {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, GraphError> {
        let raw = parts.uri.query().unwrap_or("");
        Ok(ODataQuery(odata::parse_query_string(raw)?))
    }
}

impl ODataQuery {
    /// Binds the options against `schema` under the caller's `Prefer` choices.
    pub fn bind(
        &self,
        schema: &'static EntitySchema,
        prefer: &Prefer,
    ) -> Result<BoundQuery, GraphError> {
        let opts = odata::BindOptions {
            include_unknown_enum_members: prefer.include_unknown_enum_members,
            ..odata::BindOptions::default()
        };
        Ok(odata::bind(&self.0, schema, &opts)?)
    }
}

/// The `Prefer` header preferences we honour.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prefer {
    /// `return=representation`: answer an update with 200 and the entity instead of 204.
    pub return_representation: bool,
    /// `include-unknown-enum-members`: show and accept evolvable enum members.
    pub include_unknown_enum_members: bool,
}

impl Prefer {
    /// Reads every `Prefer` header (comma-separated preferences, case-insensitive).
    pub fn from_parts(parts: &Parts) -> Prefer {
        let mut p = Prefer::default();
        for value in parts.headers.get_all("prefer") {
            let Ok(text) = value.to_str() else { continue };
            for pref in text.split(',').map(str::trim) {
                let name = pref.split(';').next().unwrap_or("").trim();
                if name.eq_ignore_ascii_case("return=representation")
                    || name.eq_ignore_ascii_case("return = representation")
                {
                    p.return_representation = true;
                } else if name.eq_ignore_ascii_case("include-unknown-enum-members") {
                    p.include_unknown_enum_members = true;
                }
            }
        }
        p
    }
}

static PREFERENCE_APPLIED: HeaderName = HeaderName::from_static("preference-applied");

impl Prefer {
    /// `resp` marked `Preference-Applied: return=representation`: for the updates that answer
    /// 200 with the entity instead of 204 because the caller asked.
    pub fn representation_applied(mut resp: Response) -> Response {
        resp.headers_mut().append(
            PREFERENCE_APPLIED.clone(),
            HeaderValue::from_static("return=representation"),
        );
        resp
    }
}

/// Middleware on the version roots: a successful response to a request that sent
/// `Prefer: include-unknown-enum-members` says `Preference-Applied: include-unknown-enum-members`
/// (every Graph route honours it: evolvable members are shown, and accepted in `$filter` and
/// bodies, spec §2.5).
pub async fn echo_preferences(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let prefer = Prefer::from_parts(&parts);
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if prefer.include_unknown_enum_members && resp.status().is_success() {
        resp.headers_mut().append(
            PREFERENCE_APPLIED.clone(),
            HeaderValue::from_static("include-unknown-enum-members"),
        );
    }
    resp
}

impl<S: Send + Sync> FromRequestParts<S> for Prefer {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, GraphError> {
        Ok(Prefer::from_parts(parts))
    }
}

/// The Graph API version a request addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1.0`.
    V1,
    /// `/beta`.
    Beta,
}

impl ApiVersion {
    /// The path segment.
    pub fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiVersion {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, GraphError> {
        parts
            .extensions
            .get::<ApiVersion>()
            .copied()
            .ok_or_else(|| {
                GraphError::internal("ApiVersion extension missing on a versioned route")
            })
    }
}

/// Everything a Graph read handler needs besides state and path: the caller, the version, the `Prefer`
/// choices and the query options.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// The caller.
    pub who: crate::principal::Principal,
    /// `/v1.0` or `/beta`.
    pub version: ApiVersion,
    /// `Prefer` header.
    pub prefer: Prefer,
    /// Query options.
    pub query: ODataQuery,
}

impl FromRequestParts<AppState> for GraphRequest {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, GraphError> {
        let who = crate::principal::Principal::from_request_parts(parts, state).await?;
        let version = ApiVersion::from_request_parts(parts, state).await?;
        let prefer = Prefer::from_parts(parts);
        let query = ODataQuery::from_request_parts(parts, state).await?;
        Ok(GraphRequest {
            who,
            version,
            prefer,
            query,
        })
    }
}

impl GraphRequest {
    /// Binds the query options against `schema`.
    pub fn bind(&self, schema: &'static EntitySchema) -> Result<BoundQuery, GraphError> {
        self.query.bind(schema, &self.prefer)
    }
}
