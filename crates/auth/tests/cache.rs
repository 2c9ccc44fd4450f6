//! The verified-token cache: hits, expiry at `exp`, bounds and eviction order, and concurrent use.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::{Claims, TokenError, VerifiedTokenCache};
use common::*;
use std::sync::Arc;
use time::Duration;

/// Claims expiring `secs` seconds after [`NOW`].
fn claims_expiring_in(secs: i64) -> Claims {
    let mut claims = issuer().claims(&grant(), NOW);
    claims.exp = NOW.unix_timestamp() + secs;
    claims
}

#[test]
fn a_verified_token_is_served_from_the_cache_until_exp() {
    let cache = VerifiedTokenCache::new(16);
    let token = token();
    assert!(cache.get(&token, NOW).is_none());
    let first = cache.verify(&verifier(), &token, NOW).unwrap();
    assert_eq!(cache.len(), 1);
    let hit = cache.get(&token, NOW + Duration::minutes(59)).unwrap();
    assert!(
        Arc::ptr_eq(&first, &hit),
        "a hit shares the verified claims"
    );
    let exp = NOW + Duration::minutes(60);
    assert!(cache.get(&token, exp - Duration::SECOND).is_some());
    assert!(cache.get(&token, exp).is_none(), "entries end at exp");
}

#[test]
fn a_hit_skips_the_verifier() {
    let cache = VerifiedTokenCache::new(16);
    let token = token();
    cache.verify(&verifier(), &token, NOW).unwrap();
    let knows_nothing = auth::TokenVerifier::new(&[], &audiences());
    assert!(knows_nothing.verify(&token, NOW).is_err());
    assert!(cache.verify(&knows_nothing, &token, NOW).is_ok());
    cache.clear();
    assert!(cache.is_empty());
    assert!(matches!(
        cache.verify(&knows_nothing, &token, NOW),
        Err(TokenError::UnknownKey(_))
    ));
}

#[test]
fn failures_are_not_cached_and_other_tokens_miss() {
    let cache = VerifiedTokenCache::new(16);
    let token = token();
    let late = NOW + Duration::hours(2);
    assert!(cache.verify(&verifier(), &token, late).is_err());
    assert!(cache.is_empty());
    cache.verify(&verifier(), &token, NOW).unwrap();
    let mut altered = token.clone();
    altered.push('A');
    assert!(
        cache.get(&altered, NOW).is_none(),
        "a different token text is a miss"
    );
    assert!(cache.verify(&verifier(), &altered, NOW).is_err());
}

#[test]
fn an_already_expired_token_is_not_kept() {
    let cache = VerifiedTokenCache::new(16);
    cache.insert("t", claims_expiring_in(0), NOW);
    cache.insert("u", claims_expiring_in(-10), NOW);
    assert!(cache.is_empty());
}

#[test]
fn a_full_cache_drops_expired_entries_first_then_the_soonest_to_expire() {
    let cache = VerifiedTokenCache::new(3);
    assert_eq!(cache.capacity(), 3);
    cache.insert("a", claims_expiring_in(100), NOW);
    cache.insert("b", claims_expiring_in(10), NOW);
    cache.insert("c", claims_expiring_in(300), NOW);
    cache.insert("d", claims_expiring_in(400), NOW);
    assert_eq!(cache.len(), 3);
    assert!(
        cache.get("b", NOW).is_none(),
        "the soonest to expire went first"
    );
    for t in ["a", "c", "d"] {
        assert!(cache.get(t, NOW).is_some(), "{t}");
    }
    // Later, `a` has expired: it goes before anything live.
    let later = NOW + Duration::seconds(150);
    cache.insert("e", claims_expiring_in(1000), later);
    assert!(cache.get("a", later).is_none());
    for t in ["c", "d", "e"] {
        assert!(cache.get(t, later).is_some(), "{t}");
    }
    assert_eq!(cache.len(), 3);
}

#[test]
fn equal_expiries_evict_the_oldest_insert() {
    let cache = VerifiedTokenCache::new(2);
    cache.insert("first", claims_expiring_in(60), NOW);
    cache.insert("second", claims_expiring_in(60), NOW);
    cache.insert("third", claims_expiring_in(60), NOW);
    assert!(cache.get("first", NOW).is_none());
    assert!(cache.get("second", NOW).is_some());
    assert!(cache.get("third", NOW).is_some());
}

#[test]
fn reinserting_a_token_replaces_its_entry() {
    let cache = VerifiedTokenCache::new(2);
    cache.insert("a", claims_expiring_in(60), NOW);
    cache.insert("a", claims_expiring_in(600), NOW);
    assert_eq!(cache.len(), 1);
    assert!(cache.get("a", NOW + Duration::seconds(300)).is_some());
    cache.insert("b", claims_expiring_in(60), NOW);
    cache.insert("c", claims_expiring_in(120), NOW);
    assert!(
        cache.get("a", NOW).is_some(),
        "its old expiry no longer ranks it"
    );
    assert!(cache.get("b", NOW).is_none());
}

#[test]
fn a_large_cache_stays_within_its_capacity() {
    let cache = VerifiedTokenCache::new(2048);
    assert_eq!(cache.capacity(), 2048);
    for i in 0..6000 {
        cache.insert(&format!("token-{i}"), claims_expiring_in(3600 + i), NOW);
    }
    assert!(cache.len() <= 2048, "{}", cache.len());
    assert!(
        cache.len() >= 2048 - 16 * 8,
        "shards fill evenly: {}",
        cache.len()
    );
    assert!(
        cache.get("token-5999", NOW).is_some(),
        "the newest are kept"
    );
    assert!(cache.get("token-0", NOW).is_none());
}

#[test]
fn concurrent_readers_and_writers_agree() {
    let cache = Arc::new(VerifiedTokenCache::new(4096));
    let token = token();
    cache.verify(&verifier(), &token, NOW).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let cache = Arc::clone(&cache);
            let token = token.clone();
            std::thread::spawn(move || {
                for i in 0..2000 {
                    assert_eq!(cache.get(&token, NOW).unwrap().tid, TENANT);
                    cache.insert(&format!("{t}-{i}"), claims_expiring_in(60 + i), NOW);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(cache.len() <= 4096);
    assert!(
        cache.get(&token, NOW).is_some(),
        "the longest-lived entry survives eviction"
    );
}
