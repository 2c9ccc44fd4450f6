//! In-memory evaluation of a bound `$filter` against one entity's Graph JSON — for deciding whether a
//! changed entity matches a subscription's filter without asking the database.
//!
//! The contract is the store's SQL rendering of the same filter: for every document the store holds,
//! [`matches`] holds exactly when the rendered predicate selects the row (an agreement test in
//! `crates/store/tests/eval_agreement.rs` runs both on the same alerts). The semantics are OData's:
//!
//! - Null: `eq null`/`ne null` test presence; `x ne 'v'` holds when `x` is null; any other comparison
//!   with a null operand is false, and so is a condition on it; `not` of such a condition is true.
//!   Two property paths compared with `eq` are equal when both are null.
//! - Strings (and GUIDs, and dictionary values) compare case-insensitively with `eq`, `ne`, `in`,
//!   `contains`, `startswith` and `endswith` (ASCII case folding); the entity's `id` compares
//!   exactly; ordering operators compare bytewise. `tolower`/`toupper` fold ASCII letters, `trim`
//!   removes spaces, `length` counts characters.
//! - Enum members compare exactly by their wire names; `gt`, `ge`, `lt`, `le` compare declaration
//!   order; `has` finds a member in a comma-separated flags value.
//! - Date-times compare as instants (at Graph's 100 ns precision); `year()`..`second()` are UTC.
//!   A value of a date-time property that is not a date-time compares as text with the literal's
//!   stored spelling, as the database compares it.
//! - Numbers compare as numbers, integers exactly.
//! - A value read where the schema does not promise its JSON type — below a dictionary, inside a
//!   collection element — is null when its JSON type is not the expected one; a collection that is
//!   not a JSON array has no elements; `all` fails on an element whose condition is null.

mod call;
mod scalar;

use crate::bound::{BoundExpr, BoundValue, CompareOp, Function, Literal, ValuePath};
use crate::schema::PropType;
use scalar::{equal, literal, literal_kind, order, read, temporal, Kind, Scalar};
use serde_json::Value;

/// True when `entity` (its Graph JSON as the GET route returns it, every property) satisfies
/// `filter`.
pub fn matches(filter: &BoundExpr, entity: &Value) -> bool {
    Eval {
        root: entity,
        vars: Vec::new(),
    }
    .holds(filter)
}

/// An evaluated operand: its value (`None` is null) and whether text comparisons with it ignore case.
struct Operand<'a> {
    value: Option<Scalar<'a>>,
    ci: bool,
}

/// Evaluation state: the entity and the elements the enclosing lambda variables stand for.
struct Eval<'a> {
    root: &'a Value,
    /// `vars[n - 1]` is the element of the `n`-th enclosing lambda (scope `n`).
    vars: Vec<&'a Value>,
}

impl<'a> Eval<'a> {
    fn holds(&mut self, e: &'a BoundExpr) -> bool {
        match e {
            BoundExpr::And(a, b) => self.holds(a) && self.holds(b),
            BoundExpr::Or(a, b) => self.holds(a) || self.holds(b),
            BoundExpr::Not(a) => !self.holds(a),
            BoundExpr::Compare { op, left, right } => self.compare(*op, left, right),
            BoundExpr::In { value, list } => self.in_list(value, list),
            BoundExpr::Has { value, flag } => match self.value(value, None).value {
                Some(Scalar::Text(v)) => {
                    format!(",{},", v.replace(' ', "")).contains(&format!(",{flag},"))
                }
                _ => false,
            },
            BoundExpr::Any {
                collection,
                predicate,
            } => {
                let elements = self.elements(collection);
                match predicate {
                    None => !elements.is_empty(),
                    Some(p) => elements.iter().any(|el| self.within(el, p)),
                }
            }
            BoundExpr::All {
                collection,
                predicate,
            } => {
                let elements = self.elements(collection);
                elements.iter().all(|el| self.within(el, predicate))
            }
            BoundExpr::Value(v) => match v {
                BoundValue::Literal(Literal::Boolean(b)) => *b,
                _ => matches!(self.value(v, None).value, Some(Scalar::Bool(true))),
            },
        }
    }

    /// `p` with `element` as the innermost lambda variable.
    fn within(&mut self, element: &'a Value, p: &'a BoundExpr) -> bool {
        self.vars.push(element);
        let result = self.holds(p);
        self.vars.pop();
        result
    }

    /// The elements of a collection; none when it is absent or not a JSON array.
    fn elements(&self, collection: &ValuePath) -> Vec<&'a Value> {
        match self.node(collection) {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The JSON node at `path`, if present.
    fn node(&self, path: &ValuePath) -> Option<&'a Value> {
        let start = match path.scope {
            0 => self.root,
            n => *self.vars.get(n - 1)?,
        };
        let keys = path.path.segments.iter().copied();
        let open = path.path.open_segments.iter().map(String::as_str);
        keys.chain(open)
            .try_fold(start, |node, key| node.as_object()?.get(key))
    }

    /// Evaluates a value; a dictionary value is read as `hint` (the type of what it is compared with).
    fn value(&self, v: &'a BoundValue, hint: Option<Kind>) -> Operand<'a> {
        match v {
            BoundValue::Path(path) => self.path_value(path, hint),
            BoundValue::Literal(l) => Operand {
                value: literal(l),
                ci: matches!(l, Literal::String(_) | Literal::Guid(_)),
            },
            BoundValue::Call { func, args } => {
                let args = args.iter().map(|a| self.value(a, None).value).collect();
                Operand {
                    value: call::apply(*func, args),
                    ci: matches!(func, Function::ToLower | Function::ToUpper | Function::Trim),
                }
            }
        }
    }

    fn path_value(&self, path: &'a ValuePath, hint: Option<Kind>) -> Operand<'a> {
        let ty = path.path.ty;
        let kind = match (ty, hint) {
            (PropType::Dictionary, Some(hint)) => hint,
            (PropType::Boolean, _) => Kind::Boolean,
            (PropType::Int32 | PropType::Int64, _) => Kind::Integer,
            (PropType::Double, _) => Kind::Real,
            _ => Kind::Text,
        };
        // The model writes every typed property of a document with its type; dictionary values and
        // collection elements may hold anything.
        let strict = path.scope > 0 || !path.path.open_segments.is_empty();
        let mut value = read(self.node(path), kind, strict);
        if matches!(ty, PropType::DateTimeOffset) {
            value = value.map(temporal);
        }
        let is_id = path.scope == 0 && path.path.segments == ["id"] && !strict;
        let is_string = matches!(ty, PropType::String | PropType::Guid | PropType::Dictionary);
        Operand {
            value,
            ci: is_string && !is_id,
        }
    }

    fn compare(&mut self, op: CompareOp, left: &'a BoundValue, right: &'a BoundValue) -> bool {
        let (op, left, right) = match (left, right) {
            (BoundValue::Literal(_), r) if !matches!(r, BoundValue::Literal(_)) => {
                (op.mirror(), right, left)
            }
            _ => (op, left, right),
        };
        match right {
            BoundValue::Literal(Literal::Null) => {
                let present = self.value(left, None).value.is_some();
                match op {
                    CompareOp::Eq => !present,
                    CompareOp::Ne => present,
                    _ => false,
                }
            }
            BoundValue::Literal(Literal::Enum(member)) if op.is_ordering() => {
                self.enum_order(op, left, member)
            }
            BoundValue::Literal(lit) => {
                let l = self.value(left, literal_kind(lit));
                let ci = l.ci && matches!(lit, Literal::String(_) | Literal::Guid(_));
                match (l.value, literal(lit)) {
                    (None, _) => op == CompareOp::Ne,
                    (Some(a), Some(b)) => holds(op, &a, &b, ci),
                    (Some(_), None) => op == CompareOp::Ne,
                }
            }
            _ => {
                let (l, r) = (self.value(left, None), self.value(right, None));
                let ci = l.ci && r.ci;
                match (l.value, r.value, op) {
                    (None, None, CompareOp::Eq) => true,
                    (None, None, _) => false,
                    (None, Some(_), o) | (Some(_), None, o) => o == CompareOp::Ne,
                    (Some(a), Some(b), o) => holds(o, &a, &b, ci),
                }
            }
        }
    }

    /// `path op 'member'` with an ordering operator: by the members' declaration order.
    fn enum_order(&self, op: CompareOp, left: &'a BoundValue, member: &str) -> bool {
        let BoundValue::Path(path) = left else {
            return false;
        };
        let PropType::Enum(e) = path.path.ty else {
            return false;
        };
        let rank = |m: &str| e.members.iter().position(|x| *x == m);
        let (Some(Scalar::Text(v)), Some(pos)) = (self.value(left, None).value, rank(member))
        else {
            return false;
        };
        rank(&v).is_some_and(|i| op.accepts(i.cmp(&pos)))
    }

    fn in_list(&self, value: &'a BoundValue, list: &'a [Literal]) -> bool {
        let v = self.value(value, list.iter().find_map(literal_kind));
        let ci = v.ci
            && list
                .iter()
                .any(|l| matches!(l, Literal::String(_) | Literal::Guid(_)));
        match v.value {
            None => list.iter().any(|l| matches!(l, Literal::Null)),
            Some(x) => list
                .iter()
                .filter_map(literal)
                .any(|item| equal(&x, &item, ci)),
        }
    }
}

/// `a op b` for two present values.
fn holds(op: CompareOp, a: &Scalar<'_>, b: &Scalar<'_>, ci: bool) -> bool {
    match op {
        CompareOp::Eq => equal(a, b, ci),
        CompareOp::Ne => !equal(a, b, ci),
        _ => order(a, b).is_some_and(|o| op.accepts(o)),
    }
}

#[cfg(test)]
mod tests;
