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
/// are found again when the document changed (they are byte offsets into it).
pub(crate) fn substitute(enc: &mut Encoded, subs: &[Substitution]) {
    let mut doc_changed = false;
    for s in subs {
        if enc.doc.contains(&s.placeholder) {
            enc.doc = enc.doc.replace(&s.placeholder, &s.value);
            doc_changed = true;
        }
        if enc.legacy_doc.contains(&s.placeholder) {
            enc.legacy_doc = enc.legacy_doc.replace(&s.placeholder, &s.value);
        }
        for column in &mut enc.columns {
            if let Value::Text(t) = column {
                if t.contains(&s.placeholder) {
                    *t = t.replace(&s.placeholder, &s.value);
                }
            }
        }
    }
    if doc_changed && enc.evolvable.is_some() {
        enc.evolvable = crate::evolvable::encode_spans(&enc.doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode;

    #[test]
    fn substituting_equals_encoding_the_settled_alert() {
        let mut alert: StoredAlert = serde_json::from_value(serde_json::json!({
            "alert": {"id": "a", "createdDateTime": "2024-01-02T00:00:00Z",
                      "lastUpdateDateTime": "2024-01-02T00:00:00Z", "severity": "low",
                      "status": "new", "serviceSource": "microsoftSentinel",
                      "incidentId": "~p-1~", "incidentWebUrl": "https://h/i/~p-1~"},
            "vendor": {}
        }))
        .unwrap();
        let mut enc = encode(&alert).unwrap();
        let subs = [Substitution {
            placeholder: "~p-1~".into(),
            value: "12345".into(),
        }];
        substitute(&mut enc, &subs);
        alert.alert.incident_id = Some("12345".into());
        alert.alert.incident_web_url = Some("https://h/i/12345".into());
        let want = encode(&alert).unwrap();
        assert_eq!(enc.doc, want.doc);
        assert_eq!(enc.legacy_doc, want.legacy_doc);
        assert_eq!(enc.columns, want.columns);
        assert_eq!(enc.evolvable, want.evolvable);
        assert!(
            want.evolvable.is_some(),
            "the fixture has an evolvable member"
        );
    }
}
