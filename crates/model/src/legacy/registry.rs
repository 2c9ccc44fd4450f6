//! `registryKeyStates` ↔ `registryKeyEvidence` / `registryValueEvidence`.
//!
//! | legacy | evidence |
//! |---|---|
//! | `hive` | `registryHive`: `localMachine*` ↔ `HKEY_LOCAL_MACHINE` (the legacy member is chosen by the key's first segment: `SOFTWARE`, `SYSTEM`, `SAM`, `SECURITY`), `currentUser` ↔ `HKEY_CURRENT_USER`, `currentConfig` ↔ `HKEY_CURRENT_CONFIG`, `usersDefault` ↔ `HKEY_USERS` |
//! | `key` | `registryKey` |
//! | `valueName`, `valueData` | `registryValueName`, `registryValue` (then a `registryValueEvidence`) |
//! | `valueType` | `registryValueType` (`REG_EXPAND_SZ` ↔ `expandSz`, ...) |

use crate::evidence::endpoint::{RegistryKeyEvidence, RegistryValueEvidence};
use crate::evidence::{AlertEvidence, EvidenceBase};
use crate::legacy::enums::{RegistryHive, RegistryValueType};
use crate::legacy::states::RegistryKeyState;
use crate::open_enum::OpenEnum;

/// The `registryKeyStates` item of a key.
pub fn key_state(k: &RegistryKeyEvidence) -> RegistryKeyState {
    RegistryKeyState {
        hive: legacy_hive(k.registry_hive.as_deref(), k.registry_key.as_deref()),
        key: k.registry_key.clone(),
        ..RegistryKeyState::default()
    }
}

/// The `registryKeyStates` item of a value.
pub fn value_state(v: &RegistryValueEvidence) -> RegistryKeyState {
    RegistryKeyState {
        hive: legacy_hive(v.registry_hive.as_deref(), v.registry_key.as_deref()),
        key: v.registry_key.clone(),
        value_data: v.registry_value.clone(),
        value_name: v.registry_value_name.clone(),
        value_type: v.registry_value_type.as_deref().map(legacy_value_type),
        ..RegistryKeyState::default()
    }
}

/// The evidence a `registryKeyStates` item describes: a value when it names one, else a key.
pub fn evidence(s: &RegistryKeyState, base: EvidenceBase) -> AlertEvidence {
    let hive = s
        .hive
        .as_ref()
        .and_then(|h| h.known())
        .and_then(evidence_hive)
        .map(str::to_string);
    if s.value_name.is_some() || s.value_data.is_some() {
        let v = RegistryValueEvidence {
            base,
            registry_hive: hive,
            registry_key: s.key.clone(),
            registry_value: s.value_data.clone(),
            registry_value_name: s.value_name.clone(),
            registry_value_type: s.value_type.as_ref().map(|t| t.as_str().to_string()),
            ..RegistryValueEvidence::default()
        };
        return v.into();
    }
    let k = RegistryKeyEvidence {
        base,
        registry_hive: hive,
        registry_key: s.key.clone(),
        ..RegistryKeyEvidence::default()
    };
    k.into()
}

fn legacy_hive(hive: Option<&str>, key: Option<&str>) -> Option<OpenEnum<RegistryHive>> {
    let hive = hive?.trim();
    let first = key
        .unwrap_or("")
        .trim_start_matches('\\')
        .split('\\')
        .next()
        .unwrap_or("");
    let is = |a: &str, b: &str| hive.eq_ignore_ascii_case(a) || hive.eq_ignore_ascii_case(b);
    let member = if is("HKEY_LOCAL_MACHINE", "HKLM") {
        match first.to_ascii_uppercase().as_str() {
            "SOFTWARE" => RegistryHive::LocalMachineSoftware,
            "SYSTEM" => RegistryHive::LocalMachineSystem,
            "SAM" => RegistryHive::LocalMachineSam,
            "SECURITY" => RegistryHive::LocalMachineSecurity,
            _ => RegistryHive::Unknown,
        }
    } else if is("HKEY_CURRENT_USER", "HKCU") {
        RegistryHive::CurrentUser
    } else if is("HKEY_CURRENT_CONFIG", "HKCC") {
        RegistryHive::CurrentConfig
    } else if is("HKEY_USERS", "HKU") && first.eq_ignore_ascii_case(".DEFAULT") {
        RegistryHive::UsersDefault
    } else {
        return Some(OpenEnum::parse(hive));
    };
    Some(member.into())
}

fn evidence_hive(h: RegistryHive) -> Option<&'static str> {
    Some(match h {
        RegistryHive::LocalMachineSam
        | RegistryHive::LocalMachineSecurity
        | RegistryHive::LocalMachineSoftware
        | RegistryHive::LocalMachineSystem => "HKEY_LOCAL_MACHINE",
        RegistryHive::CurrentUser => "HKEY_CURRENT_USER",
        RegistryHive::CurrentConfig => "HKEY_CURRENT_CONFIG",
        RegistryHive::UsersDefault => "HKEY_USERS",
        RegistryHive::Unknown | RegistryHive::UnknownFutureValue => return None,
    })
}

/// `REG_EXPAND_SZ`, `ExpandSz` and `expandSz` are one member.
fn legacy_value_type(raw: &str) -> OpenEnum<RegistryValueType> {
    let trimmed = raw.trim();
    let bare = trimmed
        .strip_prefix("REG_")
        .unwrap_or(trimmed)
        .replace('_', "");
    match RegistryValueType::parse(&bare) {
        Some(t) => t.into(),
        None => OpenEnum::Unknown(raw.to_string()),
    }
}
