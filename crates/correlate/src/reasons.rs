//! `correlationReasons`: why an incident's alerts are together, computed from its alerts' link
//! codes.
//!
//! For every (rule, entity) through which some alert of the incident was linked into it, one
//! [`Reason`] lists the incident's alerts that carry the entity. A pinned alert (placed by a
//! person) contributes no link of its own, but is listed under the entities it shares.

use crate::alerts::{ent_code, ent_slot};
use crate::change::Reason;
use crate::engine::Engine;

impl Engine {
    /// The reasons of the live incident `root`.
    pub(crate) fn materialize_reasons(&self, root: u32) -> Vec<Reason> {
        let mut members = Vec::new();
        self.incs.group(root, &mut members);
        members.retain(|&s| self.live(s));
        let mut linked: Vec<(u8, u32)> = Vec::new();
        for &m in &members {
            for &p in self.alerts.ents(m) {
                let code = ent_code(p);
                if code != 0 {
                    linked.push((code - 1, ent_slot(p)));
                }
            }
        }
        if linked.is_empty() {
            return Vec::new();
        }
        linked.sort_unstable();
        linked.dedup();
        let mut wanted: Vec<u32> = linked.iter().map(|&(_, e)| e).collect();
        wanted.sort_unstable();
        wanted.dedup();
        members.sort_by(|&a, &b| self.alerts.cmp(a, b));
        // (entity, position of the alert in canonical order) for every carrier of a linked entity.
        let mut carriers: Vec<(u32, u32)> = Vec::new();
        for (pos, &m) in members.iter().enumerate() {
            for &p in self.alerts.ents(m) {
                let e = ent_slot(p);
                if wanted.binary_search(&e).is_ok() {
                    carriers.push((e, pos as u32));
                }
            }
        }
        carriers.sort_unstable();
        let ids: Vec<&str> = members.iter().map(|&s| self.alerts.id(s)).collect();
        let mut out: Vec<(u8, Reason)> = linked
            .iter()
            .map(|&(rule, e)| {
                let from = carriers.partition_point(|c| c.0 < e);
                let to = carriers.partition_point(|c| c.0 <= e);
                let name = self.c.rules.get(usize::from(rule)).map(|r| r.name.clone());
                let alert_ids = carriers[from..to]
                    .iter()
                    .map(|c| ids[c.1 as usize].to_string())
                    .collect();
                (
                    rule,
                    Reason {
                        rule: name.unwrap_or_default(),
                        entity: self.ents.entity(e),
                        alert_ids,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1.entity).cmp(&(b.0, &b.1.entity)));
        out.into_iter().map(|(_, r)| r).collect()
    }
}
