//! `$orderby`, `$select` and `$expand`, bound against the entity schema.

use super::path::Purpose;
use super::{BindOptions, Binder};
use crate::ast::SelectItem;
use crate::bound::OrderBy;
use crate::error::{ErrorKind, ODataError};
use crate::parser::{parse_expand, parse_orderby, parse_select};
use crate::schema::{EntitySchema, PropType};
use crate::suggestion::closest;

/// `$orderby`: each item must be a sortable, single-valued primitive or enum property.
pub(super) fn orderby(
    text: &str,
    schema: &'static EntitySchema,
) -> Result<Vec<OrderBy>, ODataError> {
    let opts = BindOptions::default();
    let binder = Binder::new(text, "$orderby", schema, &opts);
    let items = parse_orderby(text)?;
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let resolved = binder.resolve(&item.path, Purpose::OrderBy)?;
        let path = &item.path;
        let reason = match (resolved.shape.ty, resolved.last) {
            (PropType::Dictionary, _) if !resolved.value.path.open_segments.is_empty() => {
                Some("it is inside an open dictionary".to_string())
            }
            (ty, _) if !ty.is_single_valued_primitive() => Some(format!(
                "it is {}; sort by a single-valued property{}",
                ty.type_name(),
                if matches!(ty, PropType::Complex(_)) {
                    " inside it"
                } else {
                    ""
                }
            )),
            (_, Some(prop)) if !prop.sortable => Some("it is not sortable".to_string()),
            _ => None,
        };
        if let Some(reason) = reason {
            let msg = format!("cannot sort by '{path}': {reason}");
            return Err(binder.error(ErrorKind::InvalidUse, path.span, msg));
        }
        out.push(OrderBy {
            path: resolved.value.path,
            descending: item.descending,
        });
    }
    Ok(out)
}

/// `$select`: top-level property names, canonicalised and deduplicated; `*` selects all (`None`).
pub(super) fn select(
    text: &str,
    schema: &'static EntitySchema,
) -> Result<Option<Vec<&'static str>>, ODataError> {
    let items = parse_select(text)?;
    let mut out: Vec<&'static str> = Vec::with_capacity(items.len());
    for item in &items {
        let path = match item {
            SelectItem::Star(_) => return Ok(None),
            SelectItem::Path(path) => path,
        };
        let error = |kind, msg: String| ODataError::new("$select", kind, msg).at(path.span.start);
        let [name] = path.segments.as_slice() else {
            let msg = format!("'{path}': $select takes top-level properties only");
            return Err(error(ErrorKind::NotSupported, msg));
        };
        let Some(prop) = schema.property(name.text) else {
            let mut msg = format!("'{}' is not a property of {}", name.text, schema.name);
            if let Some(s) = closest(name.text, schema.properties.iter().map(|p| p.name)) {
                msg.push_str(&format!("; did you mean '{s}'?"));
            }
            return Err(error(ErrorKind::UnknownProperty, msg));
        };
        if !out.contains(&prop.name) {
            out.push(prop.name);
        }
    }
    Ok(Some(out))
}

/// `$expand`: names as written (which navigation properties exist is the caller's decision).
pub(super) fn expand(text: &str) -> Result<Vec<String>, ODataError> {
    Ok(parse_expand(text)?
        .into_iter()
        .map(|n| n.text.to_string())
        .collect())
}
