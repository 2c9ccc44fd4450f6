//! The hook stages of a write job besides `before_write` and `after_write` (see [`crate::hooks`]):
//! `begin_job` when the job starts, `settle` before each alert is compared with its stored row
//! (with the substitutions it returns applied to the encoded row), and `finish_job` at the end
//! (with the alerts it asks for rewritten through the ingest path).

use super::AlertWriter;
use crate::encode::Encoded;
use crate::error::StoreError;
use crate::hooks::{HookContext, Substitution};
use crate::value::Value;
use model::{AlertId, StoredAlert};

/// How many times `finish_job` may ask for rewrites in one job before the job fails (a hook that
/// keeps asking is a bug; its job must not spin forever inside the writer).
const MAX_FINISH_ROUNDS: usize = 16;

impl AlertWriter<'_> {
    /// Runs every hook's `begin_job`.
    pub(super) fn begin_hooks(&mut self) -> Result<(), StoreError> {
        let mut ctx = HookContext::new(&mut *self.tx, self.tenant, self.now, &mut self.job);
        for hook in self.hooks {
            hook.begin_job(&mut ctx).map_err(StoreError::Hook)?;
        }
        Ok(())
    }

    /// Runs every hook's `prepare_batch` on a batch's alerts that have no stored row.
    pub(crate) fn prepare_batch(&mut self, fresh: &[&StoredAlert]) -> Result<(), StoreError> {
        if fresh.is_empty() {
            return Ok(());
        }
        let mut ctx = HookContext::new(&mut *self.tx, self.tenant, self.now, &mut self.job);
        for hook in self.hooks {
            hook.prepare_batch(&mut ctx, fresh)
                .map_err(StoreError::Hook)?;
        }
        Ok(())
    }

    /// Runs every hook's `settle` on `alert` and applies their substitutions to `enc`.
    pub(super) fn settle(
        &mut self,
        alert: &mut StoredAlert,
        enc: &mut Encoded,
    ) -> Result<(), StoreError> {
        let mut subs = Vec::new();
        let mut ctx = HookContext::new(&mut *self.tx, self.tenant, self.now, &mut self.job);
        for hook in self.hooks {
            subs.extend(hook.settle(&mut ctx, alert).map_err(StoreError::Hook)?);
        }
        substitute(enc, &subs);
        Ok(())
    }

    /// Runs every hook's `finish_job`, rewriting the alerts they ask for, until none asks.
    pub(super) fn finish_hooks(&mut self) -> Result<(), StoreError> {
        for _ in 0..MAX_FINISH_ROUNDS {
            let mut rewrites: Vec<AlertId> = Vec::new();
            let mut ctx = HookContext::new(&mut *self.tx, self.tenant, self.now, &mut self.job);
            for hook in self.hooks {
                rewrites.extend(hook.finish_job(&mut ctx).map_err(StoreError::Hook)?);
            }
            if rewrites.is_empty() {
                return Ok(());
            }
            for id in rewrites {
                self.rewrite(&id)?;
            }
        }
        Err(StoreError::Hook(format!(
            "the ingest hooks still asked for rewrites after {MAX_FINISH_ROUNDS} rounds"
        )))
    }

    /// Rewrites stored alert `id` through the ingest path: the hooks recompute what they add (its
    /// incident), the rest stays as stored — `lastUpdateDateTime` too, so that the provider sending
    /// the same alert again is still a no-op. It is not one of the caller's alerts, so the job's
    /// created/updated/unchanged counts stay as they were (its change is recorded and sequenced
    /// like any other, so the change feed shows it).
    fn rewrite(&mut self, id: &AlertId) -> Result<(), StoreError> {
        let Some(existing) = self.load(id)? else {
            return Ok(());
        };
        let alert = existing.decode()?;
        let counts = (
            self.summary.created,
            self.summary.updated,
            self.summary.unchanged,
        );
        self.put(alert, Some(Some(existing)))?;
        (
            self.summary.created,
            self.summary.updated,
            self.summary.unchanged,
        ) = counts;
        Ok(())
    }
}

/// Applies `subs` to the encoded row: both documents and every text column. The evolvable ranges
/// (byte offsets into the document) are shifted past each replacement rather than found again.
pub(crate) fn substitute(enc: &mut Encoded, subs: &[Substitution]) {
    for s in subs {
        let finder = memchr::memmem::Finder::new(s.placeholder.as_bytes());
        if let Some((doc, at)) = replace_all(&finder, &enc.doc, &s.value) {
            enc.evolvable = match enc.evolvable.take() {
                Some(spans) => {
                    crate::evolvable::shift_spans(&spans, &at, s.placeholder.len(), s.value.len())
                        .or_else(|| crate::evolvable::encode_spans(&doc))
                }
                None => None,
            };
            enc.doc = doc;
        }
        if let Some((legacy, _)) = replace_all(&finder, &enc.legacy_doc, &s.value) {
            enc.legacy_doc = legacy;
        }
        for column in &mut enc.columns {
            if let Value::Text(t) = column {
                if let Some((text, _)) = replace_all(&finder, t, &s.value) {
                    *t = text;
                }
            }
        }
    }
}

/// `text` with every match of `finder` replaced by `value`, and where the matches started; `None`
/// when there is none (one pass over the text, no copy).
fn replace_all(
    finder: &memchr::memmem::Finder<'_>,
    text: &str,
    value: &str,
) -> Option<(String, Vec<usize>)> {
    let at: Vec<usize> = finder.find_iter(text.as_bytes()).collect();
    if at.is_empty() {
        return None;
    }
    let n = finder.needle().len();
    let mut out = String::with_capacity(text.len() + at.len() * value.len());
    let mut from = 0;
    for &start in &at {
        // The needle is valid UTF-8, so each match starts and ends on a character boundary.
        out.push_str(text.get(from..start)?);
        out.push_str(value);
        from = start + n;
    }
    out.push_str(text.get(from..)?);
    Some((out, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode;

    /// Encodes `alert` with `placeholder` as its incident id (and in its web URL), substitutes
    /// `value`, and checks the row equals the one encoded with `value` from the start. Returns the
    /// evolvable column before and after.
    fn check_substitution(
        mut alert: StoredAlert,
        placeholder: &str,
        value: &str,
    ) -> (Option<String>, Option<String>) {
        let settle = |alert: &mut StoredAlert, id: &str| {
            alert.alert.incident_id = Some(id.into());
            alert.alert.incident_web_url = Some(format!("https://h/incidents/{id}"));
        };
        settle(&mut alert, placeholder);
        let mut enc = encode(&alert).unwrap();
        let placeheld = enc.evolvable.clone();
        let subs = [Substitution {
            placeholder: placeholder.into(),
            value: value.into(),
        }];
        substitute(&mut enc, &subs);
        settle(&mut alert, value);
        let want = encode(&alert).unwrap();
        assert_eq!(enc.doc, want.doc);
        assert_eq!(enc.legacy_doc, want.legacy_doc);
        assert_eq!(enc.columns, want.columns);
        assert_eq!(enc.evolvable, want.evolvable);
        (placeheld, want.evolvable)
    }

    #[test]
    fn substituting_equals_encoding_the_settled_alert() {
        let alert: StoredAlert = serde_json::from_value(serde_json::json!({
            "alert": {"id": "a", "createdDateTime": "2024-01-02T00:00:00Z",
                      "lastUpdateDateTime": "2024-01-02T00:00:00Z", "severity": "low",
                      "status": "new", "serviceSource": "microsoftSentinel"},
            "vendor": {}
        }))
        .unwrap();
        let (placeheld, settled) = check_substitution(alert, "~p-1~", "12345");
        // The evolvable member precedes the placeholder: its range stays.
        assert!(settled.is_some(), "the fixture has an evolvable member");
        assert_eq!(placeheld, settled);
    }

    #[test]
    fn substituting_demo_alerts_equals_encoding_them_settled() {
        let cfg = demo::DemoConfig::new(
            model::TenantId("t".into()),
            time::macros::datetime!(2026-11-01 00:00 UTC),
        );
        let moved = demo::generate(&cfg)
            .take(300)
            .map(|alert| check_substitution(alert, "~placeholder~", "42"))
            .filter(|(placeheld, settled)| placeheld != settled)
            .count();
        // Some demo alerts carry evolvable members after the placeholder (in their evidence).
        assert!(moved > 0, "no evolvable range moved");
    }

    #[test]
    fn replace_all_reports_every_match() {
        let finder = memchr::memmem::Finder::new("~p~");
        let (out, at) = replace_all(&finder, "a~p~b~p~", "12").unwrap();
        assert_eq!((out.as_str(), at), ("a12b12", vec![1, 5]));
        assert!(replace_all(&finder, "none here", "12").is_none());
    }
}
