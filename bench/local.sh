# Sourced by the bench scripts: local clusters (./tdkvs local) with configs written here, started
# and, once the caller traps EXIT with stop_local_clusters, stopped at the exit.
# Needs `root` (the repository) and `out` (the run's folder) set by the caller, and `bench` (the
# folder of kv-load.sh) for load_local.

pids=()
bench_token=bench-admin-token-0123456789abcdef
bench_secret=bench-cluster-secret-0123456789abcdef

stop_local_clusters() {
  pkill -CONT -f -- "-Dtdkvs.config=$out/run/" 2> /dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
}

write_local_configs() { # DIR PORT REPLICAS: a master on PORT keeping REPLICAS copies, volumes on the next three
  local dir=$1 port=$2
  mkdir -p "$dir"
  {
    printf 'port: %d\nvolumes:\n' "$port"
    for i in 1 2 3; do printf '  - http://127.0.0.1:%d\n' $((port + i)); done
    printf 'replicas: %d\ntoken: %s\nsecret: %s\n' "$3" "$bench_token" "$bench_secret"
  } > "$dir/master.yaml"
  for i in 1 2 3; do printf 'port: %d\npath: volume%d\nsecret: %s\n' $((port + i)) "$i" "$bench_secret" > "$dir/volume$i.yaml"; done
  echo "$bench_token" > "$dir/admin-token"
}

start_local() { # NAME PORT [--masters N]: ./tdkvs local in $out/run/NAME (a master keeping one copy of each value,
  # unless configs are there; a group of N masters with --masters), until ready
  local dir="$out/run/$1"
  [ $# -gt 2 ] || [ -f "$dir/master.yaml" ] || write_local_configs "$dir" "$2" 1
  TDKVS_LOCAL_PORT=$2 "$root/tdkvs" local "${@:3}" "$dir" > "$dir.out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 1800); do
    grep -q "tdkvs: ready:" "$dir.out" && return
    kill -0 "${pids[-1]}" 2> /dev/null || { cat "$dir.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not start; see $dir.out" >&2
  exit 1
}

need_wrk() { # the harness loads with wrk: installed from Debian's package when missing (as root), else a clear stop
  command -v wrk > /dev/null && return
  if command -v apt-get > /dev/null; then
    echo "installing wrk (apt-get install wrk)" >&2
    "$(dirname "${BASH_SOURCE[0]}")/debian-install.sh" wrk > /dev/null 2>&1 || true
  fi
  command -v wrk > /dev/null || { echo "the bench harness needs wrk: apt-get install wrk" >&2; exit 1; }
}

load_local() { # PORT kv-load args...: the bench harness against the master on PORT, 1 KiB values; fails
  # (and so ends the bench) when the harness could not load at all, e.g. without its client
  need_wrk
  local port=$1 result; shift
  result=$("$bench/kv-load.sh" --url "http://127.0.0.1:$port" --style seed --size 1024 --java-get never "$@")
  echo "$result"
  if grep -q 'errors=-1' <<< "$result"; then
    echo "the load on :$port did not run: $(grep -o 'note=.*' <<< "$result" | head -1)" >&2
    return 1
  fi
}

# Clusters side by side share the machine: one that is not being measured is stopped (SIGSTOP), so that
# its background work (the scrub, the JIT, the master's checks) takes no CPU from the one that is.
pause_local() { # NAME
  pkill -STOP -f -- "-Dtdkvs.config=$out/run/$1/" || true
}

resume_local() { # NAME: and a moment for its timers to catch up
  pkill -CONT -f -- "-Dtdkvs.config=$out/run/$1/" || true
  sleep 2
}
