#!/usr/bin/env bash
# Change-notification benchmark of docs/performance.md ("Change notifications"): with S
# subscriptions to security/alerts_v2 (default 100) delivered to a receiver on loopback, the
# commit-to-receipt latency (alerts pushed one per request at a steady rate; from sending the push
# to the receiver getting each notification) and the delivery rate (alerts pushed in batches of
# 1,000; notifications received per second).
#
# Usage: bench/notifications.sh        (from anywhere; run it on a quiet machine, it uses both cores)
# Environment:
#   SECGRAPH_BENCH_SUBSCRIPTIONS  subscriptions (default 100)
#   SECGRAPH_BENCH_LATENCY_ALERTS alerts pushed one by one for the latency figure (default 500)
#   SECGRAPH_BENCH_RATE           pushes per second in the latency figure (default 20)
#   SECGRAPH_BENCH_ALERTS         alerts pushed in batches for the rate figure (default 2000)
#   SECGRAPH_BENCH_REPEAT         runs of each backend (default 2; every run is reported)
#   SECGRAPH_BENCH_POSTGRES       a PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/test):
#                                 also measure the PostgreSQL backend, each run in a fresh schema
# Every run starts `secgraph serve --allow-insecure-webhooks` (token authentication) on a fresh data
# directory (or schema) with log level `warn`.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RELEASE="${CARGO_TARGET_DIR:-$ROOT/target}/release"
SUBSCRIPTIONS=${SECGRAPH_BENCH_SUBSCRIPTIONS:-100}
LATENCY_ALERTS=${SECGRAPH_BENCH_LATENCY_ALERTS:-500}
RATE=${SECGRAPH_BENCH_RATE:-20}
ALERTS=${SECGRAPH_BENCH_ALERTS:-2000}
REPEAT=${SECGRAPH_BENCH_REPEAT:-2}
PG_SERVER=${SECGRAPH_BENCH_POSTGRES:-}
WORK=$(mktemp -d)
PIDS=()
SCHEMAS=()

die() { echo "bench/notifications.sh: $*" >&2; exit 1; }

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

run_once() {
  local backend=$1 n=$2 name dir db=() schema="" log pid base before after
  name="${backend}_$n"
  dir="$WORK/$name"
  mkdir -p "$dir"
  if [ "$backend" = postgresql ]; then
    schema="bench_nt_$$_$name"
    SCHEMAS+=("$schema")
    db=("$(pg_database "$schema")")
  fi
  log="$dir/serve.log"
  SECGRAPH_LOG=warn "$RELEASE/secgraph" serve --listen 127.0.0.1:0 --allow-insecure-webhooks \
    --data-dir "$dir/data" "${db[@]}" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  base=$(wait_for_line "$log" '^secgraph listening on' "$pid" 120 | awk '{print $4}')
  before=$(load_average)
  echo "== $backend, run $n (load average before: $before)"
  "$RELEASE/notifications" --base "$base" --admin-token-file "$dir/data/admin-token" --server-pid "$pid" \
    --subscriptions "$SUBSCRIPTIONS" --latency-alerts "$LATENCY_ALERTS" --rate "$RATE" --alerts "$ALERTS" \
    | tee -a "$dir/out" || { tail -5 "$log" >&2; die "notifications failed ($name)"; }
  after=$(load_average)
  echo "load average after: $after"
  stop_server "$pid"
  local problems
  problems=$(grep -E ' (ERROR|WARN) ' "$log" || true)
  if [ -n "$problems" ]; then
    echo "server log: $(wc -l <<<"$problems") warnings/errors, e.g. $(head -1 <<<"$problems" | cut -c1-300)"
  fi
  grep '^RESULT' "$dir/out" | sed "s|^RESULT |$backend run=$n |" >>"$WORK/results"
  rm -rf "$dir/data"
  [ -z "$schema" ] || psql_server "DROP SCHEMA $schema CASCADE"
}

main() {
  echo "building (release)" >&2
  cargo build --release -q -p secgraph -p bench || die "build failed"
  local backends=(sqlite)
  if [ -n "$PG_SERVER" ]; then
    command -v psql >/dev/null || die "psql is needed with SECGRAPH_BENCH_POSTGRES"
    psql_server "SELECT 1" >/dev/null || die "cannot reach PostgreSQL at $PG_SERVER"
    backends+=(postgresql)
  fi
  : >"$WORK/results"
  for backend in "${backends[@]}"; do
    for n in $(seq 1 "$REPEAT"); do
      run_once "$backend" "$n"
    done
  done
  echo
  echo "summary: $SUBSCRIPTIONS subscriptions; latency: $LATENCY_ALERTS pushes at $RATE/s; rate: $ALERTS alerts in batches of 1,000"
  cat "$WORK/results"
}

main "$@"
