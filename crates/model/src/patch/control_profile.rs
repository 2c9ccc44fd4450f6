//! [`ControlProfilePatch`]: `PATCH /security/secureScoreControlProfiles/{id}`.
//!
//! The body's `assignedTo`, `comment` and `state` are not properties of the profile: the update
//! appends one `controlStateUpdates` entry carrying them, with `updatedBy` (the caller) and
//! `updatedDateTime` (now) filled in by the server, and sets `lastModifiedDateTime`. `state` is
//! `Default`, `Ignored`, `ThirdParty` or `Reviewed`, in any case; when the body leaves it out the
//! entry repeats the state in force. `vendorInformation` (`provider` and `vendor`) is required and
//! must name the profile's: provider `SecureScore`, vendor `secgraph` — or `Microsoft`, which
//! Microsoft's own examples send. Property names match without case and without underscores
//! (`assigned_to`), because Microsoft's Python snippet for this call puts the snake_case names in
//! the SDK model's `additional_data`, which is sent as it is.

use super::legacy::vendor_information;
use super::{canonical, is_annotation, member, not_writable, object, string_or_null, PatchError};
use crate::secure_score::{ControlState, ControlStateUpdate, SecureScoreControlProfile};
use crate::VendorInformation;
use serde_json::Value;
use time::OffsetDateTime;

const WRITABLE: &[&str] = &["assignedTo", "comment", "state", "vendorInformation"];

/// The vendor name accepted besides the profile's own, because Microsoft's examples send it.
const MICROSOFT: &str = "Microsoft";

/// A control-profile update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlProfilePatch {
    /// `assignedTo` (`None`: absent or null).
    pub assigned_to: Option<String>,
    /// `comment` (`None`: absent or null).
    pub comment: Option<String>,
    /// `state` (`None`: absent; the state in force is kept).
    pub state: Option<ControlState>,
    /// `vendorInformation/provider`.
    pub provider: String,
    /// `vendorInformation/vendor`.
    pub vendor: String,
}

impl ControlProfilePatch {
    /// Parses a PATCH body (property names in any case and with or without underscores, OData
    /// annotations ignored).
    pub fn from_json(v: &Value) -> Result<ControlProfilePatch, PatchError> {
        let mut patch = ControlProfilePatch {
            assigned_to: None,
            comment: None,
            state: None,
            provider: String::new(),
            vendor: String::new(),
        };
        let mut vendor = None;
        let mut changes = 0;
        for (key, value) in object(v)? {
            if is_annotation(key) {
                continue;
            }
            let Some(name) = canonical(&key.replace('_', ""), WRITABLE) else {
                return Err(not_writable(
                    key,
                    "microsoft.graph.secureScoreControlProfile",
                    WRITABLE,
                ));
            };
            match name {
                "vendorInformation" => vendor = Some(vendor_information(value)?),
                "state" if value.is_null() => {
                    return Err(PatchError::at(name, "Property 'state' cannot be null."));
                }
                "state" => patch.state = Some(member(name, value, &[])?),
                "assignedTo" => patch.assigned_to = string_or_null(name, value)?,
                _ => patch.comment = string_or_null(name, value)?,
            }
            changes += usize::from(name != "vendorInformation");
        }
        let (provider, vendor) = vendor.ok_or_else(|| {
            PatchError::at(
                "vendorInformation",
                "Property 'vendorInformation' with 'provider' and 'vendor' is required to update a control profile.",
            )
        })?;
        if changes == 0 {
            return Err(PatchError::body(
                "Nothing to update: send 'state', 'comment' or 'assignedTo' with 'vendorInformation'.",
            ));
        }
        patch.provider = provider;
        patch.vendor = vendor;
        Ok(patch)
    }

    /// Checks that the patch names the profile's provider and vendor (case-insensitively; vendor
    /// `Microsoft` is accepted too).
    pub fn check_vendor(&self, v: &VendorInformation) -> Result<(), PatchError> {
        let is = |stored: &Option<String>, given: &str| {
            stored
                .as_deref()
                .is_none_or(|s| s.trim().eq_ignore_ascii_case(given.trim()))
        };
        let vendor_ok =
            is(&v.vendor, &self.vendor) || self.vendor.trim().eq_ignore_ascii_case(MICROSOFT);
        if is(&v.provider, &self.provider) && vendor_ok {
            return Ok(());
        }
        Err(PatchError::at(
            "vendorInformation",
            format!(
                "vendorInformation (provider '{}', vendor '{}') does not match the control profile's (provider '{}', vendor '{}').",
                self.provider,
                self.vendor,
                v.provider.as_deref().unwrap_or(""),
                v.vendor.as_deref().unwrap_or("")
            ),
        ))
    }

    /// Checks the vendor, then appends the update made by `updated_by` at `now` and stamps
    /// `lastModifiedDateTime`. Nothing changes on error.
    pub fn apply(
        &self,
        profile: &mut SecureScoreControlProfile,
        updated_by: Option<String>,
        now: OffsetDateTime,
    ) -> Result<(), PatchError> {
        self.check_vendor(&profile.vendor_information)?;
        let state = self.state.unwrap_or_else(|| profile.state());
        profile.control_state_updates.push(ControlStateUpdate {
            assigned_to: self.assigned_to.clone(),
            comment: self.comment.clone(),
            state,
            updated_by,
            updated_date_time: Some(now),
        });
        profile.last_modified_date_time = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secure_score::Catalogue;
    use serde_json::json;
    use time::macros::datetime;

    /// Microsoft's example body (`securescorecontrolprofile-update-request.json`).
    fn example() -> Value {
        json!({"assignedTo": "", "comment": "control is reviewed", "state": "Reviewed",
               "vendorInformation": {"provider": "SecureScore", "providerVersion": null,
                                     "subProvider": null, "vendor": "Microsoft"}})
    }

    fn profile() -> SecureScoreControlProfile {
        let c = Catalogue::builtin().unwrap();
        SecureScoreControlProfile::from_control(c.get("AdminMfa").unwrap(), "t", vec![], None)
    }

    #[test]
    fn microsoft_s_example_appends_an_update() {
        let patch = ControlProfilePatch::from_json(&example()).unwrap();
        let mut p = profile();
        let now = datetime!(2026-03-01 10:00 UTC);
        patch
            .apply(&mut p, Some("user1@contoso.com".into()), now)
            .unwrap();
        let u = &p.control_state_updates[0];
        assert_eq!(u.state, ControlState::Reviewed);
        assert_eq!(u.comment.as_deref(), Some("control is reviewed"));
        assert_eq!(u.assigned_to.as_deref(), Some(""));
        assert_eq!(u.updated_by.as_deref(), Some("user1@contoso.com"));
        assert_eq!(p.last_modified_date_time, Some(now));
    }

    #[test]
    fn states_read_in_any_case_and_an_absent_state_keeps_the_one_in_force() {
        let body = json!({"STATE": "thirdPARTY", "vendorinformation": {"provider": "securescore", "vendor": "SECGRAPH"}});
        let patch = ControlProfilePatch::from_json(&body).unwrap();
        assert_eq!(patch.state, Some(ControlState::ThirdParty));
        let mut p = profile();
        patch
            .apply(&mut p, None, datetime!(2026-03-01 10:00 UTC))
            .unwrap();
        let comment = json!({"comment": "owner agreed", "vendorInformation": {"provider": "SecureScore", "vendor": "secgraph"}});
        ControlProfilePatch::from_json(&comment)
            .unwrap()
            .apply(&mut p, None, datetime!(2026-03-02 10:00 UTC))
            .unwrap();
        assert_eq!(p.control_state_updates[1].state, ControlState::ThirdParty);
    }

    /// The body Microsoft's Python snippet sends (`additional_data` keys in snake_case).
    #[test]
    fn snake_case_names_from_the_python_snippet_are_read() {
        let body = json!({"assigned_to": "", "comment": "control is reviewed", "state": "Reviewed",
                          "vendorInformation": {"provider": "SecureScore", "vendor": "Microsoft"}});
        let patch = ControlProfilePatch::from_json(&body).unwrap();
        assert_eq!(patch.assigned_to.as_deref(), Some(""));
        assert_eq!(patch.state, Some(ControlState::Reviewed));
    }

    #[test]
    fn refusals_name_what_to_send() {
        let vendor = json!({"provider": "SecureScore", "vendor": "secgraph"});
        let cases = [
            (json!({"state": "Reviewed"}), "vendorInformation' with"),
            (
                json!({"state": "Closed", "vendorInformation": vendor}),
                "Default, Ignored, ThirdParty, Reviewed",
            ),
            (
                json!({"state": null, "vendorInformation": vendor}),
                "cannot be null",
            ),
            (
                json!({"title": "x", "vendorInformation": vendor}),
                "writable properties are: assignedTo, comment, state, vendorInformation",
            ),
            (json!({"vendorInformation": vendor}), "Nothing to update"),
            (json!(["state"]), "JSON object"),
        ];
        for (body, needle) in cases {
            let e = ControlProfilePatch::from_json(&body).unwrap_err();
            assert!(e.message.contains(needle), "{body}: {}", e.message);
        }
        let other = json!({"state": "Ignored", "vendorInformation": {"provider": "WDATP", "vendor": "Microsoft"}});
        let mut p = profile();
        let e = ControlProfilePatch::from_json(&other).unwrap().apply(
            &mut p,
            None,
            datetime!(2026-03-01 10:00 UTC),
        );
        assert!(e.unwrap_err().message.contains("does not match"));
        assert!(p.control_state_updates.is_empty());
    }
}
