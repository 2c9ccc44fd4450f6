//! Microsoft Defender for Endpoint, the EDR: device alerts with device, user, process, file,
//! registry, URL and IP evidence. Alert ids are Defender's `da{.NET ticks}_{n}`.

mod plays;
mod powershell;
mod rules;

use crate::detection::{Detection, Product};
use crate::fingerprint;
use crate::scene::Scene;
use crate::timeline::dotnet_ticks;
use model::enums::ServiceSource;
use rules::{RECOMMENDED_ACTIONS, RULES};

/// Defender for Endpoint.
pub(crate) static PRODUCT: Product = Product {
    name: "Microsoft Defender for Endpoint",
    service: ServiceSource::MicrosoftDefenderForEndpoint,
    vendor: "Microsoft",
    provider: "Microsoft Defender ATP",
    sub_provider: Some("MicrosoftDefenderATP"),
    provider_version: None,
    microsoft: true,
    automated: true,
};

/// One Defender for Endpoint alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let rule = scene.dice.weighted_by(RULES, |r| r.weight);
    let target = plays::target(scene, rule.play);
    let id = format!(
        "da{}_{}",
        dotnet_ticks(scene.time.created),
        scene.dice.i32()
    );
    let mut det = Detection::new(&PRODUCT, &rule.headline, id.clone(), id);
    det.detector_id = Some(fingerprint::guid(&format!(
        "mde-detector:{}",
        rule.headline.title
    )));
    det.web_url = Some(scene.portal_url(&det.id));
    det.recommended_actions = Some(RECOMMENDED_ACTIONS);
    plays::evidence(scene, &mut det, rule.play, target);
    det
}
