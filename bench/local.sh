# Sourced by the bench scripts: local clusters started with ./tdkvs local, stopped at the exit.
# Needs `root` (the repository) and `out` (the run's folder) set by the caller.

pids=()

stop_local_clusters() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
}
trap stop_local_clusters EXIT

start_local() { # NAME PORT: ./tdkvs local in $out/run/NAME (its configs as found there), until ready
  local dir="$out/run/$1"
  TDKVS_LOCAL_PORT=$2 "$root/tdkvs" local "$dir" > "$dir.out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 1200); do
    grep -q "tdkvs: ready:" "$dir.out" && return
    kill -0 "${pids[-1]}" 2> /dev/null || { cat "$dir.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not start; see $dir.out" >&2
  exit 1
}
