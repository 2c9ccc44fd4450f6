# Shell functions the benchmark scripts share; source it after defining `die`.

# Waits until FILE has a line matching PATTERN (or PID dies, or TIMEOUT seconds pass); prints the line.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3 timeout=$4 waited=0 line
  while :; do
    line=$(grep -m1 -E "$pattern" "$file" 2>/dev/null || true)
    [ -n "$line" ] && { echo "$line"; return; }
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; die "process $pid exited before printing '$pattern'"; }
    [ "$waited" -lt "$((timeout * 10))" ] || die "timed out after ${timeout}s waiting for '$pattern' in $file"
    sleep 0.1
    waited=$((waited + 1))
  done
}

# The functions below use the calling script's PG_SERVER, PIDS, SCHEMAS and WORK.

psql_server() { PGOPTIONS=--client-min-messages=warning psql "$PG_SERVER" -v ON_ERROR_STOP=1 -qAtc "$1"; }

# Kills the servers started, drops the schemas made, removes the work directory.
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  for schema in "${SCHEMAS[@]}"; do
    psql_server "DROP SCHEMA IF EXISTS $schema CASCADE" || true
  done
  rm -rf "$WORK"
}

# Stops the server: SIGTERM, then (it finishes in-flight requests and queued writes first) SIGKILL
# if it is still running after 30 s. Says how long it took.
stop_server() {
  local pid=$1 tenths=0
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null && [ "$tenths" -lt 300 ]; do
    sleep 0.1
    tenths=$((tenths + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "server still busy 30 s after SIGTERM (writes queued by the run not yet done): killed"
    kill -9 "$pid"
  else
    echo "server stopped $((tenths / 10)).$((tenths % 10)) s after SIGTERM"
  fi
  wait "$pid" 2>/dev/null || true
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# Creates SCHEMA afresh and prints the --database flag that uses it.
pg_database() {
  local schema=$1 sep='?'
  psql_server "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  [[ "$PG_SERVER" == *"?"* ]] && sep='&'
  echo "--database=$PG_SERVER${sep}options=-c%20search_path%3D$schema"
}
