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
