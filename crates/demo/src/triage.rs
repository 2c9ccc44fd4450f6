//! The SOC's handling of an alert: status, classification and determination (always consistent
//! with each other), owner, comments, automated-investigation state and the legacy feedback/tags.
//!
//! Older alerts are more likely resolved. Classification/determination pairs follow Microsoft's
//! grading: true positive → malware, phishing, compromisedAccount, …; informational expected
//! activity → securityTesting, lineOfBusinessApplication, confirmedActivity, securityPersonnel;
//! false positive → notMalicious, notEnoughDataToValidate; `other` fits all three.

use crate::catalog::people::{ANALYSTS, AUTOMATION};
use crate::detection::Detection;
use crate::scene::{stamp, Scene};
use model::enums::{
    AlertClassification as C, AlertDetermination as D, AlertStatus as S, InvestigationState as I,
};
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

/// The outcome of triage.
#[derive(Debug)]
pub(crate) struct Triage {
    pub status: S,
    pub classification: Option<C>,
    pub determination: Option<D>,
    pub assigned_to: Option<&'static str>,
    pub last_update: OffsetDateTime,
    pub resolved: Option<OffsetDateTime>,
    pub comments: Vec<Value>,
    pub investigation: Option<I>,
    /// Legacy `feedback` wire string.
    pub feedback: Option<&'static str>,
    /// Legacy `tags`.
    pub tags: Vec<&'static str>,
}

const OTHER_TRUE_POSITIVES: &[(D, u32)] = &[
    (D::Other, 3),
    (D::MultiStagedAttack, 3),
    (D::Apt, 2),
    (D::MaliciousUserActivity, 2),
    (D::UnwantedSoftware, 2),
    (D::CompromisedAccount, 2),
    (D::Malware, 2),
    (D::Phishing, 1),
];
const FALSE_POSITIVES: &[(D, u32)] = &[
    (D::NotMalicious, 5),
    (D::NotEnoughDataToValidate, 3),
    (D::Other, 1),
];
const EXPECTED_ACTIVITY: &[(D, u32)] = &[
    (D::SecurityTesting, 3),
    (D::LineOfBusinessApplication, 3),
    (D::ConfirmedActivity, 3),
    (D::SecurityPersonnel, 2),
    (D::Other, 1),
];

/// Triages `det` as of the scene's anchor.
pub(crate) fn triage(scene: &mut Scene<'_>, det: &Detection) -> Triage {
    let status = draw_status(scene, det);
    let (classification, determination) = verdict(scene, det, status);
    let assigned_to = owner(scene, det, status, classification);
    let (resolved, last_update) = clock(scene, status);
    let comments = comments(scene, status, classification, assigned_to, last_update);
    let investigation = det
        .product
        .automated
        .then(|| investigation(scene, status, classification));
    let (feedback, tags) = legacy(scene, status, classification, determination);
    Triage {
        status,
        classification,
        determination,
        assigned_to,
        last_update,
        resolved,
        comments,
        investigation,
        feedback,
        tags,
    }
}

fn draw_status(scene: &mut Scene<'_>, det: &Detection) -> S {
    let unknown = if det.product.microsoft { 0.015 } else { 0.06 };
    let resolved = 0.12 + 0.6 * (1.0 - scene.time.recency());
    if scene.dice.chance(unknown) {
        S::Unknown
    } else if scene.dice.chance(resolved) {
        S::Resolved
    } else if scene.dice.chance(0.3) {
        S::InProgress
    } else {
        S::New
    }
}

fn verdict(scene: &mut Scene<'_>, det: &Detection, status: S) -> (Option<C>, Option<D>) {
    let graded = status == S::Resolved || (status == S::InProgress && scene.dice.chance(0.25));
    if !graded {
        return if det.product.microsoft {
            (Some(C::Unknown), Some(D::Unknown))
        } else {
            (None, None)
        };
    }
    let dice = &mut scene.dice;
    let class = dice.weighted(&[
        (C::TruePositive, 45),
        (C::FalsePositive, 22),
        (C::InformationalExpectedActivity, 25),
        (C::Unknown, 8),
    ]);
    let determination = match class {
        C::TruePositive if dice.chance(0.7) => det.true_positive,
        C::TruePositive => dice.weighted(OTHER_TRUE_POSITIVES),
        C::FalsePositive => dice.weighted(FALSE_POSITIVES),
        C::InformationalExpectedActivity => dice.weighted(EXPECTED_ACTIVITY),
        _ => D::Unknown,
    };
    (Some(class), Some(determination))
}

fn owner(
    scene: &mut Scene<'_>,
    det: &Detection,
    status: S,
    class: Option<C>,
) -> Option<&'static str> {
    let dice = &mut scene.dice;
    let automated = det.product.automated && class == Some(C::TruePositive) && dice.chance(0.3);
    let p = match status {
        S::Resolved if automated => return Some(AUTOMATION),
        S::Resolved => 0.85,
        S::InProgress => 0.95,
        S::New => 0.12,
        _ => 0.0,
    };
    dice.chance(p).then(|| dice.pick_skewed(ANALYSTS).upn)
}

/// `(resolvedDateTime, lastUpdateDateTime)`.
fn clock(scene: &mut Scene<'_>, status: S) -> (Option<OffsetDateTime>, OffsetDateTime) {
    let t = scene.time;
    let dice = &mut scene.dice;
    match status {
        S::Resolved => {
            let resolved = t.after_created(dice, Duration::days(6));
            (
                Some(resolved),
                t.after(dice, resolved, Duration::minutes(30)),
            )
        }
        S::InProgress => (None, t.after_created(dice, Duration::days(4))),
        S::Unknown => (None, t.after_created(dice, Duration::days(1))),
        _ => (None, t.after_created(dice, Duration::hours(2))),
    }
}

/// Working notes, in the order an investigation tends to produce them.
const NOTES: &[&str] = &[
    "Picked up; reviewing the entities and the activity around the alert.",
    "The same entities appear in other alerts this week; looking at them together.",
    "Contacted the asset owner; waiting for confirmation of the activity.",
    "Containment requested while the investigation continues.",
    "Escalated to the incident response on-call.",
    "Added the related indicators to the watch list.",
];
const CLOSING: &[(C, &str)] = &[
    (
        C::TruePositive,
        "Confirmed malicious. Entities contained, credentials reset, indicators added to the block list.",
    ),
    (
        C::TruePositive,
        "True positive; remediation completed and the affected user briefed.",
    ),
    (
        C::FalsePositive,
        "False positive: the flagged activity is a scheduled maintenance job. Tuning request filed.",
    ),
    (C::FalsePositive, "Not malicious after review; closing."),
    (
        C::InformationalExpectedActivity,
        "Expected activity: authorised penetration test (ticket SEC-2291).",
    ),
    (
        C::InformationalExpectedActivity,
        "Line-of-business tool behaving as designed; suppression rule proposed.",
    ),
    (
        C::Unknown,
        "Closing as stale: no further activity observed in 14 days.",
    ),
];

fn comments(
    scene: &mut Scene<'_>,
    status: S,
    class: Option<C>,
    assigned: Option<&'static str>,
    last_update: OffsetDateTime,
) -> Vec<Value> {
    if !matches!(status, S::InProgress | S::Resolved) || !scene.dice.chance(0.4) {
        return Vec::new();
    }
    let t = scene.time;
    let author = ANALYSTS
        .iter()
        .find(|a| Some(a.upn) == assigned)
        .unwrap_or(&ANALYSTS[0])
        .display_name;
    let count = scene.dice.between(1, 3);
    let span = last_update - t.created;
    let mut out = Vec::with_capacity(count as usize);
    let mut at = t.created;
    // Consecutive notes from a random starting point: never the same note twice.
    let first_note = scene.dice.below(NOTES.len() - 2);
    for n in 0..count {
        at = t.after(&mut scene.dice, at, span / 3);
        let last = n == count - 1 && status == S::Resolved;
        let text = match class {
            Some(c) if last => closing_note(scene, c),
            _ => NOTES[first_note + n as usize],
        };
        out.push(json!({ "comment": text, "createdByDisplayName": author, "createdDateTime": stamp(at.min(last_update)) }));
    }
    out
}

fn closing_note(scene: &mut Scene<'_>, class: C) -> &'static str {
    let fitting = CLOSING.iter().filter(|(c, _)| *c == class).count();
    let nth = scene.dice.below(fitting);
    CLOSING
        .iter()
        .filter(|(c, _)| *c == class)
        .nth(nth)
        .map_or(NOTES[0], |(_, note)| note)
}

fn investigation(scene: &mut Scene<'_>, status: S, class: Option<C>) -> I {
    let dice = &mut scene.dice;
    match (status, class) {
        (S::Resolved, Some(C::TruePositive)) => dice.weighted(&[
            (I::SuccessfullyRemediated, 6),
            (I::PartiallyRemediated, 2),
            (I::TerminatedByUser, 1),
        ]),
        (S::Resolved, _) => dice.weighted(&[
            (I::Benign, 5),
            (I::TerminatedBySystem, 1),
            (I::SuppressedAlert, 1),
        ]),
        (S::InProgress, _) => dice.weighted(&[
            (I::PendingApproval, 3),
            (I::PartiallyInvestigated, 2),
            (I::Failed, 1),
            (I::PendingResource, 1),
        ]),
        (S::New, _) => dice.weighted(&[
            (I::Running, 4),
            (I::Queued, 2),
            (I::UnsupportedAlertType, 2),
            (I::PreexistingAlert, 1),
            (I::UnsupportedOs, 1),
        ]),
        _ => dice.weighted(&[(I::Unknown, 3), (I::InnerFailure, 1), (I::Terminated, 1)]),
    }
}

fn legacy(
    scene: &mut Scene<'_>,
    status: S,
    class: Option<C>,
    determination: Option<D>,
) -> (Option<&'static str>, Vec<&'static str>) {
    let dice = &mut scene.dice;
    let feedback = match class {
        Some(c) if status == S::Resolved && dice.chance(0.12) => Some(match c {
            C::TruePositive => "truePositive",
            C::FalsePositive => "falsePositive",
            C::InformationalExpectedActivity => "benignPositive",
            _ => "unknown",
        }),
        _ => None,
    };
    let mut tags = Vec::new();
    if determination == Some(D::SecurityTesting) && dice.chance(0.5) {
        tags.push("Red team exercise");
    }
    if dice.chance(0.04) {
        tags.push(*dice.pick(&["VIP", "PCI scope", "Escalated to IR", "Board report"]));
    }
    (feedback, tags)
}
