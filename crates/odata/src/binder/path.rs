//! Path resolution: from the entity root or a lambda variable, through complex types (narrowed by
//! type-cast segments) and into open dictionaries, to a canonical [`ValuePath`].

use super::{Binder, Shape};
use crate::ast::{Name, Path};
use crate::bound::{PropertyPath, ValuePath};
use crate::error::{ErrorKind, ODataError};
use crate::schema::{ComplexType, EntitySchema, PropType, Property};
use crate::suggestion::closest;

/// What a path is resolved for; decides which property flags are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// `$filter`: every property on the path must be filterable.
    Filter,
    /// `$orderby`: the caller checks that the last property is sortable.
    OrderBy,
}

/// A resolved path.
pub(super) struct Resolved {
    pub value: ValuePath,
    pub shape: Shape,
    /// The last schema property on the path (`None` for a bare lambda variable or an open key).
    pub last: Option<&'static Property>,
}

/// Where a walk along a path stands.
#[derive(Clone, Copy)]
enum At {
    Entity(&'static EntitySchema),
    Value(Shape),
    /// Below a dictionary: every further segment is a JSON key.
    Open,
}

impl<'a> Binder<'a, '_> {
    /// The lambda variable `name` (innermost first): its scope number and element.
    fn variable(&self, name: &str) -> Option<(usize, Shape)> {
        self.scopes
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.name == name)
            .map(|(i, s)| (i + 1, s.element))
    }

    /// Resolves `path`; its first segment names a lambda variable when one of that name is in scope.
    pub(super) fn resolve(
        &self,
        path: &Path<'a>,
        purpose: Purpose,
    ) -> Result<Resolved, ODataError> {
        let (scope, mut at, rest) = match path.segments.first().and_then(|f| self.variable(f.text))
        {
            Some((scope, shape)) => (
                scope,
                At::Value(shape),
                path.segments.get(1..).unwrap_or(&[]),
            ),
            None => (0, At::Entity(self.schema), path.segments.as_slice()),
        };
        let mut out = PropertyPath::new(Vec::with_capacity(rest.len()), PropType::String);
        let mut last = None;
        let mut prev: Option<&Name<'a>> = if scope > 0 {
            path.segments.first()
        } else {
            None
        };
        for seg in rest {
            at = self.step(at, seg, prev, &mut out, purpose, &mut last)?;
            prev = Some(seg);
        }
        let shape = match at {
            At::Value(shape) => shape,
            At::Open => Shape {
                ty: PropType::Dictionary,
                narrowed: None,
            },
            At::Entity(e) => {
                let msg = format!(
                    "'{path}' names the entity {} itself, not one of its properties",
                    e.name
                );
                return Err(self.error(ErrorKind::InvalidUse, path.span, msg));
            }
        };
        out.ty = shape.ty;
        Ok(Resolved {
            value: ValuePath { scope, path: out },
            shape,
            last,
        })
    }

    /// One segment of a walk.
    fn step(
        &self,
        at: At,
        seg: &Name<'a>,
        prev: Option<&Name<'a>>,
        out: &mut PropertyPath,
        purpose: Purpose,
        last: &mut Option<&'static Property>,
    ) -> Result<At, ODataError> {
        let shape = match at {
            At::Open => return Ok(self.open_key(seg, out)),
            _ if seg.is_qualified() => return self.cast(at, seg),
            At::Entity(e) => {
                let prop = e
                    .property(seg.text)
                    .ok_or_else(|| self.unknown_on_entity(seg, e))?;
                return self.enter_property(prop, seg, out, purpose, last);
            }
            At::Value(shape) => shape,
        };
        let prev_text = prev.map_or("", |p| p.text);
        match shape.ty {
            PropType::Complex(declared) => {
                let c = shape.narrowed.unwrap_or(declared);
                let prop = c
                    .property(seg.text)
                    .ok_or_else(|| self.unknown_on_complex(seg, c))?;
                self.enter_property(prop, seg, out, purpose, last)
            }
            PropType::Dictionary => Ok(self.open_key(seg, out)),
            PropType::Collection(_) => {
                let msg = format!(
                    "'{prev_text}' is a collection; reach its elements with a lambda, e.g. \
                     {prev_text}/any(x: x/{} eq ...)",
                    seg.text
                );
                Err(self.error(ErrorKind::InvalidUse, seg.span, msg))
            }
            other => {
                let msg = format!(
                    "'{prev_text}' is {} and has no property '{}'",
                    other.type_name(),
                    seg.text
                );
                Err(self.error(ErrorKind::InvalidUse, seg.span, msg))
            }
        }
    }

    fn open_key(&self, seg: &Name<'a>, out: &mut PropertyPath) -> At {
        out.open_segments.push(seg.text.to_string());
        At::Open
    }

    fn enter_property(
        &self,
        prop: &'static Property,
        seg: &Name<'a>,
        out: &mut PropertyPath,
        purpose: Purpose,
        last: &mut Option<&'static Property>,
    ) -> Result<At, ODataError> {
        if purpose == Purpose::Filter && !prop.filterable {
            let msg = format!("the property '{}' cannot be used in $filter", prop.name);
            return Err(self.error(ErrorKind::InvalidUse, seg.span, msg));
        }
        out.segments.push(prop.name);
        *last = Some(prop);
        Ok(At::Value(Shape {
            ty: prop.ty,
            narrowed: None,
        }))
    }

    /// A type-cast segment: narrows a single complex value to one of its derived types.
    fn cast(&self, at: At, seg: &Name<'a>) -> Result<At, ODataError> {
        let (shape, base) = match at {
            At::Entity(e) if e.name.eq_ignore_ascii_case(seg.text) => return Ok(at),
            At::Value(shape) => match shape.ty {
                PropType::Complex(c) => (shape, shape.narrowed.unwrap_or(c)),
                PropType::Collection(_) => {
                    let msg = format!(
                        "type casts on a collection are not supported; cast the lambda variable \
                         instead, e.g. evidence/any(e: e/{}/hostName eq 'x')",
                        seg.text
                    );
                    return Err(self.error(ErrorKind::NotSupported, seg.span, msg));
                }
                other => return Err(self.bad_cast(seg, &other.type_name())),
            },
            At::Entity(e) => return Err(self.bad_cast(seg, e.name)),
            At::Open => return Ok(at),
        };
        if base.name.eq_ignore_ascii_case(seg.text) {
            return Ok(at);
        }
        match base.derived_type(seg.text) {
            Some(d) => Ok(At::Value(Shape {
                ty: shape.ty,
                narrowed: Some(d),
            })),
            None => {
                let mut names = Vec::new();
                derived_names(base, &mut names);
                let mut msg = format!("'{}' is not a type derived from {}", seg.text, base.name);
                if let Some(s) = closest(seg.text, names.iter().copied()) {
                    msg.push_str(&format!("; did you mean '{s}'?"));
                }
                Err(self.error(ErrorKind::UnknownProperty, seg.span, msg))
            }
        }
    }

    fn bad_cast(&self, seg: &Name<'a>, what: &str) -> ODataError {
        let msg = format!(
            "the type cast '{}' applies to complex values only, not to {what}",
            seg.text
        );
        self.error(ErrorKind::InvalidUse, seg.span, msg)
    }

    fn unknown_on_entity(&self, seg: &Name<'a>, e: &'static EntitySchema) -> ODataError {
        let mut msg = format!("'{}' is not a property of {}", seg.text, e.name);
        if !self.scopes.is_empty() {
            let vars: Vec<&str> = self.scopes.iter().map(|s| s.name).collect();
            msg = format!(
                "{msg}, nor a lambda variable in scope ({})",
                vars.join(", ")
            );
        }
        let suggestion = closest(seg.text, e.properties.iter().map(|p| p.name))
            .or_else(|| closest(seg.text, self.scopes.iter().map(|s| s.name)));
        if let Some(s) = suggestion {
            msg.push_str(&format!("; did you mean '{s}'?"));
        }
        self.error(ErrorKind::UnknownProperty, seg.span, msg)
    }

    fn unknown_on_complex(&self, seg: &Name<'a>, c: &'static ComplexType) -> ODataError {
        let mut names = Vec::new();
        property_names(c, &mut names);
        let derived = if c.derived.is_empty() {
            ""
        } else {
            " or of its derived types"
        };
        let mut msg = format!("'{}' is not a property of {}{derived}", seg.text, c.name);
        if let Some(s) = closest(seg.text, names.iter().copied()) {
            msg.push_str(&format!("; did you mean '{s}'?"));
        }
        self.error(ErrorKind::UnknownProperty, seg.span, msg)
    }
}

/// The property names of `c` and of its derived types.
fn property_names(c: &'static ComplexType, out: &mut Vec<&'static str>) {
    out.extend(c.properties.iter().map(|p| p.name));
    for d in c.derived {
        property_names(d, out);
    }
}

/// The qualified names of the types derived from `c`.
fn derived_names(c: &'static ComplexType, out: &mut Vec<&'static str>) {
    for d in c.derived {
        out.push(d.name);
        derived_names(d, out);
    }
}
