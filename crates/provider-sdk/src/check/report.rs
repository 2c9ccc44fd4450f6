//! The conformance report: one named check per line with its outcome and a message saying what
//! was seen and, for a failure, what to change.

use std::fmt;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The provider did what the protocol asks.
    Pass,
    /// It did not; the message says what to change.
    Fail,
    /// Not run (nothing to check, or an earlier failure made it meaningless).
    Skip,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "SKIP",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// A stable dotted name, such as `signature.stale` or `action.blockIp.repeat`.
    pub name: String,
    /// Pass, fail or skip.
    pub outcome: Outcome,
    /// What was seen; for a failure also what to do.
    pub message: String,
}

/// Every check of a run, in the order they ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The checks.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check failed (skipped checks do not count against it).
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Fail)
    }

    /// The check named `name`, if it ran.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.outcome == Outcome::Fail)
    }

    /// How many checks ended with `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }

    pub(crate) fn record(&mut self, name: impl Into<String>, verdict: Result<String, Verdict>) {
        let (outcome, message) = match verdict {
            Ok(m) => (Outcome::Pass, m),
            Err(Verdict::Fail(m)) => (Outcome::Fail, m),
            Err(Verdict::Skip(m)) => (Outcome::Skip, m),
        };
        self.checks.push(Check {
            name: name.into(),
            outcome,
            message,
        });
    }

    pub(crate) fn skip(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.record(name, Err(Verdict::Skip(message.into())));
    }
}

/// Why a check did not pass; a check function returns `Result<String, Verdict>` so `?` ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Fail(String),
    Skip(String),
}

impl From<String> for Verdict {
    /// A bare message is a failure.
    fn from(message: String) -> Self {
        Verdict::Fail(message)
    }
}

impl fmt::Display for Report {
    /// One line per check (`PASS name: message`), then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &self.checks {
            writeln!(f, "{} {:width$}  {}", c.outcome.label(), c.name, c.message)?;
        }
        write!(
            f,
            "{} checks: {} passed, {} failed, {} skipped — {}",
            self.checks.len(),
            self.count(Outcome::Pass),
            self.count(Outcome::Fail),
            self.count(Outcome::Skip),
            if self.passed() {
                "the provider conforms"
            } else {
                "the provider does not conform"
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_fails_the_report_and_a_skip_does_not() {
        let mut r = Report::default();
        r.record("a.one", Ok("fine".into()));
        r.skip("b.two", "nothing to check");
        assert!(r.passed());
        r.record(
            "c.three",
            Err("answered 200; answer 401".to_string().into()),
        );
        assert!(!r.passed());
        let text = r.to_string();
        assert!(text.contains("PASS a.one    fine"), "{text}");
        assert!(
            text.contains("FAIL c.three  answered 200; answer 401"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "3 checks: 1 passed, 1 failed, 1 skipped — the provider does not conform"
            ),
            "{text}"
        );
    }
}
