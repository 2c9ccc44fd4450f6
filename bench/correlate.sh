#!/usr/bin/env bash
# The correlation engine's figures (docs: docs/correlation.md, crates/correlate): 1,000,000 alerts
# of a synthetic multi-provider stream (Zipf-like entity popularity, weak entities included)
# spanning the 24 h window, ingested in order; the engine's real heap (counting allocator) and its
# entity index; the steady-state rate on one core with the window sliding (in order, then with a
# share of late alerts); entity extraction from typed alerts. One line per figure. Release build;
# CARGO_TARGET_DIR is honoured.
#
# Usage: bench/correlate.sh [--count N] [--steady N] [--late-steady N] [--late-percent P]
#                           [--late-minutes M] [--seed S]
# Run it on a quiet machine: rates are measured on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p bench --bin correlate-bench
exec "${CARGO_TARGET_DIR:-$(pwd)/target}/release/correlate-bench" "$@"
