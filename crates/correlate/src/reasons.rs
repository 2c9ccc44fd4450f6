//! `correlationReasons`: why an incident's alerts are together, computed from its alerts' link
//! codes.
//!
//! For every (rule, entity) through which some alert of the incident was linked into it, one
//! [`Reason`] lists the incident's alerts that carry the entity. A pinned alert (placed by a
//! person) contributes no link of its own, but is listed under the entities it shares.

use crate::alerts::{ent_code, ent_slot};
use crate::change::Reason;
use crate::engine::Engine;
use std::collections::{BTreeMap, HashMap};

impl Engine {
    /// The reasons of the live incident `root`.
    pub(crate) fn materialize_reasons(&self, root: u32) -> Vec<Reason> {
        let mut members = Vec::new();
        self.incs.group(root, &mut members);
        members.retain(|&s| self.live(s));
        members.sort_by(|&a, &b| self.alerts.cmp(a, b));
        let mut linked: BTreeMap<(u8, u32), ()> = BTreeMap::new();
        for &m in &members {
            for &p in self.alerts.ents(m) {
                let code = ent_code(p);
                if code != 0 {
                    linked.insert((code - 1, ent_slot(p)), ());
                }
            }
        }
        if linked.is_empty() {
            return Vec::new();
        }
        let mut carriers: HashMap<u32, Vec<u32>> =
            linked.keys().map(|&(_, e)| (e, Vec::new())).collect();
        for &m in &members {
            for &p in self.alerts.ents(m) {
                if let Some(list) = carriers.get_mut(&ent_slot(p)) {
                    list.push(m);
                }
            }
        }
        let mut out: Vec<(u8, Reason)> = linked
            .keys()
            .map(|&(rule, e)| {
                let ids = carriers.get(&e).map(|l| &l[..]).unwrap_or(&[]);
                let name = self.c.rules.get(usize::from(rule)).map(|r| r.name.clone());
                (
                    rule,
                    Reason {
                        rule: name.unwrap_or_default(),
                        entity: self.ents.entity(e),
                        alert_ids: ids.iter().map(|&s| self.alerts.id(s).to_string()).collect(),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1.entity).cmp(&(b.0, &b.1.entity)));
        out.into_iter().map(|(_, r)| r).collect()
    }
}
