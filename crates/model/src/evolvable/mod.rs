//! Evolvable enum members on output (spec §2.5): members declared after `unknownFutureValue` are
//! shown only to callers that send `Prefer: include-unknown-enum-members`; everyone else sees
//! `unknownFutureValue`.
//!
//! The walk is driven by the property tables in [`crate::schema`], so it covers every enum of the
//! alert and of its evidence at any depth (`serviceSource`, `detectionSource`,
//! `investigationState`, `evidence[*].remediationStatus`, nested evidence, ...), resolving
//! polymorphic values by their `@odata.type`. An evidence enum value that is not a member at all
//! (kept raw by [`OpenEnum`](crate::open_enum::OpenEnum)) is treated as a newer member and hidden too.

mod spans;

pub use spans::evolvable_spans;

use crate::schema::ALERT;
use crate::StoredAlert;
use odata::schema::{EnumType, PropType, Property};
use serde_json::{Map, Value};

/// Replaces every evolvable member in a serialised alerts_v2 alert with `unknownFutureValue`.
pub fn hide_evolvable_members(alert_json: &mut Value) {
    if let Value::Object(m) = alert_json {
        visit_object(m, ALERT.properties, &mut |ty, v| {
            if v.as_str().is_some_and(|s| is_hidden(ty, s)) {
                *v = Value::String("unknownFutureValue".to_string());
            }
        });
    }
}

impl StoredAlert {
    /// True when the alert holds a member that [`hide_evolvable_members`] would hide.
    pub fn has_evolvable_members(&self) -> bool {
        serde_json::to_string(&self.alert).is_ok_and(|doc| has_evolvable_text(&doc))
    }
}

/// True when the serialised alert `alert_json` holds a member to hide ([`evolvable_spans`]); text
/// the pass cannot follow counts as holding one, so that it is rewritten rather than shown as is.
pub fn has_evolvable_text(alert_json: &str) -> bool {
    evolvable_spans(alert_json).is_none_or(|spans| !spans.is_empty())
}

/// True when `member` of `ty` must be shown as `unknownFutureValue`.
fn is_hidden(ty: &EnumType, member: &str) -> bool {
    match (
        ty.sentinel_index(),
        ty.members.iter().position(|m| *m == member),
    ) {
        (Some(sentinel), Some(i)) => i > sentinel,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

type EnumVisitor<'a> = dyn FnMut(&EnumType, &mut Value) + 'a;

/// Calls `f` on every enum value below `value`, whose declared type is `ty`.
fn visit(value: &mut Value, ty: &PropType, f: &mut EnumVisitor<'_>) {
    match (ty, value) {
        (PropType::Enum(e), v @ Value::String(_)) => f(e, v),
        (PropType::Collection(inner), Value::Array(items)) => {
            items.iter_mut().for_each(|item| visit(item, inner, f))
        }
        (PropType::Complex(ct), Value::Object(m)) => {
            let runtime = m
                .get("@odata.type")
                .and_then(Value::as_str)
                .filter(|_| !ct.derived.is_empty())
                .and_then(|t| ct.derived_type(t.trim_start_matches('#')));
            let props = runtime.unwrap_or(ct).properties;
            visit_object(m, props, f)
        }
        _ => {}
    }
}

fn visit_object(m: &mut Map<String, Value>, props: &[Property], f: &mut EnumVisitor<'_>) {
    for (key, value) in m.iter_mut() {
        if let Some(p) = props.iter().find(|p| p.name == key) {
            visit(value, &p.ty, f);
        }
    }
}
