//! Cloud entities: `cloudApplicationEvidence` and `azureResourceEvidence`.

use super::{item, Part};
use crate::scene::Scene;
use serde_json::{json, Value};

/// A SaaS application as Defender for Cloud Apps catalogues it.
#[derive(Debug)]
pub(crate) struct CloudApp {
    /// The app-catalogue id (`appId` and `saasAppId`).
    pub id: i64,
    pub name: &'static str,
}

/// Applications the tenant uses, most used first.
pub(crate) const CLOUD_APPS: &[CloudApp] = &[
    CloudApp {
        id: 11161,
        name: "Office 365",
    },
    CloudApp {
        id: 20893,
        name: "Microsoft Exchange Online",
    },
    CloudApp {
        id: 20892,
        name: "Microsoft SharePoint Online",
    },
    CloudApp {
        id: 15600,
        name: "Microsoft OneDrive for Business",
    },
    CloudApp {
        id: 28375,
        name: "Microsoft Teams",
    },
    CloudApp {
        id: 12260,
        name: "Microsoft Azure",
    },
    CloudApp {
        id: 11599,
        name: "Amazon Web Services",
    },
    CloudApp {
        id: 10489,
        name: "Box",
    },
    CloudApp {
        id: 11114,
        name: "Salesforce",
    },
];

/// A `cloudApplicationEvidence` item.
pub(crate) fn application(scene: &mut Scene<'_>, app: &CloudApp, part: Part) -> Value {
    item(
        scene,
        "cloudApplicationEvidence",
        part,
        json!({
            "appId": app.id,
            "displayName": app.name,
            "instanceId": 0,
            "instanceName": app.name,
            "saasAppId": app.id,
            "stream": null,
        }),
    )
}

/// An Azure resource.
#[derive(Debug)]
pub(crate) struct AzureResource {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
}

/// An `azureResourceEvidence` item.
pub(crate) fn azure_resource(scene: &mut Scene<'_>, r: &AzureResource, part: Part) -> Value {
    item(
        scene,
        "azureResourceEvidence",
        part,
        json!({ "resourceId": r.id, "resourceName": r.name, "resourceType": r.kind }),
    )
}
