//! Bound OData queries to SQL: the filter renderer, ordering and keyset paging with skip tokens.
//!
//! Rendering produces SQL text plus bind parameters only: literal values are never interpolated, and
//! property names (from the static schemas, or dictionary keys checked by
//! [`check_segment`](crate::dialect::check_segment)) appear only inside quoted JSON paths.

pub(crate) mod list;
pub(crate) mod literals;
pub(crate) mod paging;
pub(crate) mod render;

use crate::dialect::{check_segment, Dialect, Kind};
use crate::error::StoreError;
use crate::schema::hot_column;
use crate::value::Value;
use odata::bound::{PropertyPath, ValuePath};
use odata::schema::{EnumType, PropType};

/// Which document of an alert a query reads: the alerts_v2 entity or the legacy `microsoft.graph.alert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertView {
    /// `microsoft.graph.security.alert` (`/security/alerts_v2`).
    V2,
    /// `microsoft.graph.alert` (`/security/alerts`).
    Legacy,
}

impl AlertView {
    /// The documents this view queries.
    pub(crate) fn documents(self) -> &'static Documents {
        match self {
            AlertView::V2 => &ALERTS_V2,
            AlertView::Legacy => &LEGACY_ALERTS,
        }
    }
}

/// A table of JSON documents that OData queries run over: where the documents and ids are, the
/// default order, and which values have indexed copies ("hot" columns) that filters and sorts
/// should use instead of reading the document.
#[derive(Debug)]
pub(crate) struct Documents {
    /// A stable name (part of skip-token hashes).
    pub(crate) name: &'static str,
    /// The table.
    pub(crate) table: &'static str,
    /// The document column, qualified (`alerts.doc`).
    pub(crate) doc_column: &'static str,
    /// The id column, qualified; ids compare exactly and end every order as the tiebreaker.
    pub(crate) id_column: &'static str,
    /// The DateTimeOffset property lists are ordered by, newest first, without `$orderby`.
    pub(crate) default_order: &'static str,
    /// The column (unqualified) holding exactly the value at a document path, and whether it may
    /// be NULL.
    pub(crate) hot_column: fn(&[&str]) -> Option<(&'static str, bool)>,
}

/// The alerts_v2 documents of `alerts`.
pub(crate) static ALERTS_V2: Documents = Documents {
    name: "v2",
    table: "alerts",
    doc_column: "alerts.doc",
    id_column: "alerts.id",
    default_order: "createdDateTime",
    hot_column: |path| hot_column(false, path).map(|c| (c.name, c.nullable)),
};

/// The legacy alert documents of `alerts`.
pub(crate) static LEGACY_ALERTS: Documents = Documents {
    name: "legacy",
    table: "alerts",
    doc_column: "alerts.legacy_doc",
    id_column: "alerts.id",
    default_order: "createdDateTime",
    hot_column: |path| hot_column(true, path).map(|c| (c.name, c.nullable)),
};

/// SQL text under construction with its numbered bind parameters. Placeholders carry their number,
/// so fragments may be assembled in any order.
#[derive(Debug)]
pub(crate) struct SqlParams {
    pub(crate) dialect: &'static dyn Dialect,
    pub(crate) params: Vec<Value>,
}

impl SqlParams {
    /// An empty parameter list for `dialect`.
    pub(crate) fn new(dialect: &'static dyn Dialect) -> Self {
        SqlParams {
            dialect,
            params: Vec::new(),
        }
    }

    /// Adds a parameter and returns its placeholder.
    pub(crate) fn bind(&mut self, v: Value) -> String {
        let placeholder = self.dialect.typed_placeholder(self.params.len() + 1, &v);
        self.params.push(v);
        placeholder
    }
}

/// A property path resolved to SQL.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// The SQL expression.
    pub(crate) sql: String,
    /// It may be NULL.
    pub(crate) nullable: bool,
    /// String comparisons on it are exact (ids), not case-insensitive.
    pub(crate) exact: bool,
}

/// How a value of type `ty` is read from JSON.
pub(crate) fn kind_of(ty: &PropType) -> Kind {
    match ty {
        PropType::Boolean => Kind::Boolean,
        PropType::Int32 | PropType::Int64 => Kind::Integer,
        PropType::Double => Kind::Real,
        _ => Kind::Text,
    }
}

/// The SQL expression of the JSON path `path` below a document: a quoted literal when it names schema
/// properties only, a bind parameter when it holds dictionary keys (caller text). `None` for an
/// empty path (the lambda variable itself).
pub(crate) fn path_sql(
    p: &mut SqlParams,
    path: &PropertyPath,
) -> Result<Option<String>, StoreError> {
    if path.segments.is_empty() && path.open_segments.is_empty() {
        return Ok(None);
    }
    let json_path = p.dialect.json_path(&path.segments, &path.open_segments)?;
    Ok(Some(if path.open_segments.is_empty() {
        format!("'{json_path}'")
    } else {
        let placeholder = p.bind(Value::Text(json_path));
        p.dialect.json_path_param(&placeholder)
    }))
}

/// The document or element a path in lambda scope `scope` starts from: the view's document at the
/// root, else the alias `eN` of the `N`-th enclosing lambda variable.
pub(crate) fn scope_source(p: &SqlParams, docs: &Documents, scope: usize) -> String {
    match scope {
        0 => p.dialect.queried_document(docs.doc_column).to_owned(),
        n => format!("e{n}.value"),
    }
}

/// Resolves `path` in `docs`: an indexed column when one holds exactly that value, else JSON access
/// on the document (or on a lambda variable).
pub(crate) fn resolve(
    p: &mut SqlParams,
    docs: &Documents,
    path: &ValuePath,
) -> Result<Resolved, StoreError> {
    resolve_as(p, docs, path, None)
}

/// [`resolve`], reading a value below an open dictionary (whose type the schema does not know) as
/// `hint` — the type of what it is compared with — instead of as text.
pub(crate) fn resolve_as(
    p: &mut SqlParams,
    docs: &Documents,
    path: &ValuePath,
    hint: Option<Kind>,
) -> Result<Resolved, StoreError> {
    let segments = &path.path.segments;
    if path.scope == 0 && path.path.open_segments.is_empty() {
        if segments.as_slice() == ["id"] {
            return Ok(Resolved {
                sql: docs.id_column.into(),
                nullable: false,
                exact: true,
            });
        }
        if let Some((column, nullable)) = (docs.hot_column)(segments) {
            return Ok(Resolved {
                sql: format!("{}.{column}", docs.table),
                nullable,
                exact: false,
            });
        }
    }
    let json_path = path_sql(p, &path.path)?;
    let kind = match (&path.path.ty, hint) {
        (PropType::Dictionary, Some(hint)) => hint,
        (ty, _) => kind_of(ty),
    };
    // The model writes every typed property of a document with its type; only dictionary values
    // and collection elements (which an import may keep verbatim) can hold anything.
    let strict = path.scope > 0 || !path.path.open_segments.is_empty();
    let sql = p.dialect.json_scalar(
        &scope_source(p, docs, path.scope),
        json_path.as_deref(),
        kind,
        strict,
    );
    Ok(Resolved {
        sql,
        nullable: true,
        exact: false,
    })
}

/// `CASE x WHEN 'first' THEN 0 ... END`: an enum value's rank in declaration order, which is how
/// OData orders enum members.
pub(crate) fn enum_rank(sql: &str, e: &EnumType) -> Result<String, StoreError> {
    let mut out = format!("CASE {sql}");
    for (i, m) in e.members.iter().enumerate() {
        check_segment(m)?;
        out.push_str(&format!(" WHEN '{m}' THEN {i}"));
    }
    out.push_str(" END");
    Ok(out)
}

/// Benchmarks only: renders `filter` for `view` in the SQLite dialect, returning the SQL predicate
/// and its bind-parameter count — the same work a list request does (`crates/store/benches`).
#[doc(hidden)]
pub fn render_filter_sqlite(
    view: AlertView,
    filter: &odata::bound::BoundExpr,
) -> Result<(String, usize), StoreError> {
    let mut p = SqlParams::new(&crate::dialect::Sqlite);
    let sql = render::render_filter(&mut p, view.documents(), filter)?;
    Ok((sql, p.params.len()))
}

/// Diagnostics only: renders `filter` for `view` in the dialect of `backend` (`sqlite` or
/// `postgres`), returning the SQL predicate and its bind parameters spelled out (the differential
/// test prints them when the backends disagree).
#[doc(hidden)]
pub fn render_filter_sql(
    backend: &str,
    view: AlertView,
    filter: &odata::bound::BoundExpr,
) -> Result<(String, Vec<String>), StoreError> {
    let dialect: &'static dyn Dialect = match backend {
        "postgres" => &crate::dialect::Postgres,
        _ => &crate::dialect::Sqlite,
    };
    let mut p = SqlParams::new(dialect);
    let sql = render::render_filter(&mut p, view.documents(), filter)?;
    Ok((sql, p.params.iter().map(|v| format!("{v:?}")).collect()))
}
