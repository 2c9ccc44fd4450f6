#!/usr/bin/env bash
# Provider benchmarks of docs/performance.md ("Providers"): the durable push ingest rate
# (POST /secgraph/v1/provider/alerts, batches of 1,000, the one ingest path) and the sync-back
# latency (a PATCH of a pushed alert until the provider receives the signed alertUpdates call).
#
# Usage: bench/providers.sh        (from anywhere; run it on a quiet machine, it uses both cores)
# Environment:
#   SECGRAPH_BENCH_ALERTS      distinct alerts pushed (default 200000; a tenth re-pushed as updates)
#   SECGRAPH_BENCH_PATCHES     alerts PATCHed for the sync-back figure (default 2000)
#   SECGRAPH_BENCH_PATCH_RATE  PATCHes per second (default 200)
#   SECGRAPH_BENCH_REPEAT      runs of each backend (default 2; every run is reported)
#   SECGRAPH_BENCH_PUSH_ARGS   extra flags for `providers push` (e.g. "--connections 4")
#   SECGRAPH_BENCH_SYNC_ARGS   extra flags for `providers sync` (e.g. "--deadline-secs 60")
#   SECGRAPH_BENCH_POSTGRES    a PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/test):
#                              also measure the PostgreSQL backend, each run in a fresh schema
#                              of that database, dropped afterwards
# Every run starts `secgraph serve` (token authentication, the default) on a fresh data directory
# (or schema); the `providers` program sets up tenants, applications, consent and the provider
# through the admin API with the data directory's admin-token, then measures. The server's log
# level is `warn` so that request logging does not dominate.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RELEASE="${CARGO_TARGET_DIR:-$ROOT/target}/release"
ALERTS=${SECGRAPH_BENCH_ALERTS:-200000}
PATCHES=${SECGRAPH_BENCH_PATCHES:-2000}
PATCH_RATE=${SECGRAPH_BENCH_PATCH_RATE:-200}
REPEAT=${SECGRAPH_BENCH_REPEAT:-2}
read -r -a PUSH_ARGS <<<"${SECGRAPH_BENCH_PUSH_ARGS:-}"
read -r -a SYNC_ARGS <<<"${SECGRAPH_BENCH_SYNC_ARGS:-}"
PG_SERVER=${SECGRAPH_BENCH_POSTGRES:-}
WORK=$(mktemp -d)
PIDS=()
SCHEMAS=()

die() { echo "bench/providers.sh: $*" >&2; exit 1; }

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# One run: a fresh store, the server, push, sync, stop. Prints the generator's lines and appends
# its RESULT lines, labelled, to $WORK/results.
run_once() {
  local backend=$1 n=$2 name dir db=() schema="" log pid base before after
  name="${backend}_$n"
  dir="$WORK/$name"
  mkdir -p "$dir"
  if [ "$backend" = postgresql ]; then
    schema="bench_pv_$$_$name"
    SCHEMAS+=("$schema")
    db=("$(pg_database "$schema")")
  fi
  log="$dir/serve.log"
  SECGRAPH_LOG=warn "$RELEASE/secgraph" serve --listen 127.0.0.1:0 --data-dir "$dir/data" "${db[@]}" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  base=$(wait_for_line "$log" '^secgraph listening on' "$pid" 120 | awk '{print $4}')
  local common=(--base "$base" --admin-token-file "$dir/data/admin-token" --server-pid "$pid")
  before=$(load_average)
  echo "== $backend, run $n (load average before: $before)"
  "$RELEASE/providers" "${common[@]}" push --alerts "$ALERTS" "${PUSH_ARGS[@]}" \
    | tee -a "$dir/out" || { tail -5 "$log" >&2; die "providers push failed ($name)"; }
  "$RELEASE/providers" "${common[@]}" sync --patches "$PATCHES" --rate "$PATCH_RATE" "${SYNC_ARGS[@]}" \
    | tee -a "$dir/out" || { tail -5 "$log" >&2; die "providers sync failed ($name)"; }
  after=$(load_average)
  echo "load average after: $after"
  stop_server "$pid"
  local problems
  problems=$(grep -E ' (ERROR|WARN) ' "$log" || true)
  if [ -n "$problems" ]; then
    echo "server log: $(wc -l <<<"$problems") warnings/errors, e.g. $(head -1 <<<"$problems" | cut -c1-300)"
  fi
  grep '^RESULT' "$dir/out" \
    | sed "s|^RESULT |$backend run=$n load_before=${before// /\/} load_after=${after// /\/} |" >>"$WORK/results"
  rm -rf "$dir/data"
  [ -z "$schema" ] || psql_server "DROP SCHEMA $schema CASCADE"
}

report() {
  echo
  echo "summary: push $ALERTS alerts (+ a tenth re-pushed one version higher), sync-back $PATCHES PATCHes at $PATCH_RATE/s;"
  echo "$(nproc) cores; 'others' = cores used by other processes during the figure (from /proc/stat)"
  printf '%-10s %-6s %-4s %10s %9s %9s %9s %9s %9s %7s  %s\n' \
    backend figure run "rate/s" "p50 ms" "p90 ms" "p99 ms" "max ms" "µs/alert" others "load avg before -> after"
  awk '{
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    printf "%-10s %-6s %-4s %10s %9s %9s %9s %9s %9s %7s  %s -> %s\n",
      $1, $5, f["run"], f["rate"], f["p50_ms"], (f["p90_ms"] == "" ? "-" : f["p90_ms"]), f["p99_ms"],
      (f["max_ms"] == "" ? "-" : f["max_ms"]), (f["server_us"] == "" ? "-" : f["server_us"]),
      f["others"], f["load_before"], f["load_after"]
  }' "$WORK/results"
  echo "push/update: rate = alerts/s, latencies per batch request, µs/alert = server CPU per alert;"
  echo "sync: rate = PATCHes/s asked, latencies from sending a PATCH to the provider receiving its update"
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
  report
}

main "$@"
