//! Pull mode end to end, on both backends: a pulled provider built with `provider_sdk::server`
//! on 127.0.0.1:0 (it verifies every signature and checks that each cursor it is sent is one it
//! issued for that tenant), a store with a manual clock, and the scheduler's rounds in between.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::TenantId;
use outbound::pull::{PairStatus, PullOptions};
use outbound::{Limits, OutboundClient, PullScheduler};
use provider_protocol::{
    ActionCancellation, ActionInvocation, AlertUpdate, CallbackAnswer, ProviderManifest, PullPage,
};
use provider_sdk::server::{router, Provider, Refusal, Unavailable};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::identity::NewApplication;
use store::{ManualClock, NewProvider, ProviderHealth, Store};
use time::macros::datetime;

/// Alerts per page the double serves.
const PAGE: usize = 2;

fn tenant(c: char) -> TenantId {
    TenantId(format!("00000000-0000-0000-0000-00000000000{c}"))
}

/// The provider double: a per-tenant log of alert revisions served in pages of [`PAGE`], with
/// cursors `seq-N` (the log position after the page).
#[derive(Default)]
struct Feed {
    log: Mutex<HashMap<TenantId, Vec<Value>>>,
    issued: Mutex<HashSet<(TenantId, String)>>,
    calls: Mutex<Vec<(TenantId, Option<String>)>>,
    violations: Mutex<Vec<String>>,
    down: AtomicBool,
}

impl Feed {
    fn add(&self, t: &TenantId, id: &str, version: u64, title: &str) {
        let item = json!({"providerAlertId": id, "version": version,
            "alert": {"title": title, "severity": "high", "createdDateTime": "2024-06-01T11:00:00Z"}});
        self.log
            .lock()
            .unwrap()
            .entry(t.clone())
            .or_default()
            .push(item);
    }

    fn calls_for(&self, t: &TenantId) -> Vec<Option<String>> {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .filter(|(c, _)| c == t)
            .map(|(_, k)| k.clone())
            .collect()
    }

    fn page(&self, t: &TenantId, cursor: Option<String>) -> Result<PullPage, Refusal> {
        let start = match cursor {
            None => 0,
            Some(c)
                if self
                    .issued
                    .lock()
                    .unwrap()
                    .contains(&(t.clone(), c.clone())) =>
            {
                c["seq-".len()..].parse::<usize>().unwrap()
            }
            Some(c) => {
                let message = format!("cursor {c:?} was never issued for {t}");
                self.violations.lock().unwrap().push(message.clone());
                return Err(Refusal::bad_request(message));
            }
        };
        let log = self.log.lock().unwrap().get(t).cloned().unwrap_or_default();
        let items: Vec<Value> = log.iter().skip(start).take(PAGE).cloned().collect();
        let end = start + items.len();
        let next = (!items.is_empty()).then(|| format!("seq-{end}"));
        if let Some(n) = &next {
            self.issued.lock().unwrap().insert((t.clone(), n.clone()));
        }
        let page = json!({"protocolVersion": 1, "alerts": items, "nextCursor": next,
                          "hasMore": end < log.len()});
        Ok(serde_json::from_value(page).unwrap())
    }
}

struct Double(Arc<Feed>);

impl Provider for Double {
    async fn alert_update(&self, _: AlertUpdate) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::applied(None))
    }
    async fn invoke_action(&self, _: ActionInvocation) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::rejected("no actions"))
    }
    async fn cancel_action(&self, _: ActionCancellation) -> Result<CallbackAnswer, Unavailable> {
        Ok(CallbackAnswer::rejected("no actions"))
    }
    async fn pull(&self, t: TenantId, cursor: Option<String>) -> Result<PullPage, Refusal> {
        self.0
            .calls
            .lock()
            .unwrap()
            .push((t.clone(), cursor.clone()));
        if self.0.down.load(Ordering::SeqCst) {
            return Err(Refusal {
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                message: "the console is down".into(),
            });
        }
        self.0.page(&t, cursor)
    }
}

/// A store with tenants A, B (both consenting to the pulled provider) and C (not), the provider
/// registered and served, and a scheduler over them.
struct Setup {
    store: Store,
    clock: Arc<ManualClock>,
    feed: Arc<Feed>,
    provider: store::Provider,
    _db: testdb::TestDatabase,
}

async fn app(store: &Store) -> String {
    let new = NewApplication {
        home_tenant_id: tenant('a'),
        display_name: "Contoso".into(),
        multi_tenant: true,
        requested_permissions: vec![auth::Permission::SecurityAlertReadWriteAll],
    };
    store
        .identity()
        .create_application(new)
        .await
        .unwrap()
        .client_id
}

async fn register(
    store: &Store,
    name: &str,
    mode: &str,
    base: &str,
    consent: &[char],
) -> store::Provider {
    let client_id = app(store).await;
    for c in consent {
        let grant = [auth::Permission::SecurityAlertReadWriteAll];
        store
            .identity()
            .grant_consent(&tenant(*c), &client_id, &grant)
            .await
            .unwrap();
    }
    let manifest: ProviderManifest = serde_json::from_value(json!({"protocolVersion": 1,
        "name": name, "vendor": "Contoso", "mode": mode, "callbackBaseUrl": base}))
    .unwrap();
    let new = NewProvider {
        client_id,
        manifest,
        allow_private: true,
    };
    store.providers().register(new).await.unwrap().0
}

async fn setup() -> Setup {
    let db = testdb::TestDatabase::new();
    let clock = Arc::new(ManualClock::new(datetime!(2024-06-01 12:00 UTC)));
    let store = db.open_store(clock.clone());
    for c in ['a', 'b', 'c'] {
        store
            .ensure_tenant(&tenant(c), &format!("Tenant {c}"))
            .await
            .unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let provider = register(&store, "Mail Gateway", "pull", &base, &['a', 'b']).await;
    let feed = Arc::new(Feed::default());
    let app = router(Arc::new(Double(feed.clone())), provider.secrets.clone()).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Setup {
        store,
        clock,
        feed,
        provider,
        _db: db,
    }
}

impl Setup {
    fn scheduler(&self, options: PullOptions) -> PullScheduler {
        let client = OutboundClient::new(Limits::default()).unwrap();
        PullScheduler::new(self.store.clone(), client, options)
    }

    async fn health(&self, t: &TenantId) -> ProviderHealth {
        let all = self.store.providers().health(t).await.unwrap();
        all.into_iter()
            .find(|h| h.provider_id == self.provider.id)
            .unwrap()
    }

    async fn title(&self, t: &TenantId, provider_alert_id: &str) -> Option<String> {
        let id =
            provider_protocol::push::pushed_alert_id(t, self.provider.name(), provider_alert_id);
        let alert = self.store.tenant(t).get_alert(&id).await.unwrap()?;
        alert.alert.title
    }

    fn no_violations(&self) {
        assert!(
            self.feed.violations.lock().unwrap().is_empty(),
            "{:?}",
            self.feed.violations
        );
    }
}

fn seq(n: usize) -> Option<String> {
    Some(format!("seq-{n}"))
}

testdb::conformance! {
    async fn a_round_stores_every_page_then_the_cursor_and_the_next_resumes_from_it() {
        let s = setup().await;
        let (a, b) = (tenant('a'), tenant('b'));
        for i in 1..=5 { s.feed.add(&a, &format!("mg-{i}"), 1, &format!("phish {i}")); }
        s.feed.add(&b, "mg-b1", 1, "spoofed sender");
        let pull = s.scheduler(PullOptions::default());

        let round = pull.run_once().await;
        assert_eq!(round.error, None);
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.created, &ra.status), (3, 5, &PairStatus::CaughtUp));
        assert_eq!(round.pair(&s.provider.id, &b).unwrap().outcomes.created, 1);
        assert_eq!(s.feed.calls_for(&a), [None, seq(2), seq(4)]);
        let health = s.health(&a).await;
        assert_eq!(health.pull_cursor, seq(5));
        assert_eq!(health.last_pull, Some(s.clock_now()));
        assert_eq!(health.alerts_received, 5);
        assert_eq!(s.title(&a, "mg-4").await.as_deref(), Some("phish 4"));
        assert_eq!(s.title(&b, "mg-b1").await.as_deref(), Some("spoofed sender"));
        assert_eq!(s.title(&b, "mg-4").await, None, "tenants stay apart");

        s.feed.add(&a, "mg-6", 1, "phish 6");
        s.feed.add(&a, "mg-2", 2, "phish 2, escalated");
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.created, ra.outcomes.updated), (1, 1, 1));
        assert_eq!(s.feed.calls_for(&a)[3], seq(5), "resumes from the held cursor");
        assert_eq!(s.title(&a, "mg-2").await.as_deref(), Some("phish 2, escalated"));
        assert_eq!(s.health(&a).await.pull_cursor, seq(7));

        // Caught up: an empty page without a cursor keeps the one held.
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.total()), (1, 0));
        assert_eq!(s.feed.calls_for(&a)[4], seq(7));
        assert_eq!(s.health(&a).await.pull_cursor, seq(7));
        s.no_violations();
    }

    async fn a_page_fetched_again_changes_nothing() {
        let s = setup().await;
        let a = tenant('a');
        for i in 1..=4 { s.feed.add(&a, &format!("mg-{i}"), 7, "phish"); }
        let pull = s.scheduler(PullOptions::default());
        pull.run_once().await;
        let id = provider_protocol::push::pushed_alert_id(&a, s.provider.name(), "mg-3");
        let before = s.store.tenant(&a).get_alert(&id).await.unwrap().unwrap();
        // As after a crash between storing the second page and its cursor.
        s.store.providers().set_pull_cursor(&a, &s.provider.id, "seq-2").await.unwrap();
        s.clock.advance(Duration::from_secs(60));

        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.unchanged, ra.outcomes.total()), (1, 2, 2));
        assert_eq!(s.feed.calls_for(&a).last().unwrap(), &seq(2));
        assert_eq!(s.store.tenant(&a).get_alert(&id).await.unwrap().unwrap(), before);
        assert_eq!(s.health(&a).await.pull_cursor, seq(4));
        s.no_violations();
    }

    async fn a_provider_that_is_down_is_backed_off_then_recovers() {
        let s = setup().await;
        let a = tenant('a');
        s.feed.add(&a, "mg-1", 1, "phish");
        s.feed.down.store(true, Ordering::SeqCst);
        let pull = s.scheduler(PullOptions::default());

        let retry_at = s.fails_within(&pull, &a, 500, 1_000).await;
        let health = s.health(&a).await;
        let error = health.last_error.unwrap();
        assert!(error.contains("pull failed") && error.contains("503"), "{error}");
        assert_eq!(health.last_error_at, Some(s.clock_now()));
        assert_eq!(health.pull_cursor, None);

        // Not polled again before the backoff passed.
        let calls = s.feed.calls_for(&a).len();
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!(ra.status, PairStatus::BackingOff { until: retry_at });
        assert_eq!(s.feed.calls_for(&a).len(), calls);

        // The second failure in a row waits longer: retry 1's ceiling is 2 s.
        s.clock.set(retry_at);
        let retry_at = s.fails_within(&pull, &a, 1_000, 2_000).await;
        s.clock.set(retry_at);
        s.feed.down.store(false, Ordering::SeqCst);
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((&ra.status, ra.outcomes.created), (&PairStatus::CaughtUp, 1));
        assert_eq!(s.health(&a).await.pull_cursor, seq(1));

        // A success resets the schedule: the next failure waits the first retry's time again.
        s.feed.down.store(true, Ordering::SeqCst);
        s.fails_within(&pull, &a, 500, 1_000).await;
        s.no_violations();
    }

    async fn a_tenant_without_consent_and_a_push_provider_are_never_polled() {
        let s = setup().await;
        let (a, b, c) = (tenant('a'), tenant('b'), tenant('c'));
        for t in [&a, &b, &c] { s.feed.add(t, "mg-1", 1, "phish"); }
        let push = register(&s.store, "Edge Firewall", "push", "http://127.0.0.1:9/", &['a']).await;
        let pull = s.scheduler(PullOptions::default());
        let round = pull.run_once().await;
        let pairs: Vec<_> = round.pairs.iter().map(|p| (p.provider_id.clone(), p.tenant_id.clone())).collect();
        assert_eq!(pairs, [(s.provider.id.clone(), a.clone()), (s.provider.id.clone(), b.clone())]);
        assert!(s.feed.calls_for(&c).is_empty());
        assert!(s.store.providers().health(&a).await.unwrap().iter().all(|h| h.provider_id != push.id));

        // Withdrawing consent stops the polls.
        s.store.identity().revoke_consent(&b, &s.provider.client_id).await.unwrap();
        let polled_b = s.feed.calls_for(&b).len();
        let round = pull.run_once().await;
        assert_eq!(round.pairs.len(), 1);
        assert_eq!(s.feed.calls_for(&b).len(), polled_b);
        assert!(s.feed.calls_for(&c).is_empty());
    }

    async fn the_page_limit_leaves_the_rest_for_the_next_round() {
        let s = setup().await;
        let a = tenant('a');
        for i in 1..=5 { s.feed.add(&a, &format!("mg-{i}"), 1, "phish"); }
        let pull = s.scheduler(PullOptions { max_pages_per_round: 2, ..PullOptions::default() });
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.created, &ra.status), (2, 4, &PairStatus::MorePending));
        assert_eq!(s.health(&a).await.pull_cursor, seq(4));
        let round = pull.run_once().await;
        let ra = round.pair(&s.provider.id, &a).unwrap();
        assert_eq!((ra.pages, ra.outcomes.created, &ra.status), (1, 1, &PairStatus::CaughtUp));
        s.no_violations();
    }

    async fn the_loop_polls_until_stopped() {
        let s = setup().await;
        let a = tenant('a');
        s.feed.add(&a, "mg-1", 1, "phish");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = s.scheduler(PullOptions::default()).spawn(stopped);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while s.title(&a, "mg-1").await.is_none() {
            assert!(tokio::time::Instant::now() < deadline, "the loop never stored the alert");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), task).await.unwrap().unwrap();
        assert_eq!(s.feed.calls_for(&a), [None], "caught up: not polled again within the interval");
    }
}

impl Setup {
    fn clock_now(&self) -> time::OffsetDateTime {
        use store::Clock;
        self.clock.now()
    }

    /// Runs a round that must fail for `t` with a retry between `min_ms` and `max_ms` from now.
    async fn fails_within(
        &self,
        pull: &PullScheduler,
        t: &TenantId,
        min_ms: i64,
        max_ms: i64,
    ) -> time::OffsetDateTime {
        let round = pull.run_once().await;
        let report = round.pair(&self.provider.id, t).unwrap();
        let PairStatus::Failed { message, retry_at } = &report.status else {
            panic!("expected a failure: {report:?}");
        };
        assert!(message.contains("503"), "{message}");
        let wait = (*retry_at - self.clock_now()).whole_milliseconds();
        assert!(
            (i128::from(min_ms)..=i128::from(max_ms)).contains(&wait),
            "waits {wait} ms"
        );
        *retry_at
    }
}
