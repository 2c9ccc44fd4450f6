//! `secgraph correlate --rebuild [--tenant ID] [--dry-run]`: recomputes a tenant's incidents from
//! scratch — every alert, in canonical order, with the analysts' pins, under the tenant's
//! `[correlation]` configuration — and reports how the result differs from what the database
//! holds; without `--dry-run` it then applies the differences (in one transaction per tenant,
//! through the same path as any alert write, beside a running server). Without `--tenant`, every
//! tenant is rebuilt.

use crate::cli::CommonArgs;
use crate::config::Config;
use anyhow::Context;
use clap::Args;
use correlate::GroupedIncident;
use model::TenantId;
use store::incidents::RebuildReport;

/// How many differing incidents the report lists one by one (per side).
const LISTED: usize = 20;

/// `secgraph correlate`.
#[derive(Debug, Args)]
pub struct CorrelateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Recompute the incidents from scratch and report the differences (the only operation).
    #[arg(long)]
    pub rebuild: bool,
    /// The tenant to rebuild (default: every tenant).
    #[arg(long, value_name = "ID")]
    pub tenant: Option<String>,
    /// Report the differences without changing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `secgraph correlate`.
pub async fn run(args: CorrelateArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.rebuild,
        "nothing to do: `secgraph correlate --rebuild [--tenant ID] [--dry-run]` recomputes incidents"
    );
    let config = Config::for_common(&args.common)?;
    crate::logging::init("warn");
    let store = config.open_store().await?;
    let tenants: Vec<TenantId> = match &args.tenant {
        Some(id) => {
            let id = TenantId(id.clone());
            store
                .identity()
                .get_tenant(&id)
                .await?
                .with_context(|| format!("no tenant '{id}' (see `secgraph tenant list`)"))?;
            vec![id]
        }
        None => store
            .identity()
            .list_tenants()
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect(),
    };
    for tenant in tenants {
        let report = store
            .tenant(&tenant)
            .rebuild_correlation(args.dry_run)
            .await
            .with_context(|| format!("rebuilding the incidents of tenant {tenant}"))?;
        print!("{}", render(&tenant, &report, args.dry_run));
    }
    store.shutdown().await;
    Ok(())
}

/// The report of one tenant, as printed.
fn render(tenant: &TenantId, r: &RebuildReport, dry_run: bool) -> String {
    let mut out = format!(
        "tenant {tenant}: {} alerts ({} in no incident), {} incidents held, {} recomputed\n",
        r.alerts, r.unassigned, r.incidents_before, r.incidents_after
    );
    if r.diff.is_empty() {
        out.push_str("  no differences\n");
        return out;
    }
    out.push_str(&format!(
        "  {} incident(s) only in the database, {} only in the recomputation\n",
        r.diff.only_left.len(),
        r.diff.only_right.len()
    ));
    list(&mut out, "held", "incident", &r.diff.only_left);
    list(&mut out, "recomputed", "group", &r.diff.only_right);
    out.push_str(match (dry_run, r.applied) {
        (true, _) => "  dry run: nothing changed\n",
        (false, true) => "  applied: the database now holds the recomputed incidents\n",
        (false, false) => "  not applied\n",
    });
    out
}

fn list(out: &mut String, side: &str, noun: &str, incidents: &[GroupedIncident]) {
    for i in incidents.iter().take(LISTED) {
        let name = match side {
            "held" => format!("{noun} {}", i.incident),
            _ => noun.to_owned(),
        };
        out.push_str(&format!("  {side} {name}: {}\n", i.alert_ids.join(", ")));
    }
    if incidents.len() > LISTED {
        out.push_str(&format!(
            "  … and {} more {side}\n",
            incidents.len() - LISTED
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use correlate::{GroupingDiff, IncidentKey};

    #[test]
    fn a_report_names_the_incidents_that_differ() {
        let report = RebuildReport {
            alerts: 3,
            unassigned: 1,
            incidents_before: 1,
            incidents_after: 2,
            diff: GroupingDiff {
                only_left: vec![GroupedIncident {
                    incident: IncidentKey(7),
                    alert_ids: vec!["a".into(), "b".into()],
                }],
                only_right: vec![GroupedIncident {
                    incident: IncidentKey(1),
                    alert_ids: vec!["a".into()],
                }],
            },
            applied: false,
        };
        let text = render(&TenantId("t".into()), &report, true);
        assert!(text.starts_with(
            "tenant t: 3 alerts (1 in no incident), 1 incidents held, 2 recomputed\n"
        ));
        assert!(text.contains("  held incident 7: a, b\n"), "{text}");
        assert!(text.contains("  recomputed group: a\n"), "{text}");
        assert!(text.ends_with("  dry run: nothing changed\n"), "{text}");
    }
}
