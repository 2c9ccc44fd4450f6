//! Resolving a requested security action against a manifest: names match case-insensitively and
//! come out in the manifest's spelling (`BlockIp` → `blockIp`, `IP` → `ip`), each value is checked
//! and normalised by its declared type, required parameters must be present, undeclared ones are
//! refused, and an action the provider does not offer is refused with the list of those it does.

use super::{ActionSpec, ProviderManifest};
use crate::problem::{item, Invalid, Problems};
use serde::{Deserialize, Serialize};

/// `microsoft.graph.keyValuePair`: one parameter of a `securityAction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    /// Parameter name.
    pub name: String,
    /// Parameter value (`null` counts as absent).
    #[serde(default)]
    pub value: Option<String>,
}

impl KeyValuePair {
    /// A pair with a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValuePair {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// A request resolved against the manifest: canonical names, normalised values, in the order the
/// manifest declares the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedAction {
    /// The action's canonical name.
    pub name: String,
    /// The given parameters, canonical names and normalised values.
    pub parameters: Vec<KeyValuePair>,
}

impl ProviderManifest {
    /// Resolves `name` and `parameters` (see the module docs). Problem paths are `name` and
    /// `parameters[i]` (the index in the request), or `parameters` for a missing one.
    pub fn resolve_action(
        &self,
        name: &str,
        parameters: &[KeyValuePair],
    ) -> Result<ResolvedAction, Invalid> {
        let Some(action) = self.action(name) else {
            return Err(Invalid::at("name", self.not_offered(name)));
        };
        let mut p = Problems::default();
        let slots = fill(action, parameters, &mut p);
        for (spec, slot) in action.parameters.iter().zip(&slots) {
            if spec.required && matches!(slot, Slot::Absent | Slot::Null) {
                p.push(
                    "parameters",
                    format!(
                        "action '{}' requires parameter '{}' (type {})",
                        action.name, spec.name, spec.ty
                    ),
                );
            }
        }
        p.finish()?;
        let parameters = action
            .parameters
            .iter()
            .zip(slots)
            .filter_map(|(spec, slot)| match slot {
                Slot::Valid(v) => Some(KeyValuePair::new(spec.name.clone(), v)),
                _ => None,
            })
            .collect();
        Ok(ResolvedAction {
            name: action.name.clone(),
            parameters,
        })
    }

    /// The message for an action this provider does not offer.
    fn not_offered(&self, name: &str) -> String {
        if self.actions.is_empty() {
            return format!(
                "provider '{}' of '{}' offers no security actions, so '{name}' cannot be run",
                self.name, self.vendor
            );
        }
        let offered: Vec<&str> = self.actions.iter().map(|a| a.name.as_str()).collect();
        format!(
            "provider '{}' of '{}' does not offer action '{name}'; it offers: {}",
            self.name,
            self.vendor,
            offered.join(", ")
        )
    }
}

/// What `parameters` give for each parameter `action` declares; problems go to `p`.
fn fill(action: &ActionSpec, parameters: &[KeyValuePair], p: &mut Problems) -> Vec<Slot> {
    let mut slots = vec![Slot::Absent; action.parameters.len()];
    for (i, kv) in parameters.iter().enumerate() {
        let at = item("parameters", i);
        let Some(j) = action
            .parameters
            .iter()
            .position(|q| q.name.eq_ignore_ascii_case(&kv.name))
        else {
            p.push(at, undeclared(action, &kv.name));
            continue;
        };
        let spec = &action.parameters[j];
        if slots[j] != Slot::Absent {
            p.push(
                at,
                format!(
                    "'{}' is given twice; send each parameter once (names are case-insensitive)",
                    spec.name
                ),
            );
            continue;
        }
        slots[j] = match kv.value.as_deref() {
            None => Slot::Null,
            Some(value) => match spec.ty.normalize(value) {
                Ok(v) => Slot::Valid(v),
                Err(m) => {
                    p.push(
                        at,
                        format!("parameter '{}' (type {}): {m}", spec.name, spec.ty),
                    );
                    Slot::Invalid
                }
            },
        };
    }
    slots
}

/// What a request gave for one declared parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// Not mentioned.
    Absent,
    /// Given as `null` (counts as absent).
    Null,
    /// Given with a value of the wrong form (already reported).
    Invalid,
    /// Given; the normalised value.
    Valid(String),
}

/// The message for a parameter `action` does not declare.
fn undeclared(action: &ActionSpec, name: &str) -> String {
    if action.parameters.is_empty() {
        return format!(
            "action '{}' takes no parameters; remove '{name}'",
            action.name
        );
    }
    let declared: Vec<&str> = action.parameters.iter().map(|q| q.name.as_str()).collect();
    format!(
        "action '{}' has no parameter '{name}'; its parameters are: {}",
        action.name,
        declared.join(", ")
    )
}
