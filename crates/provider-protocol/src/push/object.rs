//! The alerts_v2 object of a pushed alert, kept as the JSON text the provider sent until secgraph
//! reads it — once, straight into the typed [`Alert`], with no `serde_json::Value` tree in
//! between (building that tree and then reading the alert out of it cost about as much again as
//! the typed read itself on the push path).

use model::{Alert, VendorInformation};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// A `microsoft.graph.security.alert` object as a provider sends it (always a JSON object).
#[derive(Debug, Clone)]
pub struct AlertObject(Box<RawValue>);

impl AlertObject {
    /// The object's JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The object as a map (for a provider building or revising one).
    pub fn to_map(&self) -> Map<String, Value> {
        // The text was checked to be an object when it was made.
        serde_json::from_str(self.as_str()).unwrap_or_default()
    }
}

impl From<Map<String, Value>> for AlertObject {
    fn from(map: Map<String, Value>) -> AlertObject {
        AlertObject::from(&map)
    }
}

impl From<&Map<String, Value>> for AlertObject {
    fn from(map: &Map<String, Value>) -> AlertObject {
        // A map of JSON values always serialises.
        let text = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_owned());
        AlertObject(RawValue::from_string(text).unwrap_or_else(|_| empty()))
    }
}

impl TryFrom<Value> for AlertObject {
    type Error = String;

    fn try_from(value: Value) -> Result<AlertObject, String> {
        match value {
            Value::Object(map) => Ok(AlertObject::from(map)),
            other => Err(format!("an alert must be a JSON object, not {other}")),
        }
    }
}

fn empty() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).unwrap_or_default()
}

impl PartialEq for AlertObject {
    /// Equal objects: the same members with equal values (member order and spacing aside).
    fn eq(&self, other: &AlertObject) -> bool {
        self.as_str() == other.as_str() || self.to_map() == other.to_map()
    }
}

impl Serialize for AlertObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AlertObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AlertObject, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if !raw.get().trim_start().starts_with('{') {
            return Err(de::Error::custom(format_args!(
                "`alert` must be a JSON object (an alerts_v2 alert), not {}",
                preview(raw.get())
            )));
        }
        Ok(AlertObject(raw))
    }
}

/// The start of `text`, for an error message.
fn preview(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// What secgraph sets on a pushed alert whatever the object says, and the defaults it applies
/// (see the module docs of [`crate::push`]).
pub(crate) struct Fixed<'a> {
    pub(crate) id: &'a str,
    pub(crate) provider_alert_id: &'a str,
    pub(crate) tenant_id: &'a str,
    /// `productName` when the object has none.
    pub(crate) product_name: &'a str,
}

/// Members secgraph sets itself: whatever the object says of them is dropped.
const OWNED: [&str; 4] = ["id", "providerAlertId", "tenantId", "vendorInformation"];

impl AlertObject {
    /// The typed alert with `fixed` applied, and the `vendorInformation` the object carried (if it
    /// reads as one; a malformed one is ignored, as secgraph sets provider and vendor itself).
    pub(crate) fn read(
        &self,
        fixed: &Fixed<'_>,
    ) -> Result<(Alert, Option<VendorInformation>), serde_json::Error> {
        let Members(mut members) = serde_json::from_str(self.as_str())?;
        dedup_keep_last(&mut members);
        let mut vendor = None;
        members.retain(|(key, value)| {
            if key == "vendorInformation" {
                vendor = serde_json::from_str::<VendorInformation>(value.get()).ok();
            }
            !OWNED.contains(&key.as_ref())
        });
        let given = |members: &[(Cow<'_, str>, &RawValue)], key: &str| {
            members
                .iter()
                .any(|(k, v)| k == key && v.get().trim() != "null")
        };
        let mut set: Vec<(&'static str, Box<RawValue>)> = vec![
            ("id", raw_string(fixed.id)?),
            ("providerAlertId", raw_string(fixed.provider_alert_id)?),
            ("tenantId", raw_string(fixed.tenant_id)?),
        ];
        if !given(&members, "productName") {
            set.push(("productName", raw_string(fixed.product_name)?));
        }
        for (key, member) in [("status", "new"), ("severity", "unknown")] {
            if !given(&members, key) {
                set.push((key, raw_string(member)?));
            }
        }
        // `lastUpdateDateTime` defaults to `createdDateTime`.
        let created = members
            .iter()
            .find(|(k, _)| k == "createdDateTime")
            .map(|(_, v)| *v);
        let default_update = match created {
            Some(created) if !given(&members, "lastUpdateDateTime") => Some(created),
            _ => None,
        };
        let defaulted = |key: &str| {
            set.iter().any(|(k, _)| *k == key)
                || key == "lastUpdateDateTime" && default_update.is_some()
        };
        members.retain(|(key, _)| !defaulted(key));
        let entries = members
            .into_iter()
            .chain(set.iter().map(|(k, v)| (Cow::Borrowed(*k), &**v)))
            .chain(default_update.map(|v| (Cow::Borrowed("lastUpdateDateTime"), v)));
        let alert = Alert::deserialize(de::value::MapDeserializer::new(entries))?;
        Ok((alert, vendor))
    }
}

/// `s` as a JSON string.
fn raw_string(s: &str) -> Result<Box<RawValue>, serde_json::Error> {
    serde_json::value::to_raw_value(s)
}

/// Keeps the last of members with the same name (as a JSON object read into a map does).
fn dedup_keep_last(members: &mut Vec<(Cow<'_, str>, &RawValue)>) {
    let mut i = 0;
    while i < members.len() {
        let later = members[i + 1..].iter().any(|(k, _)| *k == members[i].0);
        if later {
            members.remove(i);
        } else {
            i += 1;
        }
    }
}

/// An object's members, names borrowed from the text where they hold no escapes, values as text.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members<'de>, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(48));
        while let Some(Name(name)) = map.next_key()? {
            members.push((name, map.next_value::<&RawValue>()?));
        }
        Ok(Members(members))
    }
}

/// A member name, borrowed when it can be.
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name<'de>, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_objects_are_alert_objects() {
        let ok: AlertObject = serde_json::from_str(r#" {"title": "x"}"#).unwrap();
        assert_eq!(ok.to_map()["title"], "x");
        for bad in [r#"[1]"#, r#""text""#, "null", "3"] {
            let e = serde_json::from_str::<AlertObject>(bad).unwrap_err();
            assert!(e.to_string().contains("must be a JSON object"), "{e}");
        }
        assert!(AlertObject::try_from(json!([1])).is_err());
    }

    #[test]
    fn equal_objects_compare_equal_whatever_the_spacing() {
        let a: AlertObject = serde_json::from_str(r#"{"a": 1, "b": [2]}"#).unwrap();
        let b = AlertObject::from(json!({"a": 1, "b": [2]}).as_object().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, AlertObject::from(json!({"a": 2}).as_object().unwrap()));
    }

    #[test]
    fn the_last_of_repeated_members_counts_and_escaped_names_are_read() {
        let fixed = Fixed {
            id: "id-1",
            provider_alert_id: "p-1",
            tenant_id: "t-1",
            product_name: "Prod",
        };
        let object: AlertObject = serde_json::from_str(
            r#"{"createdDateTime": "2025-03-01T10:00:00Z", "severity": "low",
                "severity": "high", "t\u0069tle": "escaped", "id": "theirs",
                "vendorInformation": {"subProvider": "edge-2"}}"#,
        )
        .unwrap();
        let (alert, vendor) = object.read(&fixed).unwrap();
        assert_eq!(alert.severity, model::enums::AlertSeverity::High);
        assert_eq!(alert.title.as_deref(), Some("escaped"));
        assert_eq!(alert.id.0, "id-1");
        assert_eq!(alert.product_name.as_deref(), Some("Prod"));
        assert_eq!(alert.last_update_date_time, alert.created_date_time);
        assert_eq!(vendor.unwrap().sub_provider.as_deref(), Some("edge-2"));
    }
}
