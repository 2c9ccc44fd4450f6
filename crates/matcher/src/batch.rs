//! Batch lookups ([`Snapshot::lookup_batch`], [`Snapshot::all_matches_batch`]): the answers of
//! one lookup at a time, sooner, because many queries wait for main memory at once.
//!
//! A lookup over an index far larger than the caches is a short chain of dependent reads: for a
//! value, the Bloom filter word and the table's home line, then (sometimes) the next line or an
//! arena record; for an address, the coverage word and directory bucket, then the ranges, then
//! (to walk outwards) the owner's record. One lookup at a time waits for each link in turn. A
//! batch runs its queries through a software pipeline instead: at each step query `i` is hashed
//! ([`Probe`]) and asks for its first links (filter word and home line, or coverage word and
//! bucket); query `i - DISTANCE`, whose first links have arrived, asks for the second (next line
//! or arena record, or the ranges); for `all_matches` query `i - 2 DISTANCE` asks for its owner
//! record; and the query two (`all_matches`: three) steps behind is looked up by the ordinary
//! code from its probe, its lines in cache by then. The requests are prefetch hints
//! (`prefetch-index`): they never change an answer. Only the base layer is prefetched: the
//! overlay is at most 1/32 of it and stays in cache while it is used.
//!
//! The home line is asked for before the filter has been read, as waiting for the filter would
//! cost a step; a lookup that stops at its first live entry finds it in the range for a block
//! with one entry, so only `all_matches` asks for owner records. The distance hardly matters
//! between 2 and 8; what remains is the work of the lookups themselves.

use crate::entry::{Hit, Verdict};
use crate::exact::ExactTable;
use crate::layer::Layer;
use crate::observable::Query;
use crate::probe::Probe;
use crate::snapshot::Snapshot;
use std::net::IpAddr;

/// Queries between two steps of the pipeline.
const DISTANCE: usize = 4;
/// Slots for the queries in flight (a power of two above three steps of `DISTANCE`).
const RING: usize = 16;

impl Snapshot {
    /// Appends to `out` the verdict of each query at `now`, in order: exactly what
    /// [`Snapshot::lookup`] answers for it, but faster for more than a few queries over an
    /// index larger than the caches (the main-memory reads of the queries in flight overlap; see
    /// `bench/matcher.sh`). Allocates only if `out` must grow or a verdict has more than six keys.
    pub fn lookup_batch(&self, queries: &[Query<'_>], now: i64, out: &mut Vec<Option<Verdict>>) {
        out.reserve(queries.len());
        self.pipeline(queries, false, |query, probe| {
            out.push(self.lookup_probed(query, probe, now));
        });
    }

    /// Calls `each(i, hits)` for each query in order, with `hits` exactly what
    /// [`Snapshot::all_matches`] appends for `queries[i]` at `now` (possibly none): the batch
    /// form of `all_matches`, as [`Snapshot::lookup_batch`] is of `lookup`. The hits of all the
    /// queries pass through one buffer, allocated once per call.
    pub fn all_matches_batch(
        &self,
        queries: &[Query<'_>],
        now: i64,
        mut each: impl FnMut(usize, &[Hit]),
    ) {
        let mut hits = Vec::new();
        let mut index = 0;
        self.pipeline(queries, true, |query, probe| {
            hits.clear();
            self.all_matches_probed(query, probe, now, &mut hits);
            each(index, &hits);
            index += 1;
        });
    }

    /// Feeds `queries` in order to `lookup` with their probes, each once its lines have been
    /// asked for (`walk`: the lookup walks every block containing an address, so the owner
    /// records are asked for too, one step later).
    fn pipeline<'q>(
        &self,
        queries: &[Query<'q>],
        walk: bool,
        mut lookup: impl FnMut(Query<'q>, &Probe),
    ) {
        let base: &Layer = &self.base;
        let steps = if walk { 3 } else { 2 };
        let mut ring = [Probe::default(); RING];
        for step in 0..queries.len() + steps * DISTANCE {
            if let Some(&query) = queries.get(step) {
                let probe = self.probe(query);
                base.prefetch_first(query, &probe);
                ring[step % RING] = probe;
            }
            // The query `n` steps behind the one just started, with its probe.
            let behind = |n: usize| {
                let i = step.checked_sub(n * DISTANCE)?;
                Some((*queries.get(i)?, &ring[i % RING]))
            };
            if let Some((query, probe)) = behind(1) {
                base.prefetch_second(query, probe);
            }
            if let Some((Query::Ip(addr), _)) = behind(2).filter(|_| walk) {
                base.prefetch_record(addr);
            }
            if let Some((query, probe)) = behind(steps) {
                lookup(query, probe);
            }
        }
    }
}

impl Layer {
    fn prefetch_first(&self, query: Query<'_>, probe: &Probe) {
        match (query, self.table(query)) {
            (Query::Ip(IpAddr::V4(v4)), _) => self.v4.prefetch_directory(u32::from(v4)),
            (Query::Ip(IpAddr::V6(v6)), _) => self.v6.prefetch_directory(u128::from(v6)),
            (_, Some(table)) => each_hash(table, probe, ExactTable::prefetch_home),
            (_, None) => {}
        }
    }

    fn prefetch_second(&self, query: Query<'_>, probe: &Probe) {
        match (query, self.table(query)) {
            (Query::Ip(IpAddr::V4(v4)), _) => self.v4.prefetch_spans(u32::from(v4)),
            (Query::Ip(IpAddr::V6(v6)), _) => self.v6.prefetch_spans(u128::from(v6)),
            (_, Some(table)) => each_hash(table, probe, ExactTable::prefetch_rest),
            (_, None) => {}
        }
    }

    fn prefetch_record(&self, addr: IpAddr) {
        match addr {
            IpAddr::V4(v4) => self.v4.prefetch_record(u32::from(v4)),
            IpAddr::V6(v6) => self.v6.prefetch_record(u128::from(v6)),
        }
    }
}

/// Calls `step` with `table` and each hash of `probe`.
#[inline]
fn each_hash(table: &ExactTable, probe: &Probe, step: fn(&ExactTable, u64)) {
    for hash in probe.hashes() {
        step(table, *hash);
    }
}
