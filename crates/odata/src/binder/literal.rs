//! Literal conversion: a literal as written becomes a [`Literal`] of the type it is compared with
//! (enum members canonicalised, date strings parsed, numbers widened), or an error saying what to
//! write instead.

use super::Binder;
use crate::ast::{self, Span};
use crate::bound::{CompareOp, Literal};
use crate::datetime::{parse_date, parse_date_time};
use crate::error::{ErrorKind, ODataError};
use crate::schema::{EnumType, PropType};
use std::cmp::Ordering;
use time::{OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

/// Midnight UTC of `date`.
fn midnight(date: time::Date) -> OffsetDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
}

/// True when `written` names the qualified type `qualified`: in full, or by a suffix that starts after
/// a `.` (`security.alertSeverity` for `microsoft.graph.security.alertSeverity`), case-insensitively.
fn names_type(qualified: &str, written: &str) -> bool {
    let (q, w) = (qualified.as_bytes(), written.as_bytes());
    match q.len().checked_sub(w.len()) {
        Some(0) => q.eq_ignore_ascii_case(w),
        Some(cut) => q[cut - 1] == b'.' && q[cut..].eq_ignore_ascii_case(w),
        None => false,
    }
}

/// A literal in its own type, for comparisons with open (dictionary) values and with other literals.
pub(super) fn natural(lit: &ast::Literal<'_>) -> Literal {
    match lit {
        ast::Literal::Null => Literal::Null,
        ast::Literal::Boolean(b) => Literal::Boolean(*b),
        ast::Literal::Int(i) => Literal::Int(*i),
        ast::Literal::Double(d) => Literal::Double(*d),
        ast::Literal::String(s) => Literal::String(s.to_string()),
        ast::Literal::DateTime(dt) => Literal::DateTime(*dt),
        ast::Literal::Date(d) => Literal::DateTime(midnight(*d)),
        ast::Literal::Guid { value, .. } => Literal::Guid(*value),
        ast::Literal::Enum { member, .. } => Literal::String(member.to_string()),
    }
}

/// Evaluates `a op b` for two literals in their own types; `None` when they cannot be compared.
/// `null` equals only `null`; ordering operators never reach here with `null` or Booleans.
pub(super) fn fold(op: CompareOp, a: &Literal, b: &Literal) -> Option<bool> {
    let ordering = match (a, b) {
        (Literal::Null, Literal::Null) => Ordering::Equal,
        // Exactly one side is null: only eq/ne get here.
        (Literal::Null, _) | (_, Literal::Null) => return Some(op == CompareOp::Ne),
        (Literal::Int(x), Literal::Int(y)) => x.cmp(y),
        (Literal::Int(x), Literal::Double(y)) => (*x as f64).partial_cmp(y)?,
        (Literal::Double(x), Literal::Int(y)) => x.partial_cmp(&(*y as f64))?,
        (Literal::Double(x), Literal::Double(y)) => x.partial_cmp(y)?,
        (Literal::String(x), Literal::String(y)) => x.cmp(y),
        (Literal::Boolean(x), Literal::Boolean(y)) => x.cmp(y),
        (Literal::DateTime(x), Literal::DateTime(y)) => x.cmp(y),
        (Literal::Guid(x), Literal::Guid(y)) => x.cmp(y),
        _ => return None,
    };
    Some(op.accepts(ordering))
}

/// What kind of literal this is, for messages.
pub(super) fn describe(lit: &ast::Literal<'_>) -> &'static str {
    match lit {
        ast::Literal::Null => "null",
        ast::Literal::Boolean(_) => "a Boolean",
        ast::Literal::Int(_) | ast::Literal::Double(_) => "a number",
        ast::Literal::String(_) => "a string",
        ast::Literal::DateTime(_) => "a date-time",
        ast::Literal::Date(_) => "a date",
        ast::Literal::Guid { .. } => "a GUID",
        ast::Literal::Enum { .. } => "an enum member",
    }
}

impl Binder<'_, '_> {
    /// Converts `lit` (at `span`) for comparison with `what`, a value of type `ty`.
    pub(super) fn convert(
        &self,
        lit: &ast::Literal<'_>,
        span: Span,
        ty: PropType,
        what: &str,
    ) -> Result<Literal, ODataError> {
        use ast::Literal as L;
        let converted = match (ty, lit) {
            (_, L::Null) => Some(Literal::Null),
            (PropType::Dictionary, L::Guid { text, .. }) => Some(Literal::String(text.to_string())),
            (PropType::Dictionary, _) => Some(natural(lit)),
            (PropType::String, L::String(s)) => Some(Literal::String(s.to_string())),
            (PropType::String, L::Guid { text, .. }) => Some(Literal::String(text.to_string())),
            (PropType::Boolean, L::Boolean(b)) => Some(Literal::Boolean(*b)),
            (PropType::Int32 | PropType::Int64, L::Int(i)) => Some(Literal::Int(*i)),
            (PropType::Int32 | PropType::Int64 | PropType::Double, L::Double(d)) => {
                Some(Literal::Double(*d))
            }
            (PropType::Double, L::Int(i)) => Some(Literal::Double(*i as f64)),
            (PropType::DateTimeOffset, L::DateTime(dt)) => Some(Literal::DateTime(*dt)),
            (PropType::DateTimeOffset, L::Date(d)) => Some(Literal::DateTime(midnight(*d))),
            (PropType::DateTimeOffset, L::String(s)) => return self.date_time_string(s, span),
            (PropType::Guid, L::Guid { value, .. }) => Some(Literal::Guid(*value)),
            (PropType::Guid, L::String(s)) => return self.guid_string(s, span),
            (PropType::Enum(e), L::String(_) | L::Enum { .. }) => {
                return self.enum_member(lit, span, e, what).map(Literal::Enum)
            }
            _ => None,
        };
        converted.ok_or_else(|| self.mismatch(lit, span, ty, what))
    }

    fn mismatch(&self, lit: &ast::Literal<'_>, span: Span, ty: PropType, what: &str) -> ODataError {
        let hint = match ty {
            PropType::String => format!("; write text in quotes, e.g. {what} eq 'text'"),
            PropType::Boolean => "; use true or false".into(),
            PropType::Int32 | PropType::Int64 | PropType::Double => {
                "; write a number without quotes".into()
            }
            PropType::DateTimeOffset => "; write a date-time such as 2024-01-01T00:00:00Z".into(),
            PropType::Guid => "; write a GUID such as 01234567-89ab-cdef-0123-456789abcdef".into(),
            PropType::Enum(e) => {
                format!(
                    "; write a member in quotes, e.g. {what} eq '{}'",
                    e.members.first().unwrap_or(&"")
                )
            }
            PropType::Complex(_) | PropType::Collection(_) | PropType::Dictionary => String::new(),
        };
        let msg = format!(
            "cannot compare '{what}' ({}) with {}{hint}",
            ty.type_name(),
            describe(lit)
        );
        self.error(ErrorKind::TypeMismatch, span, msg)
    }

    /// A quoted date-time (or date) compared with a DateTimeOffset value.
    fn date_time_string(&self, s: &str, span: Span) -> Result<Literal, ODataError> {
        let parsed = if s.len() == 10 {
            parse_date(s).map(midnight)
        } else {
            parse_date_time(s)
        };
        parsed.map(Literal::DateTime).map_err(|e| {
            let msg = format!(
                "'{s}' is not a date-time ({}); write e.g. 2024-01-01T00:00:00Z",
                e.message
            );
            ODataError::new(self.option, ErrorKind::InvalidValue, msg).at(span.start + 1 + e.offset)
        })
    }

    /// A quoted GUID compared with a Guid value.
    fn guid_string(&self, s: &str, span: Span) -> Result<Literal, ODataError> {
        Uuid::try_parse(s).map(Literal::Guid).map_err(|_| {
            let msg =
                format!("'{s}' is not a GUID; write e.g. 01234567-89ab-cdef-0123-456789abcdef");
            self.error(ErrorKind::InvalidValue, span, msg)
        })
    }

    /// The canonical member of `e` that a string or qualified enum literal names.
    pub(super) fn enum_member(
        &self,
        lit: &ast::Literal<'_>,
        span: Span,
        e: &'static EnumType,
        what: &str,
    ) -> Result<&'static str, ODataError> {
        let text = match lit {
            ast::Literal::String(s) => s.as_ref(),
            ast::Literal::Enum { type_name, member } => {
                if !names_type(e.name, type_name) {
                    let msg = format!("'{what}' is of the enum type {}, not {type_name}", e.name);
                    return Err(self.error(ErrorKind::TypeMismatch, span, msg));
                }
                member.as_ref()
            }
            other => return Err(self.mismatch(other, span, PropType::Enum(e), what)),
        };
        if e.is_flags && text.contains(',') {
            let msg =
                format!("compare '{what}' with one member at a time, or test members with 'has'");
            return Err(self.error(ErrorKind::InvalidValue, span, msg));
        }
        let member = e.member(text).ok_or_else(|| {
            let msg = format!(
                "'{text}' is not a member of {}; use one of: {}",
                e.name,
                self.visible(e)
            );
            self.error(ErrorKind::InvalidValue, span, msg)
        })?;
        if !self.opts.include_unknown_enum_members && e.is_evolvable_member(member) {
            let msg = format!(
                "'{member}' is a member of {} that is hidden from callers that do not send the \
                 header 'Prefer: include-unknown-enum-members'; send it to filter on this member",
                e.name
            );
            return Err(self.error(ErrorKind::InvalidValue, span, msg));
        }
        Ok(member)
    }

    /// The members of `e` this caller may use, comma-separated.
    fn visible(&self, e: &EnumType) -> String {
        let end = match e.sentinel_index() {
            Some(s) if !self.opts.include_unknown_enum_members => s + 1,
            _ => e.members.len(),
        };
        e.members[..end].join(", ")
    }
}
