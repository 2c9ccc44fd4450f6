//! Threat-indicator index for secgraph: which of a tenant's indicators match an IP address, a
//! domain, a URL, a file hash or an e-mail address, at line rate. Pure: no I/O, std types at the
//! API.
//!
//! ```
//! use matcher::{Action, Entry, Observable, Query, SnapshotBuilder};
//! use std::net::IpAddr;
//!
//! let far = i64::MAX;
//! let mut builder = SnapshotBuilder::new();
//! builder.insert(Observable::Cidr("10.0.0.0".parse()?, 8), Entry::new(1, Action::Allow, far))?;
//! builder.insert(Observable::Ip("10.1.2.3".parse()?), Entry::new(2, Action::Block, far))?;
//! builder.insert(Observable::Domain("example.com"), Entry::new(3, Action::Alert, far))?;
//! let snapshot = builder.build();
//!
//! let now = 1_800_000_000;
//! let ip: IpAddr = "10.1.2.3".parse()?;
//! let verdict = snapshot.lookup(Query::Ip(ip), now).unwrap();
//! assert_eq!((verdict.action, verdict.specificity, &verdict.keys[..]), (Action::Block, 32, &[2][..]));
//! let verdict = snapshot.lookup_domain("a.b.example.com", now).unwrap();
//! assert_eq!((verdict.action, verdict.specificity), (Action::Alert, 2));
//! assert!(snapshot.lookup_domain("badexample.com", now).is_none());
//!
//! // Many queries at once: the same answers, their memory reads overlapped.
//! let queries = [Query::Ip(ip), Query::Domain("www.example.com"), Query::Url("https://y.test/")];
//! let mut verdicts = Vec::new();
//! snapshot.lookup_batch(&queries, now, &mut verdicts);
//! assert_eq!(verdicts, queries.map(|q| snapshot.lookup(q, now)));
//!
//! // Incremental: a new snapshot sharing the old one's base.
//! let next = snapshot.apply(&[2], [(Observable::Url("https://x.test/a"), Entry::new(4, Action::Block, far))])?;
//! assert_eq!(next.lookup_ip(ip, now).unwrap().action, Action::Allow);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Model
//!
//! An [`Entry`] is one indicator's claim on one value: the caller's dense `key`, an [`Action`]
//! and an expiry in unix seconds. An entry with `expires <= now` never matches; lookups take
//! `now`, so expiry is exact to the second without any rebuild. Several entries may share a
//! value, and one key may appear on several values. Values ([`Observable`], [`Query`]) arrive
//! normalised: lower-case domains without a trailing dot (punycode for IDNs), lower-case e-mail
//! addresses, normalised URLs, hex hashes. Inserting an unnormalised value is an error naming
//! what to fix ([`MatcherError`]); querying one simply misses.
//!
//! # Precedence
//!
//! The most specific level with a live entry wins: for IPs the longest prefix containing the
//! address (a single address is a /32 or /128), for domains the longest indicator domain that is
//! the query or one of its parents at a label boundary (`example.com` matches `a.b.example.com`
//! and `example.com`, never `badexample.com`). URLs, hashes and e-mails match exactly. Within the
//! winning level `Allow` beats `Block` beats `Alert`. A [`Verdict`] carries that action, the level
//! ([`Verdict::specificity`]: prefix length, label count, or [`EXACT_SPECIFICITY`]) and the keys
//! of all live entries at the level. [`Snapshot::all_matches`] lists every live entry at every
//! level instead, for enrichment. Expired and removed entries are invisible at every step: a
//! level whose entries have all expired does not shadow the shorter ones.
//!
//! # Structures
//!
//! Everything is laid out for the case that costs: an index far larger than the caches, queried
//! at random, where a lookup's price is the number of main-memory lines it waits for.
//!
//! - IPv4 and IPv6 blocks: a flat interval map per family. Blocks nest or are disjoint, so they
//!   cut the address space into ranges, each owned by the most specific block covering it. A
//!   radix directory over the sorted range starts (one bucket per ~4 ranges) narrows a lookup to
//!   a few neighbouring ranges, and its coverage bitmap answers most misses without reading the
//!   ranges at all. A range carries a copy of its owner's entry when the owner has exactly one,
//!   so a typical hit reads one line of ranges; the owner's record (all its entries and a link to
//!   its parent block) is read only to walk outwards.
//! - Domains, URLs, hashes (as bytes), e-mails: one exact-match table per kind, made of 64-byte
//!   lines probed linearly from a home line (one process-wide hasher, so a query is hashed once
//!   for every layer); records of up to 62 bytes (value and entries) sit
//!   inline in the line, longer ones in an arena behind a 6-byte reference. A register-blocked
//!   Bloom filter (~10 bits per value) in front answers most misses from cache. A domain query
//!   probes each of its suffixes, longest first, skipping label counts no indicator has.
//! - Entries are packed into 13 bytes (expiry, key, action).
//!
//! # Batches
//!
//! One lookup at a time waits for its lines one after the other: on the benchmark machine a hit
//! costs about 300 ns, most of it main-memory latency (~170 ns per dependent read, plus the page
//! walk: the index spans tens of MB of 4 KiB pages). [`Snapshot::lookup_batch`] and
//! [`Snapshot::all_matches_batch`] answer a slice of queries exactly as [`Snapshot::lookup`] and
//! [`Snapshot::all_matches`] would, through a software pipeline: each query is hashed once, asks
//! for its first lines (Bloom word and home line, or coverage word and radix bucket) a few
//! queries before it is looked up, and for the next ones (the neighbouring line or arena record,
//! or the ranges; for `all_matches` also the owner's record) in between, with prefetch hints
//! (`prefetch-index`; no `unsafe` here), so the misses of the eight queries in flight overlap. Over
//! the benchmark's 1,000,000 indicators and half hits this takes one core from about 4.8 M to
//! about 7 M lookups/s (`bench/matcher.sh`); batches of 16 get most of it. With few hits (under
//! about 15 %) a batch costs slightly more than single lookups: misses are answered from cache
//! either way and the pipeline adds 20-30 ns of work per query.
//!
//! # Snapshots, updates and memory
//!
//! A [`Snapshot`] is immutable: a base layer behind an `Arc`, a small overlay layer and the
//! sorted keys removed from the base. [`Snapshot::apply`] returns a new snapshot sharing the
//! base and rebuilding only the overlay; once overlay entries plus removed base entries pass
//! `max(`[`MIN_OVERLAY_LIMIT`]`, base / `[`OVERLAY_FRACTION`]`)` it rebuilds everything into a
//! new base, so an update costs time in proportion to the overlay and the full rebuilds are
//! spread over many updates. A [`Matcher`] holds a tenant's current snapshot in an `ArcSwap`:
//! readers load it without locks and never wait, writers are serialised and publish with one
//! atomic store.
//!
//! Memory is a handful of flat arrays per layer and no allocation per value: values stored once
//! (hashes as bytes), exact tables filled to about 60% of their lines (fuller tables make found
//! values sit several lines from home), ranges of 24 (IPv4) or 48 (IPv6) bytes, plus 4 bytes per
//! entry for the sorted key list used by removals. [`Snapshot::memory_bytes`] sums them (about
//! 94 bytes per indicator over the benchmark's mix, see `bench/matcher.sh`). Lookups allocate
//! only when a verdict has more than six keys; misses never allocate.

mod batch;
mod bloom;
mod entry;
mod error;
mod exact;
mod exact_build;
mod holder;
mod judge;
mod layer;
mod observable;
mod prefix;
mod probe;
mod radix;
mod snapshot;
mod span;
mod update;

pub use entry::{Action, Entry, Hit, Keys, Verdict, EXACT_SPECIFICITY};
pub use error::MatcherError;
pub use holder::{Matcher, SnapshotGuard};
pub use observable::{Observable, Query};
pub use snapshot::{Snapshot, SnapshotBuilder};
pub use update::{MIN_OVERLAY_LIMIT, OVERLAY_FRACTION};
