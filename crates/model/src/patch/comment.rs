//! [`parse_comment_body`]: the body of `POST .../alerts_v2/{id}/comments`.

use super::{is_annotation, PatchError};
use serde_json::{Map, Value};

/// The comment texts of a comment body. Accepted forms: the docs' single object
/// `{"@odata.type": "microsoft.graph.security.alertComment", "comment": "…"}`, the OpenAPI array
/// `[{…}, …]`, and `{"value": [{…}, …]}`. The server stamps `createdByDisplayName` and
/// `createdDateTime`, so those are ignored when sent; an empty or missing comment, another
/// `@odata.type` or any other property is an error.
pub fn parse_comment_body(v: &Value) -> Result<Vec<String>, PatchError> {
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        Value::Object(m) => match m.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
            Some((_, Value::Array(items))) => items.iter().collect(),
            Some(_) => {
                return Err(PatchError::at(
                    "value",
                    "Property 'value' must be an array of comments.",
                ))
            }
            None => vec![v],
        },
        _ => {
            return Err(PatchError::body(
                "The request body must be a comment object or an array of them.",
            ))
        }
    };
    if items.is_empty() {
        return Err(PatchError::body("The request body holds no comment."));
    }
    items.into_iter().map(comment).collect()
}

fn comment(v: &Value) -> Result<String, PatchError> {
    let m: &Map<String, Value> = v
        .as_object()
        .ok_or_else(|| PatchError::body("Each comment must be an object with a 'comment'."))?;
    let mut text = None;
    for (key, value) in m {
        if key == "@odata.type" {
            check_type(value)?;
        } else if is_annotation(key)
            || key.eq_ignore_ascii_case("createdByDisplayName")
            || key.eq_ignore_ascii_case("createdDateTime")
        {
            continue;
        } else if key.eq_ignore_ascii_case("comment") {
            text = value.as_str().map(str::trim).filter(|t| !t.is_empty());
            if text.is_none() {
                return Err(PatchError::at(
                    "comment",
                    "Property 'comment' must be a non-empty string.",
                ));
            }
        } else {
            return Err(PatchError::at(
                key,
                format!("Property '{key}' is not part of a comment; send only 'comment'."),
            ));
        }
    }
    let text = text.ok_or_else(|| PatchError::at("comment", "Property 'comment' is required."))?;
    Ok(text.to_string())
}

fn check_type(v: &Value) -> Result<(), PatchError> {
    let t = v.as_str().unwrap_or("").trim_start_matches('#');
    if t.eq_ignore_ascii_case("microsoft.graph.security.alertComment") {
        return Ok(());
    }
    Err(PatchError::at(
        "@odata.type",
        format!("'{t}' is not a comment type; use microsoft.graph.security.alertComment."),
    ))
}
