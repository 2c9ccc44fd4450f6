//! Reading one event into [`Fields`], guided by the path tree ([`super::paths`]).
//!
//! From bytes ([`from_slice`]) nothing is built for the parts of the event no path names: they
//! are skipped by `serde::de::IgnoredAny` as the parser passes them, and strings without escapes
//! are borrowed from the line. This is what keeps a large Suricata `stats` record or a Wazuh alert
//! with long compliance lists cheap. From a parsed `serde_json::Value` ([`from_value`]) the same
//! tree is walked over the value.

use super::error::ObservationError;
use super::fields::{Fields, Leaf};
use super::paths::{Node, ROOT};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// How deep [`from_value`] follows `_source` wrappers and nesting (parsing from bytes is bounded by
/// `serde_json`'s own recursion limit of 128).
const MAX_VALUE_DEPTH: usize = 64;

/// Reads one NDJSON line (a leading UTF-8 byte-order mark and surrounding whitespace allowed).
pub(crate) fn from_slice(line: &[u8]) -> Result<Fields<'_>, ObservationError> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(ObservationError::empty_line()),
        Some(b'{') => {}
        Some(first) => return Err(not_an_object(line, *first)),
    }
    let mut out = Fields::new();
    let mut de = serde_json::Deserializer::from_slice(line);
    let seed = NodeSeed {
        node: &ROOT,
        group: 0,
        in_array: false,
        out: &mut out,
    };
    seed.deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| ObservationError::invalid_json(&e))?;
    Ok(out)
}

/// The error for a line that does not start with `{`: invalid JSON, or JSON of another type.
fn not_an_object(line: &[u8], first: u8) -> ObservationError {
    if let Err(e) = serde_json::from_slice::<IgnoredAny>(line) {
        return ObservationError::invalid_json(&e);
    }
    ObservationError::not_an_object(
        "line",
        match first {
            b'[' => "an array",
            b'"' => "a string",
            b't' | b'f' => "a boolean",
            b'n' => "null",
            _ => "a number",
        },
    )
}

/// Reads one parsed event.
pub(crate) fn from_value(event: &Value) -> Result<Fields<'_>, ObservationError> {
    let what = match event {
        Value::Object(_) => None,
        Value::Array(_) => Some("an array"),
        Value::String(_) => Some("a string"),
        Value::Bool(_) => Some("a boolean"),
        Value::Null => Some("null"),
        Value::Number(_) => Some("a number"),
    };
    if let Some(what) = what {
        return Err(ObservationError::not_an_object("event", what));
    }
    let mut out = Fields::new();
    walk(&ROOT, event, 0, false, &mut out, 0);
    Ok(out)
}

/// Collects what `node` names in `v`.
fn walk<'a>(
    node: &'static Node,
    v: &'a Value,
    group: u32,
    in_array: bool,
    out: &mut Fields<'a>,
    depth: usize,
) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    let leaf = match v {
        Value::Null => return,
        Value::Bool(b) => Leaf::Bool(*b),
        Value::Number(n) => number_leaf(n),
        Value::String(s) => Leaf::Str(Cow::Borrowed(s)),
        Value::Array(items) => {
            for item in items {
                walk(node, item, group, true, out, depth + 1);
            }
            return;
        }
        Value::Object(map) => {
            if !node.is_leaf() {
                let group = if in_array { out.new_group() } else { group };
                for (k, x) in map {
                    if let Some(child) = node.child(k) {
                        walk(child, x, group, false, out, depth + 1);
                    }
                }
            }
            return;
        }
    };
    if let Some(field) = node.field {
        out.push(field, group, leaf);
    }
}

fn number_leaf(n: &serde_json::Number) -> Leaf<'static> {
    if let Some(i) = n.as_i64() {
        Leaf::Int(i)
    } else if let Some(u) = n.as_u64() {
        Leaf::UInt(u)
    } else {
        Leaf::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Deserialises the value at `node`, collecting into `out`.
struct NodeSeed<'s, 'de> {
    node: &'static Node,
    group: u32,
    in_array: bool,
    out: &'s mut Fields<'de>,
}

impl<'de> NodeSeed<'_, 'de> {
    fn push(self, leaf: Leaf<'de>) {
        if let Some(field) = self.node.field {
            self.out.push(field, self.group, leaf);
        }
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.push(Leaf::Str(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.push(Leaf::Str(Cow::Owned(v.to_string())));
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.push(Leaf::Str(Cow::Owned(v)));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.push(Leaf::Int(v));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        // As `from_value` does: one spelling for every integer that fits an i64.
        self.push(i64::try_from(v).map_or(Leaf::UInt(v), Leaf::Int));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.push(Leaf::Float(v));
        Ok(())
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.push(Leaf::Bool(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let item = NodeSeed {
                node: self.node,
                group: self.group,
                in_array: true,
                out: &mut *self.out,
            };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.node.is_leaf() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let group = if self.in_array {
            self.out.new_group()
        } else {
            self.group
        };
        while let Some(child) = map.next_key_seed(KeySeed(self.node))? {
            match child {
                Some(node) => map.next_value_seed(NodeSeed {
                    node,
                    group,
                    in_array: false,
                    out: &mut *self.out,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Resolves an object key to the child node it names (`None`: skip the value).
struct KeySeed(&'static Node);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<&'static Node>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<&'static Node>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.child(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::fields::Field;

    fn fields_both_ways(line: &str) -> Vec<(Field, u32, String)> {
        let from_bytes = from_slice(line.as_bytes()).unwrap();
        let value: Value = serde_json::from_str(line).unwrap();
        let from_value = from_value(&value).unwrap();
        let list = |f: &Fields<'_>| -> Vec<(Field, u32, String)> {
            f.entries
                .iter()
                .map(|e| (e.field, e.group, e.leaf.text().into_owned()))
                .collect()
        };
        assert_eq!(list(&from_bytes), list(&from_value), "{line}");
        list(&from_bytes)
    }

    #[test]
    fn bytes_and_value_collect_the_same_fields() {
        let got = fields_both_ways(
            r#"{"x":{"src_ip":"9.9.9.9"},"src_ip":"1.2.3.4","dest_port":53,"time":1.5,"dns":{"answers":[{"rrtype":"A","rdata":"5.6.7.8"},{"rrtype":"CNAME","rdata":"a\u002eexample"}]},"source.port":"80","stats":{"deep":[[[{"a":1}]]]}}"#,
        );
        let want = [
            (Field::SourceIp, 0, "1.2.3.4"),
            (Field::DestinationPort, 0, "53"),
            (Field::Time, 0, "1.5"),
            (Field::DnsAnswerType, 1, "A"),
            (Field::DnsAnswerData, 1, "5.6.7.8"),
            (Field::DnsAnswerType, 2, "CNAME"),
            (Field::DnsAnswerData, 2, "a.example"),
            (Field::SourcePort, 0, "80"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(f, g, s)| (*f, *g, s.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn escaped_strings_are_copied_and_plain_ones_borrowed() {
        let f = from_slice(br#"{"src_ip":"1.2.3.4","dest_ip":"5.6.7.\u0038"}"#).unwrap();
        assert!(matches!(f.entries[0].leaf, Leaf::Str(Cow::Borrowed(_))));
        assert!(matches!(&f.entries[1].leaf, Leaf::Str(Cow::Owned(s)) if s == "5.6.7.8"));
    }

    #[test]
    fn lines_that_are_not_objects_say_what_they_are() {
        for (line, says) in [
            ("[1,2]", "it is an array"),
            ("  \"x\"", "it is a string"),
            ("42", "it is a number"),
            ("null", "it is null"),
            ("{\"a\":", "not valid JSON"),
            ("{\"a\":1} x", "not valid JSON"),
            ("[1,", "not valid JSON"),
            (" \r\n", "line is empty"),
        ] {
            let e = from_slice(line.as_bytes()).unwrap_err();
            assert!(e.message.contains(says), "{line:?}: {}", e.message);
        }
        assert!(from_slice(b"\xEF\xBB\xBF{\"src_ip\":\"1.2.3.4\"}\r\n").is_ok());
        let e = from_value(&serde_json::json!([1])).unwrap_err();
        assert!(e
            .message
            .starts_with("event is not a JSON object (it is an array)"));
    }
}
