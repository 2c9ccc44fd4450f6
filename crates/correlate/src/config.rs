//! A tenant's correlation configuration: the window, the rules, the stop-list and the two caps.
//! Deserialisable from TOML or JSON (snake_case keys, unknown keys rejected); every field has the
//! documented default, so an empty table is the default configuration.
//!
//! ```toml
//! window = "24h"          # or seconds: 86400
//! frequency_cap = 50
//! entity_cap = 200
//!
//! [[rules]]
//! name = "same-device"
//! entities = ["device"]
//!
//! [[rules]]
//! name = "user-and-ip"
//! entities = ["user", "ip"]
//! min_kinds = 2           # both kinds shared
//! window = "4h"           # at most the configuration's window
//!
//! [stop_list]
//! domains = ["contoso-cdn.net"]   # replaces the default list of domains
//! ```

use crate::entity::EntityKind;
use crate::error::ConfigError;
use crate::stoplist::StopList;
use serde::{Deserialize, Serialize};
use time::Duration;

/// The default window: 24 hours.
pub const DEFAULT_WINDOW: Duration = Duration::hours(24);
/// The default frequency cap: an entity seen in 50 alerts within the window stops linking.
pub const DEFAULT_FREQUENCY_CAP: u32 = 50;
/// The default entity cap: an incident never grows beyond 200 distinct strong entities.
pub const DEFAULT_ENTITY_CAP: u32 = 200;
/// Most rules a configuration may hold.
pub const MAX_RULES: usize = 255;

/// One tenant's correlation configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// How far apart (`createdDateTime`) two alerts may be and still link; also the span over
    /// which the frequency cap counts.
    #[serde(with = "window")]
    pub window: Duration,
    /// The rules, in priority order: a link is credited to the first rule that makes it.
    pub rules: Vec<Rule>,
    /// Weak entities that never link.
    pub stop_list: StopList,
    /// An entity already seen in this many alerts within the window before an alert does not link
    /// that alert.
    pub frequency_cap: u32,
    /// An incident may not hold more distinct strong entities than this (joins and merges that
    /// would exceed it are refused).
    pub entity_cap: u32,
}

/// A declarative linking rule: two alerts link when they share entities of at least
/// `min_kinds` of the rule's kinds within the rule's window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's name, shown in `correlationReasons`.
    pub name: String,
    /// The entity kinds the rule links on.
    pub entities: Vec<EntityKind>,
    /// How many of those kinds the two alerts must share (default 1: any one).
    #[serde(default = "one")]
    pub min_kinds: u8,
    /// A shorter window for this rule (default: the configuration's window).
    #[serde(default, with = "window::optional")]
    pub window: Option<Duration>,
}

fn one() -> u8 {
    1
}

impl Rule {
    /// A rule named `name` linking on any one of `entities`, with the configuration's window.
    pub fn new(name: &str, entities: &[EntityKind]) -> Rule {
        Rule {
            name: name.to_string(),
            entities: entities.to_vec(),
            min_kinds: 1,
            window: None,
        }
    }
}

/// The default rule set: one rule per kind of strong entity, each with the configuration's
/// window: `same-device`, `same-user`, `same-file`, `same-url`, `same-mailbox`,
/// `same-cloud-resource`, `same-ip`, `same-domain`.
pub fn default_rules() -> Vec<Rule> {
    use EntityKind::*;
    [
        ("same-device", Device),
        ("same-user", User),
        ("same-file", FileHash),
        ("same-url", Url),
        ("same-mailbox", Mailbox),
        ("same-cloud-resource", CloudResource),
        ("same-ip", Ip),
        ("same-domain", Domain),
    ]
    .iter()
    .map(|(name, kind)| Rule::new(name, &[*kind]))
    .collect()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            window: DEFAULT_WINDOW,
            rules: default_rules(),
            stop_list: StopList::default(),
            frequency_cap: DEFAULT_FREQUENCY_CAP,
            entity_cap: DEFAULT_ENTITY_CAP,
        }
    }
}

impl Config {
    /// Checks what serde cannot: a positive window, rule windows within it, unique non-empty rule
    /// names, each rule with kinds and a reachable `min_kinds`, caps of at least 1, parseable
    /// stop-list blocks. The engine accepts any configuration; this names what would make it
    /// behave unexpectedly.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.window.is_positive() {
            return Err(ConfigError::Window);
        }
        if self.rules.len() > MAX_RULES {
            return Err(ConfigError::TooManyRules(self.rules.len()));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.name.trim().is_empty() {
                return Err(ConfigError::RuleName(i));
            }
            if self.rules[..i].iter().any(|r| r.name == rule.name) {
                return Err(ConfigError::DuplicateRule(rule.name.clone()));
            }
            let mut kinds = rule.entities.clone();
            kinds.sort();
            kinds.dedup();
            if rule.min_kinds == 0 || usize::from(rule.min_kinds) > kinds.len() {
                return Err(ConfigError::MinKinds(rule.name.clone()));
            }
            if let Some(w) = rule.window {
                if !w.is_positive() || w > self.window {
                    return Err(ConfigError::RuleWindow(rule.name.clone()));
                }
            }
        }
        if self.frequency_cap == 0 || self.entity_cap == 0 {
            return Err(ConfigError::Cap);
        }
        match self.stop_list.invalid_ranges().first() {
            Some(bad) => Err(ConfigError::IpRange(bad.clone())),
            None => Ok(()),
        }
    }
}

/// A window as seconds or a string with a unit: `"90s"`, `"30m"`, `"24h"`, `"7d"`. Written as the
/// largest whole unit.
pub mod window {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::Duration;

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(i64),
        Text(String),
    }

    /// Parses `"24h"`, `"30m"`, `"90s"`, `"7d"` or a number of seconds.
    pub fn parse(text: &str) -> Option<Duration> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let n: i64 = t[..split].parse().ok()?;
        let unit = match t[split..].trim() {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return None,
        };
        Some(Duration::seconds(n.checked_mul(unit)?))
    }

    /// `d` as the largest whole unit (`"24h"`, `"90m"`, `"45s"`).
    pub fn format(d: Duration) -> String {
        let s = d.whole_seconds();
        match s {
            _ if s != 0 && s % 86_400 == 0 && s / 86_400 >= 2 => format!("{}d", s / 86_400),
            _ if s != 0 && s % 3600 == 0 => format!("{}h", s / 3600),
            _ if s != 0 && s % 60 == 0 => format!("{}m", s / 60),
            _ => format!("{s}s"),
        }
    }

    fn from_raw<E: Error>(raw: Raw) -> Result<Duration, E> {
        match raw {
            Raw::Seconds(s) => Ok(Duration::seconds(s)),
            Raw::Text(t) => parse(&t).ok_or_else(|| {
                E::custom(format!(
                    "'{t}' is not a window; write seconds or a number with s, m, h or d (\"24h\")"
                ))
            }),
        }
    }

    /// Serialises a window.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        format(*d).serialize(s)
    }

    /// Deserialises a window.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        from_raw(Raw::deserialize(d)?)
    }

    /// An optional window.
    pub mod optional {
        use super::{format, from_raw, Raw};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};
        use time::Duration;

        /// Serialises an optional window.
        pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
            d.map(format).serialize(s)
        }

        /// Deserialises an optional window.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
            Option::<Raw>::deserialize(d)?.map(from_raw).transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_toml_is_the_default_and_defaults_validate() {
        let config: Config = toml::from_str("").unwrap();
        assert_eq!(config, Config::default());
        config.validate().unwrap();
        assert_eq!(config.rules.len(), 8);
    }

    #[test]
    fn toml_rules_windows_and_stop_list_parse_and_round_trip() {
        let text = r#"
            window = "12h"
            frequency_cap = 20
            [[rules]]
            name = "same-device"
            entities = ["device"]
            [[rules]]
            name = "user-and-ip"
            entities = ["user", "ip"]
            min_kinds = 2
            window = 3600
            [stop_list]
            domains = ["contoso-cdn.net"]
            entities = [{ kind = "ip", value = "198.51.100.1" }]
        "#;
        let config: Config = toml::from_str(text).unwrap();
        assert_eq!(config.window, Duration::hours(12));
        assert_eq!(config.rules[1].min_kinds, 2);
        assert_eq!(config.rules[1].window, Some(Duration::hours(1)));
        assert_eq!(
            config.stop_list.domains,
            vec!["contoso-cdn.net".to_string()]
        );
        assert!(
            !config.stop_list.hashes.is_empty(),
            "other lists keep defaults"
        );
        config.validate().unwrap();
        let back: Config = toml::from_str(&toml::to_string(&config).unwrap()).unwrap();
        assert_eq!(back, config);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_naming_the_problem() {
        let err = toml::from_str::<Config>("windw = 3")
            .unwrap_err()
            .to_string();
        assert!(err.contains("windw"), "{err}");
        let err = toml::from_str::<Config>("window = \"1 week\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a window"), "{err}");
        let bad = |f: fn(&mut Config)| {
            let mut c = Config::default();
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert_eq!(
            bad(|c| c.rules[0].min_kinds = 2),
            ConfigError::MinKinds("same-device".into())
        );
        assert_eq!(
            bad(|c| c.rules[1].window = Some(Duration::hours(48))),
            ConfigError::RuleWindow("same-user".into())
        );
        assert_eq!(
            bad(|c| c.rules[2].name = "same-device".into()),
            ConfigError::DuplicateRule("same-device".into())
        );
        assert_eq!(bad(|c| c.frequency_cap = 0), ConfigError::Cap);
        assert_eq!(bad(|c| c.window = Duration::ZERO), ConfigError::Window);
    }

    #[test]
    fn windows_format_as_the_largest_whole_unit() {
        for (text, secs) in [("90s", 90), ("30m", 1800), ("24h", 86_400), ("7d", 604_800)] {
            assert_eq!(window::parse(text), Some(Duration::seconds(secs)));
            assert_eq!(window::format(Duration::seconds(secs)), text);
        }
        assert_eq!(window::parse("3600"), Some(Duration::hours(1)));
        assert_eq!(window::parse("h"), None);
    }
}
