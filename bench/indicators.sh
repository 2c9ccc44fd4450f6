#!/usr/bin/env bash
# Threat-indicator benchmarks of docs/performance.md ("Threat indicators"): the durable bulk submit
# rate (POST /beta/security/tiIndicators/submitTiIndicators, 10,000 per call) and the events
# endpoint rate (POST /secgraph/v1/events, NDJSON) with the tenant holding the submitted mix,
# verdicts only (event_retention_count = 0) and with event storage for back-matching (default).
#
# Usage: bench/indicators.sh        (from anywhere; run it on a quiet machine, it uses both cores)
# Environment:
#   SECGRAPH_BENCH_INDICATORS  indicators in the mix (default 100000)
#   SECGRAPH_BENCH_SECS        seconds each events figure is measured (default 15, after a 3 s warm-up)
#   SECGRAPH_BENCH_REPEAT      runs of each configuration (default 2; every run is reported)
#   SECGRAPH_BENCH_SUBMIT_ARGS extra flags for `indicators submit` (e.g. "--batch 2000 --connections 1")
#   SECGRAPH_BENCH_EVENTS_ARGS extra flags for `indicators events` (e.g. "--batch 100 --connections 8")
#   SECGRAPH_BENCH_POSTGRES    a PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/test):
#                              also measure the PostgreSQL backend, each run in a fresh schema
#                              of that database, dropped afterwards
# Every run starts `secgraph serve --auth none` (the emulator mode: no token) on a fresh data
# directory (or schema) with one tenant, submits the mix, then sends events; the server's log
# level is `warn` so that request logging does not dominate.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RELEASE="${CARGO_TARGET_DIR:-$ROOT/target}/release"
COUNT=${SECGRAPH_BENCH_INDICATORS:-100000}
SECS=${SECGRAPH_BENCH_SECS:-15}
REPEAT=${SECGRAPH_BENCH_REPEAT:-2}
read -r -a SUBMIT_ARGS <<<"${SECGRAPH_BENCH_SUBMIT_ARGS:-}"
read -r -a EVENTS_ARGS <<<"${SECGRAPH_BENCH_EVENTS_ARGS:-}"
PG_SERVER=${SECGRAPH_BENCH_POSTGRES:-}
TENANT=00000000-0000-4000-8000-00000000be0c
WORK=$(mktemp -d)
PIDS=()
SCHEMAS=()

die() { echo "bench/indicators.sh: $*" >&2; exit 1; }

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# One run: a fresh store, the server with STORAGE (on/off), submit, events, stop. Prints the
# generator's lines and appends its RESULT lines, labelled, to $WORK/results.
run_once() {
  local backend=$1 storage=$2 n=$3 name dir db=() schema="" log pid base retention=1000000 before after
  name="${backend}_${storage}_$n"
  dir="$WORK/$name"
  mkdir -p "$dir"
  if [ "$backend" = postgresql ]; then
    schema="bench_ti_$$_$name"
    SCHEMAS+=("$schema")
    db=("$(pg_database "$schema")")
  fi
  [ "$storage" = off ] && retention=0
  "$RELEASE/secgraph" tenant create --id "$TENANT" --name bench --data-dir "$dir/data" "${db[@]}" >/dev/null
  log="$dir/serve.log"
  SECGRAPH_DEFAULT_TENANT=$TENANT SECGRAPH_EVENT_RETENTION_COUNT=$retention SECGRAPH_LOG=warn \
    "$RELEASE/secgraph" serve --auth none --no-throttle --listen 127.0.0.1:0 --data-dir "$dir/data" "${db[@]}" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  base=$(wait_for_line "$log" '^secgraph listening on' "$pid" 120 | awk '{print $4}')
  local submit_args=("${SUBMIT_ARGS[@]}")
  # Two concurrent submitTiIndicators calls deadlock on PostgreSQL (each holds the FK's KEY SHARE
  # lock on the tenant row, then asks FOR UPDATE on it to advance ti_seq): one call at a time there.
  [ "$backend" = postgresql ] && [ ${#submit_args[@]} -eq 0 ] && submit_args=(--connections 1)
  before=$(load_average)
  echo "== $backend, event storage $storage, run $n (load average before: $before)"
  "$RELEASE/indicators" --base "$base" --server-pid "$pid" submit --indicators "$COUNT" "${submit_args[@]}" \
    | tee -a "$dir/out" || { tail -5 "$log" >&2; die "indicators submit failed ($name)"; }
  "$RELEASE/indicators" --base "$base" --server-pid "$pid" events --indicators "$COUNT" --secs "$SECS" "${EVENTS_ARGS[@]}" \
    | tee -a "$dir/out" || { tail -5 "$log" >&2; die "indicators events failed ($name)"; }
  after=$(load_average)
  echo "load average after: $after"
  stop_server "$pid"
  local problems
  problems=$(grep -E ' (ERROR|WARN) ' "$log" | grep -v 'AUTHENTICATION IS OFF' || true)
  if [ -n "$problems" ]; then
    echo "server log: $(wc -l <<<"$problems") warnings/errors, e.g. $(head -1 <<<"$problems" | cut -c1-300)"
  fi
  grep '^RESULT' "$dir/out" \
    | sed "s|^RESULT |$backend storage=$storage run=$n load_before=${before// /\/} load_after=${after// /\/} |" >>"$WORK/results"
  rm -rf "$dir/data"
  [ -z "$schema" ] || psql_server "DROP SCHEMA $schema CASCADE"
}

report() {
  echo
  echo "summary: $COUNT indicators (bench::ti_mix), $(nproc) cores, events ${SECS}s after a 3s warm-up;"
  echo "'others' = cores used by other processes during the figure (from /proc/stat)"
  printf '%-10s %-7s %-4s %-7s %-6s %-5s %9s %9s %9s %7s %7s  %s\n' \
    backend figure run storage batch conn rate/s "p50 ms" "p99 ms" alerts others "load avg before -> after"
  awk '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    printf "%-10s %-7s %-4s %-7s %-6s %-5s %9s %9s %9s %7s %7s  %s -> %s\n",
      $1, $6, f["run"], f["storage"], f["batch"], f["connections"], f["rate"], f["p50_ms"], f["p99_ms"],
      ($6 == "events" ? f["alerts"] : "-"), f["others"], f["load_before"], f["load_after"]
  }' "$WORK/results"
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
      for storage in off on; do
        run_once "$backend" "$storage" "$n"
      done
    done
  done
  report
}

main "$@"
