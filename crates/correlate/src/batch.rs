//! Correlating a write job's alerts together ([`Engine::ingest_batch`]).

use crate::change::Outcome;
use crate::engine::{time_nanos, Delta, Engine};
use crate::extract::AlertFacts;
use crate::replay::Seed;
use std::collections::{HashMap, HashSet};

impl Engine {
    /// Correlates a write job's alerts: the same result as [`Engine::ingest`] on each in turn,
    /// with one outcome per step taken. New alerts that arrive *late* (before the newest alert
    /// held) are inserted together and replayed once, so a batch that reaches the engine after a
    /// later one — a provider pushing over two connections — re-decides each affected alert
    /// once rather than once per late alert (a thousand-alert batch used to replay the same
    /// later alerts a thousand times). Alerts already held, and new ones after the newest, take
    /// the one-by-one path.
    pub fn ingest_batch(&mut self, batch: Vec<AlertFacts>) -> Vec<Outcome> {
        let mut out = Vec::new();
        let mut fresh: Vec<(i64, AlertFacts)> = Vec::with_capacity(batch.len());
        // An alert sent twice in the batch: its later revisions are updates, after the rest.
        let mut again = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        for facts in batch {
            if self.alerts.find(&facts.alert_id).is_some() {
                out.push(self.ingest(facts));
            } else if !ids.insert(facts.alert_id.clone()) {
                again.push(facts);
            } else {
                fresh.push((time_nanos(facts.created), facts));
            }
        }
        fresh.sort_by(|a, b| (a.0, &a.1.alert_id).cmp(&(b.0, &b.1.alert_id)));
        let newest = self
            .alerts
            .timeline
            .back()
            .map(|&s| (self.alerts.rec(s).t, self.alerts.id(s).to_owned()));
        let late = match &newest {
            Some((t, id)) => {
                fresh.partition_point(|(ft, f)| (*ft, f.alert_id.as_str()) < (*t, id.as_str()))
            }
            None => 0,
        };
        let in_order = fresh.split_off(late);
        if fresh.len() == 1 {
            out.extend(fresh.into_iter().map(|(_, f)| self.ingest(f)));
        } else if !fresh.is_empty() {
            let mut seeds = Vec::with_capacity(fresh.len());
            let mut deltas = Vec::new();
            for (t, facts) in fresh {
                let slots = self.linkable(&facts.alert_id, &facts.entities);
                let slot = self.admit(&facts.alert_id, t, &slots);
                let at = self.alerts.stamp(slot);
                deltas.extend(slots.iter().map(|&ent| Delta { ent, at, delta: 1 }));
                seeds.push(Seed { slot, old: None });
            }
            out.push(self.replay_outcome(&seeds, &deltas, HashMap::new()));
        }
        out.extend(in_order.into_iter().map(|(_, f)| self.ingest(f)));
        out.extend(again.into_iter().map(|f| self.ingest(f)));
        out
    }
}
