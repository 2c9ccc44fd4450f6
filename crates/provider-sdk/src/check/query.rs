//! The read checks, by the manifest's mode: a pull provider's pages are valid `PullPage`s (followed
//! while `hasMore`, at most [`MAX_PAGES`]) whose alerts fit the alert schema; a federated provider
//! answers a valid `FederatedAnswer` (or 404) with no more than `$top` alerts.

use super::caller::{excerpt, read_ok, Signing};
use super::report::{Report, Verdict};
use super::Run;
use model::TenantId;
use provider_protocol::{Endpoint, FederatedAnswer, ProviderManifest, ProviderMode, PullPage};

/// Most pull pages followed.
pub(crate) const MAX_PAGES: usize = 3;
/// The `$top` of the federated query.
const FEDERATED_TOP: usize = 5;

/// Runs the check the manifest's mode calls for; skips both without a manifest.
pub(crate) async fn run(run: &Run, report: &mut Report) {
    let Some(manifest) = &run.options.manifest else {
        let why = "no manifest given; pass it (--manifest FILE) to check what its mode serves";
        report.skip("pull.page", why);
        report.skip("federated.answer", why);
        return;
    };
    match manifest.mode {
        ProviderMode::Pull => report.record("pull.page", pull(run, manifest).await),
        _ => report.skip("pull.page", format!("mode is {}, not pull", manifest.mode)),
    }
    match manifest.mode {
        ProviderMode::Federated => report.record("federated.answer", federated(run).await),
        _ => report.skip(
            "federated.answer",
            format!("mode is {}, not federated", manifest.mode),
        ),
    }
}

async fn pull(run: &Run, manifest: &ProviderManifest) -> Result<String, Verdict> {
    let tenant = TenantId(run.options.tenant_id.clone());
    let vendor = manifest.vendor_information();
    let mut cursor: Option<String> = None;
    let mut alerts = 0;
    for page_no in 1..=MAX_PAGES {
        let endpoint = Endpoint::Alerts {
            tenant_id: &run.options.tenant_id,
            cursor: cursor.as_deref(),
        };
        let reply = run.caller.call(&endpoint, b"", Signing::Valid).await?;
        let page: PullPage =
            read_ok(&reply, "PullPage").map_err(|e| format!("GET alerts (page {page_no}) {e}"))?;
        page.validate().map_err(|e| {
            format!("GET alerts (page {page_no}) answered an invalid PullPage: {e}")
        })?;
        for item in &page.alerts {
            let id = item.provider_alert_id.clone();
            item.clone().into_stored(&tenant, &vendor).map_err(|e| {
                format!(
                    "page {page_no}: alert '{id}' does not fit the alerts_v2 schema: {e}; send a \
                     microsoft.graph.security.alert object with at least createdDateTime"
                )
            })?;
        }
        alerts += page.alerts.len();
        if !page.has_more {
            return Ok(format!("{page_no} valid page(s), {alerts} alert(s)"));
        }
        cursor = page.next_cursor;
    }
    Ok(format!(
        "{MAX_PAGES} valid pages, {alerts} alerts (more remain; not followed)"
    ))
}

async fn federated(run: &Run) -> Result<String, Verdict> {
    let query = format!("$top={FEDERATED_TOP}");
    let endpoint = Endpoint::FederatedAlerts {
        tenant_id: &run.options.tenant_id,
        odata_query: &query,
    };
    let reply = run.caller.call(&endpoint, b"", Signing::Valid).await?;
    if reply.status == 404 {
        return Ok("answered 404: nothing for this tenant".into());
    }
    let answer: FederatedAnswer = read_ok(&reply, "FederatedAnswer")
        .map_err(|e| format!("GET federated/alerts?{query} {e} (or 404 when there is nothing)"))?;
    answer.validate().map_err(|e| {
        format!(
            "GET federated/alerts answered an invalid FederatedAnswer: {e} (got {})",
            excerpt(&reply.body)
        )
    })?;
    if answer.value.len() > FEDERATED_TOP {
        return Err(Verdict::Fail(format!(
            "GET federated/alerts?{query} answered {} alerts; apply the forwarded OData options, \
             $top among them",
            answer.value.len()
        )));
    }
    Ok(format!(
        "a valid answer with {} alert(s) for $top={FEDERATED_TOP}",
        answer.value.len()
    ))
}
