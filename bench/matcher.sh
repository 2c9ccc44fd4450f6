#!/usr/bin/env bash
# The matcher crate's figures (docs: crates/matcher/src/lib.rs): snapshot build time, memory per
# indicator, single-thread lookup rate (one query at a time, and in batches through
# Snapshot::lookup_batch / all_matches_batch) and incremental update cost over 1,000,000 generated
# indicators (the issue's mix). One line per figure. Release build; CARGO_TARGET_DIR is honoured.
#
# Usage: bench/matcher.sh [--count N] [--queries N] [--secs S]
# Run it on a quiet machine: the lookup rate is measured on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p bench --bin matcher-bench
exec "${CARGO_TARGET_DIR:-$(pwd)/target}/release/matcher-bench" "$@"
