//! The totals of `secgraph indicators import` and how they are printed: what was imported (and
//! when, so the batch can be listed with a `$filter`), what was already present, what validation
//! refused (the first few messages), and what the converter skipped, grouped by reason.

use model::intel::Skipped;
use std::collections::BTreeMap;
use std::time::Duration;

/// How many refusals the summary lists one by one.
const LISTED_REFUSALS: usize = 10;
/// How many distinct skip reasons the summary lists.
const LISTED_REASONS: usize = 20;

/// Import totals.
#[derive(Debug, Default)]
pub struct Summary {
    /// Items the converter produced.
    pub candidates: usize,
    /// Indicators stored.
    pub imported: usize,
    /// Items whose `externalId` the application already had before this run.
    pub already_present: usize,
    /// Items whose `externalId` came earlier in the same file.
    pub repeated: usize,
    /// Items validation or the critical-infrastructure rail refused: (source, message).
    pub refused: Vec<(String, String)>,
    /// What the converter did not turn into items.
    pub skipped: Vec<Skipped>,
    /// `ingestedDateTime` of the first and of the last stored indicator.
    pub ingested: Option<(String, String)>,
    /// Wall time of the whole import.
    pub elapsed: Duration,
}

impl Summary {
    /// Records a stored batch's `ingestedDateTime`s (Graph's fixed-width text, so text order is
    /// time order).
    pub fn stored(&mut self, times: impl IntoIterator<Item = String>) {
        for t in times {
            self.imported += 1;
            self.ingested = Some(match self.ingested.take() {
                None => (t.clone(), t),
                Some((first, last)) => (first.min(t.clone()), last.max(t)),
            });
        }
    }

    /// The summary as printed: a headline, then one section per non-empty category.
    pub fn render(&self, file: &str, format: &str, owner: &str, tenant: &str) -> String {
        let mut out = format!(
            "{file} ({format}): imported {} of {} indicators for {owner} in tenant {tenant}; \
             {} already present, {} refused, {} skipped by the converter\n",
            self.imported,
            self.candidates,
            self.already_present + self.repeated,
            self.refused.len(),
            self.skipped.len()
        );
        if let Some((first, last)) = &self.ingested {
            out += &format!(
                "  imported: ingestedDateTime {first} to {last} (list them with $filter=\
                 ingestedDateTime ge {first} and ingestedDateTime le {last})\n"
            );
        }
        if self.already_present > 0 {
            out += &format!(
                "  already present: {} (the application already has indicators with these \
                 externalIds; delete them to import them again)\n",
                self.already_present
            );
        }
        if self.repeated > 0 {
            out += &format!(
                "  repeated in the file: {} (an earlier item had the same externalId)\n",
                self.repeated
            );
        }
        self.render_refused(&mut out);
        self.render_skipped(&mut out);
        out += &format!("  took {:.2} s\n", self.elapsed.as_secs_f64());
        out
    }

    fn render_refused(&self, out: &mut String) {
        if self.refused.is_empty() {
            return;
        }
        *out += &format!("  refused by validation: {}\n", self.refused.len());
        for (source, message) in self.refused.iter().take(LISTED_REFUSALS) {
            *out += &format!("    {source}: {message}\n");
        }
        if self.refused.len() > LISTED_REFUSALS {
            *out += &format!("    … and {} more\n", self.refused.len() - LISTED_REFUSALS);
        }
    }

    fn render_skipped(&self, out: &mut String) {
        if self.skipped.is_empty() {
            return;
        }
        *out += &format!("  skipped by the converter: {}\n", self.skipped.len());
        let groups = reason_groups(&self.skipped);
        for (reason, count, example) in groups.iter().take(LISTED_REASONS) {
            *out += &format!("    {count} × {reason} (e.g. {example})\n");
        }
        if groups.len() > LISTED_REASONS {
            let rest: usize = groups[LISTED_REASONS..].iter().map(|g| g.1).sum();
            *out += &format!(
                "    … and {rest} more under {} other reasons\n",
                groups.len() - LISTED_REASONS
            );
        }
    }
}

/// Skips grouped by their exact reason: (reason, count, first source), most frequent first, then
/// by reason.
fn reason_groups(skipped: &[Skipped]) -> Vec<(&str, usize, &str)> {
    let mut groups: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for s in skipped {
        groups.entry(s.reason.as_str()).or_insert((0, &s.source)).0 += 1;
    }
    let mut out: Vec<(&str, usize, &str)> = groups
        .into_iter()
        .map(|(reason, (count, example))| (reason, count, example))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(source: &str, reason: &str) -> Skipped {
        Skipped {
            source: source.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn skips_are_grouped_by_reason_most_frequent_first() {
        let skipped = vec![
            skip("a", "type AS is not supported"),
            skip("b", "to_ids is false"),
            skip("c", "to_ids is false"),
        ];
        assert_eq!(
            reason_groups(&skipped),
            [
                ("to_ids is false", 2, "b"),
                ("type AS is not supported", 1, "a")
            ]
        );
    }

    #[test]
    fn the_ingested_range_spans_every_batch() {
        let mut s = Summary::default();
        s.stored(["2026-01-01T00:00:02.0000000Z".to_owned()]);
        s.stored([
            "2026-01-01T00:00:03.0000000Z".to_owned(),
            "2026-01-01T00:00:01.0000000Z".to_owned(),
        ]);
        assert_eq!(s.imported, 3);
        let (first, last) = s.ingested.clone().unwrap_or_default();
        assert_eq!(first, "2026-01-01T00:00:01.0000000Z");
        assert_eq!(last, "2026-01-01T00:00:03.0000000Z");
    }
}
