//! The configuration compiled for the hot path: rules as kind masks with windows in
//! nanoseconds, the stop-list index, the caps.

use crate::config::Config;
use crate::entity::EntityKind;
use crate::stoplist::StopIndex;

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    /// Its name.
    pub name: String,
    /// Its kinds, as [`EntityKind::bit`]s.
    pub mask: u8,
    /// Kinds that must be shared.
    pub min_kinds: u32,
    /// Its window in nanoseconds (at most the configuration's).
    pub window: i64,
}

/// The compiled configuration.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// The rules, in priority order.
    pub rules: Vec<CompiledRule>,
    /// Kinds some rule links on: only these are indexed.
    pub kinds: u8,
    /// Whether some rule needs more than one shared kind.
    pub multi: bool,
    /// The window in nanoseconds.
    pub window: i64,
    /// The frequency cap.
    pub frequency_cap: usize,
    /// The entity cap.
    pub entity_cap: usize,
    /// The stop-list.
    pub stop: StopIndex,
}

/// Nanoseconds of a duration, saturated to `i64`.
pub(crate) fn nanos(d: time::Duration) -> i64 {
    i64::try_from(d.whole_nanoseconds()).unwrap_or(if d.is_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

impl Compiled {
    /// Compiles `config` (see [`Config::validate`] for what is expected of it; out-of-range
    /// values are clamped rather than refused).
    pub(crate) fn new(config: &Config) -> Compiled {
        let window = nanos(config.window).max(0);
        let rules: Vec<CompiledRule> = config
            .rules
            .iter()
            .take(crate::config::MAX_RULES)
            .map(|r| CompiledRule {
                name: r.name.clone(),
                mask: r.entities.iter().fold(0, |m, k| m | k.bit()),
                min_kinds: u32::from(r.min_kinds.max(1)),
                window: r.window.map_or(window, |w| nanos(w).clamp(0, window)),
            })
            .collect();
        Compiled {
            kinds: rules.iter().fold(0, |m, r| m | r.mask),
            multi: rules.iter().any(|r| r.min_kinds > 1),
            rules,
            window,
            frequency_cap: config.frequency_cap.max(1) as usize,
            entity_cap: config.entity_cap.max(1) as usize,
            stop: StopIndex::new(&config.stop_list),
        }
    }

    /// Whether entities of `kind` are indexed.
    pub(crate) fn indexes(&self, kind: EntityKind) -> bool {
        self.kinds & kind.bit() != 0
    }

    /// The first rule (index) linking two alerts `dt` nanoseconds apart through an entity of the
    /// kind `bit`, when they share entities of the kinds `shared`.
    pub(crate) fn rule_for(&self, bit: u8, shared: u8, dt: i64) -> Option<u8> {
        self.rules
            .iter()
            .position(|r| {
                r.mask & bit != 0 && dt <= r.window && (shared & r.mask).count_ones() >= r.min_kinds
            })
            .map(|i| i as u8)
    }
}
