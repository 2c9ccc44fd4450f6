//! "Did you mean ...?": the closest known name to a misspelt one, by edit distance.

/// The candidate closest to `word` (case-insensitive Levenshtein distance), if it is close enough to
/// be a plausible misspelling: one edit for words of up to 3 letters, two up to 6, three beyond. Ties
/// go to the earlier candidate.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = match word.len() {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let d = distance(word, candidate);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, comparing ASCII case-insensitively.
fn distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            let next = (diagonal + cost).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_plausible_misspellings() {
        let names = ["severity", "status", "createdDateTime", "id"];
        assert_eq!(closest("severty", names), Some("severity"));
        assert_eq!(closest("Stat", names), Some("status"));
        assert_eq!(closest("createDateTime", names), Some("createdDateTime"));
        assert_eq!(closest("zzzzzz", names), None);
        assert_eq!(closest("x", names), None);
        assert_eq!(distance("kitten", "SITTING"), 3);
    }
}
