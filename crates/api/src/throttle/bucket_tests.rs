//! The bucket's arithmetic at chosen instants.

use super::*;

const S: u64 = NANOS_PER_SECOND;

fn rate(requests: u32, window_seconds: u32) -> Rate {
    Rate {
        requests,
        window_seconds,
    }
}

fn allowed(v: Verdict) -> (Option<Quota>, Option<Permit>) {
    match v {
        Verdict::Allowed { quota, permit } => (quota, permit),
        other => panic!("expected allowed, got {other:?}"),
    }
}

fn refused(v: Verdict) -> (u64, Refusal) {
    match v {
        Verdict::Refused {
            retry_after,
            refusal,
            ..
        } => (retry_after, refusal),
        other => panic!("expected refused, got {other:?}"),
    }
}

#[test]
fn a_full_window_passes_then_the_next_request_waits_for_one_interval() {
    let mut b = Bucket::new(&[rate(3, 3)], 0);
    let now = 100 * S;
    let remaining: Vec<u32> = (0..3)
        .map(|_| allowed(b.admit(now)).0.unwrap().remaining)
        .collect();
    assert_eq!(remaining, [2, 1, 0]);
    let (retry, why) = refused(b.admit(now));
    assert_eq!(retry, 1);
    assert_eq!(
        why,
        Refusal::Rate {
            limit: 3,
            window: 3
        }
    );
    // One interval later exactly one more request fits.
    assert_eq!(allowed(b.admit(now + S)).0.unwrap().remaining, 0);
    refused(b.admit(now + S));
}

#[test]
fn reset_counts_whole_seconds_until_the_quota_is_full() {
    let mut b = Bucket::new(&[rate(150, 60)], 0);
    let q = allowed(b.admit(10 * S)).0.unwrap();
    assert_eq!((q.limit, q.remaining, q.reset, q.window), (150, 149, 1, 60));
    for _ in 0..149 {
        allowed(b.admit(10 * S));
    }
    let (retry, _) = refused(b.admit(10 * S));
    assert_eq!(
        retry, 1,
        "one request every 0.4 s: Retry-After rounds up to 1"
    );
    assert!(b.is_idle(70 * S));
    assert!(!b.is_idle(69 * S));
}

#[test]
fn a_refused_request_takes_nothing_from_the_other_rates() {
    let mut b = Bucket::new(&[rate(100, 60), rate(2, 10)], 0);
    allowed(b.admit(0));
    let q = allowed(b.admit(0)).0.unwrap();
    assert_eq!(
        (q.limit, q.remaining),
        (2, 0),
        "the closest to running out is shown"
    );
    let (retry, why) = refused(b.admit(0));
    assert_eq!(retry, 5);
    assert_eq!(
        why,
        Refusal::Rate {
            limit: 2,
            window: 10
        }
    );
    // The long rate was charged for two requests only.
    let fresh = b.quota(0).unwrap();
    assert_eq!(fresh.remaining, 0);
    assert_eq!(b.rates[0].tat, 2 * (60 * S / 100));
}

#[test]
fn the_concurrency_limit_frees_a_slot_when_a_permit_drops() {
    let mut b = Bucket::new(&[], 2);
    let one = allowed(b.admit(0)).1.unwrap();
    let _two = allowed(b.admit(0)).1.unwrap();
    assert_eq!(refused(b.admit(0)), (1, Refusal::Concurrency { limit: 2 }));
    assert!(!b.is_idle(0));
    drop(one);
    allowed(b.admit(0));
}

#[test]
fn no_rates_and_no_concurrency_is_unlimited() {
    assert!(Bucket::new(&[], 0).is_unlimited());
    assert!(!Bucket::new(&[rate(1, 1)], 0).is_unlimited());
}
