//! The synthetic alert stream: what a busy tenant's providers send, as correlation sees it.
//!
//! Five alert shapes in a fixed mix — endpoint (40 %: device ids and name, user UPN and SID, file
//! hashes, sometimes a C2 address, often a private address or SYSTEM), network IDS (20 %: a
//! private or public source, a public destination, sometimes a URL), mail (15 %: recipient
//! mailbox, sender mailbox and address, URLs and their domains), identity (15 %: user UPN and
//! Entra id, sign-in address, sometimes the device), cloud (10 %: resource, user, address) —
//! about six entities each. Every entity is drawn from its pool with Zipf-like popularity
//! (probability ∝ 1/rank), so a few devices, users and addresses are everywhere (the frequency
//! cap's business) and most hashes and URLs are rare. Weak entities (private addresses, SYSTEM,
//! the empty file's hash) appear as real streams carry them. Alert *i* is created at
//! `start + i * spacing`; the stream is deterministic for a seed.

use bench::rng::Rng;
use correlate::{AlertFacts, Entity, EntityKind};
use time::{Duration, OffsetDateTime};

/// Pool sizes (distinct values per kind).
const DEVICES: u64 = 20_000;
const USERS: u64 = 30_000;
const PUBLIC_IPS: u64 = 100_000;
const PRIVATE_IPS: u64 = 5_000;
const HASHES: u64 = 300_000;
const DOMAINS: u64 = 40_000;
const URLS_PER_DOMAIN: u64 = 8;
const SENDERS: u64 = 20_000;
const RESOURCES: u64 = 10_000;

/// The stream generator.
pub struct Stream {
    rng: Rng,
    start: OffsetDateTime,
    spacing: i64,
}

/// A rank in `0..n` with probability ∝ 1/(rank+1).
fn zipf(rng: &mut Rng, n: u64) -> u64 {
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let r = ((n as f64 + 1.0).ln() * u).exp() as u64;
    r.saturating_sub(1).min(n - 1)
}

/// 64 pseudo-random bits derived from `x` (SplitMix64's finaliser).
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn e(kind: EntityKind, value: String) -> Entity {
    Entity::new(kind, value)
}

impl Stream {
    /// A stream whose alerts start at `start`, `spacing` apart.
    pub fn new(seed: u64, start: OffsetDateTime, spacing: Duration) -> Stream {
        let spacing = i64::try_from(spacing.whole_nanoseconds()).unwrap_or(i64::MAX);
        Stream {
            rng: Rng::new(seed),
            start,
            spacing,
        }
    }

    /// Alert number `i` (its time follows from `i`; its content from the generator's state).
    pub fn alert(&mut self, i: u64) -> AlertFacts {
        let mut out = Vec::with_capacity(8);
        match self.rng.below(100) {
            0..=39 => self.endpoint(&mut out),
            40..=59 => self.network(&mut out),
            60..=74 => self.mail(&mut out),
            75..=89 => self.identity(&mut out),
            _ => self.cloud(&mut out),
        }
        AlertFacts {
            alert_id: format!("da{:018}_{:x}", i, mix(i) as u32),
            created: self.start + Duration::nanoseconds(self.spacing.saturating_mul(i as i64)),
            entities: out,
        }
    }

    fn device(&mut self, out: &mut Vec<Entity>) {
        let d = zipf(&mut self.rng, DEVICES);
        out.push(e(
            EntityKind::Device,
            format!("mde:{:016x}{:016x}{:08x}", mix(d), mix(d + 1), d),
        ));
        out.push(e(EntityKind::Device, format!("name:ws-{d:05}")));
    }

    fn user(&mut self, out: &mut Vec<Entity>, sid: bool) -> u64 {
        let u = zipf(&mut self.rng, USERS);
        out.push(e(EntityKind::User, format!("upn:user{u}@contoso.com")));
        if sid {
            out.push(e(
                EntityKind::User,
                format!("sid:S-1-5-21-1004336348-1177238915-682003330-{}", 1000 + u),
            ));
        }
        u
    }

    fn public_ip(&mut self, out: &mut Vec<Entity>) {
        let r = zipf(&mut self.rng, PUBLIC_IPS);
        out.push(e(
            EntityKind::Ip,
            format!("20.{}.{}.{}", r >> 16, (r >> 8) & 255, r & 255),
        ));
    }

    fn private_ip(&mut self, out: &mut Vec<Entity>) {
        let r = self.rng.below(PRIVATE_IPS);
        out.push(e(EntityKind::Ip, format!("10.20.{}.{}", r >> 8, r & 255)));
    }

    fn file(&mut self, out: &mut Vec<Entity>) {
        let h = zipf(&mut self.rng, HASHES);
        out.push(e(
            EntityKind::FileHash,
            format!(
                "{:016x}{:016x}{:016x}{:016x}",
                mix(h),
                mix(h ^ 1),
                mix(h ^ 2),
                mix(h ^ 3)
            ),
        ));
    }

    fn url(&mut self, out: &mut Vec<Entity>) {
        let d = zipf(&mut self.rng, DOMAINS);
        let p = self.rng.below(URLS_PER_DOMAIN);
        out.push(e(EntityKind::Url, format!("https://site{d}.example/p/{p}")));
        out.push(e(EntityKind::Domain, format!("site{d}.example")));
    }

    fn endpoint(&mut self, out: &mut Vec<Entity>) {
        self.device(out);
        self.user(out, true);
        self.file(out);
        if self.rng.percent(40) {
            self.file(out);
        }
        if self.rng.percent(30) {
            self.public_ip(out);
        }
        if self.rng.percent(50) {
            self.private_ip(out);
        }
        if self.rng.percent(20) {
            out.push(e(EntityKind::User, "sid:S-1-5-18".into()));
        }
        if self.rng.percent(3) {
            out.push(e(
                EntityKind::FileHash,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into(),
            ));
        }
    }

    fn network(&mut self, out: &mut Vec<Entity>) {
        if self.rng.percent(70) {
            self.private_ip(out);
        } else {
            self.public_ip(out);
        }
        self.public_ip(out);
        if self.rng.percent(30) {
            self.url(out);
        }
    }

    fn mail(&mut self, out: &mut Vec<Entity>) {
        let u = zipf(&mut self.rng, USERS);
        out.push(e(EntityKind::Mailbox, format!("user{u}@contoso.com")));
        let s = zipf(&mut self.rng, SENDERS);
        out.push(e(
            EntityKind::Mailbox,
            format!("sender{s}@ext{}.example", s % 5000),
        ));
        self.public_ip(out);
        self.url(out);
        if self.rng.percent(30) {
            self.url(out);
        }
    }

    fn identity(&mut self, out: &mut Vec<Entity>) {
        let u = self.user(out, false);
        out.push(e(
            EntityKind::User,
            format!("aad:{:016x}{:016x}", mix(u ^ 77), mix(u ^ 78)),
        ));
        self.public_ip(out);
        if self.rng.percent(30) {
            self.device(out);
        }
    }

    fn cloud(&mut self, out: &mut Vec<Entity>) {
        let r = zipf(&mut self.rng, RESOURCES);
        out.push(e(
            EntityKind::CloudResource,
            format!(
                "/subscriptions/{:08x}-0000-4000-8000-{:012x}/resourcegroups/rg{}/providers/microsoft.compute/virtualmachines/vm{r}",
                r % 7,
                r % 7,
                r % 50
            ),
        ));
        self.user(out, false);
        self.public_ip(out);
    }
}
