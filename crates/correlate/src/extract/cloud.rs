//! Entities of cloud evidence: Azure, AWS and Google Cloud resources, storage blobs and tokens,
//! and the resource behind a Kubernetes cluster (see the table in [`super`]).

use super::Sink;
use crate::normal;
use model::evidence::cloud::{AzureResourceEvidence, BlobContainerEvidence};
use model::AlertEvidence;

/// Nested evidence followed at most this deep (a cluster's resource is itself evidence).
const MAX_DEPTH: usize = 4;

/// Adds the entities of `item` when it is cloud evidence; `false` when it is not.
pub(super) fn evidence(sink: &mut Sink, item: &AlertEvidence) -> bool {
    nested(sink, item, 0)
}

fn nested(sink: &mut Sink, item: &AlertEvidence, depth: usize) -> bool {
    match item {
        AlertEvidence::AzureResource(r) => azure(sink, r),
        AlertEvidence::AmazonResource(r) => {
            sink.opt(&r.amazon_resource_id, normal::cloud_resource);
        }
        AlertEvidence::GoogleCloudResource(r) => {
            sink.opt(&r.full_resource_name, normal::cloud_resource);
        }
        AlertEvidence::BlobContainer(c) => container(sink, c),
        AlertEvidence::Blob(b) => {
            if let Some(u) = &b.url {
                sink.url(u);
            }
            for h in &b.file_hashes {
                sink.opt(&h.value, normal::file_hash);
            }
            if let Some(c) = &b.blob_container {
                container(sink, c);
            }
        }
        AlertEvidence::SasToken(t) => {
            if let Some(r) = &t.storage_resource {
                azure(sink, r);
            }
        }
        AlertEvidence::KubernetesCluster(k) => {
            if let Some(r) = k.cloud_resource.as_deref().filter(|_| depth < MAX_DEPTH) {
                if !nested(sink, r, depth + 1) {
                    sink.evidence(r);
                }
            }
        }
        _ => return false,
    }
    true
}

fn azure(sink: &mut Sink, r: &AzureResourceEvidence) {
    sink.opt(&r.resource_id, normal::cloud_resource);
}

fn container(sink: &mut Sink, c: &BlobContainerEvidence) {
    if let Some(u) = &c.url {
        sink.url(u);
    }
    if let Some(r) = &c.storage_resource {
        azure(sink, r);
    }
}
