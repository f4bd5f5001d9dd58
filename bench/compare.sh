#!/usr/bin/env bash
# Compares tdkvs with the stores it replaces, on the shared bench harness, in interleaved rounds:
#
#   bench/compare.sh [ROUNDS [SYSTEMS [SCENARIOS]]]     (after: mvn -q -DskipTests package)
#       ROUNDS     default 3
#       SYSTEMS    default "java java-nocache seed mkv1 nginx": java = this project (./tdkvs local: a master and
#                  three volumes, one copy of each value, as the others keep; valueCache: 64MiB, which holds
#                  S1's values), java-nocache = the same with the master's cache of small values off
#                  (valueCache: 0); base and base-nocache = the same two run from the build in BASE (another
#                  checkout of this project, built), to measure a change against it; seed = the Go original, mkv1 = minikeyvalue with one replica, nginx = one
#                  plain nginx (the "physical limit")
#       SCENARIOS  default "S1 S2 S3 S4": S1 = 1 KiB values (20,000 PUT, 10 s GET, 5,000 DELETE, c16);
#                  S2 = 1 MiB values (300 PUT, 10 s GET, c4); S3 = 20,000 x 1 KiB on three volumes, then
#                  a fourth added (java: online, right after the master's start; seed, mkv1: their own way);
#                  S4 = S1's values with every key read once before the 10 s GET (a warm working set)
#
# Each round starts every system on fresh data, one after the other (A B C D, A B C D, ...). java is
# warmed with one discarded S1 pass (about 60 s of load) before its measured ones; the first pass's
# figures are kept apart as "cold". Prints median [min-max] tables per system and ratios paired within
# a round, plus java's start time (launch to all four ready), resident memory (RSS/PSS) and value cache figures
# (hits, misses, hit ratio) after the loads.
#
# Needs BENCH=<folder of kv-load.sh, kv-summary.py>, wrk (installed from Debian's packages when missing) and the peers its peers/setup.sh built
# (PEERS=<folder of peer.sh>, default $BENCH/peers). Everything binds to and targets 127.0.0.1;
# ports 4100-4160; data under OUT (default a fresh folder in /tmp), which keeps every run's output.
set -euo pipefail
rounds="${1:-3}" systems="${2:-java java-nocache seed mkv1 nginx}" scenarios="${3:-S1 S2 S3 S4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/local.sh"
bench="${BENCH:?set BENCH to the folder of kv-load.sh and kv-summary.py}"
peers="${PEERS:-$bench/peers}"
# kv-load.sh's PUT, GET and DELETE phases run wrk: without it they print errors=-1 and every table is void
if ! command -v "${WRK:-wrk}" > /dev/null; then
  echo "compare: installing wrk from Debian's packages (the harness's load client)" >&2
  "$root/bench/debian-install.sh" wrk > /dev/null || { echo "compare: wrk is needed and could not be installed" >&2; exit 2; }
fi
out="${OUT:-$(mktemp -d /tmp/tdkvs-compare.XXXX)}"
mkdir -p "$out"
chmod o+x "$out"
mkdir -p "$out/results"
base=4100
java_pid="" java_ready="" java_home="$root"

log() { echo "[compare] $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  [ -n "$java_pid" ] && stop_java || true
  for d in "$out"/run/*; do [ -d "$d" ] && "$peers/peer.sh" stop "$d" > /dev/null 2>&1 || true; done
}
trap cleanup EXIT

load() { # SYSTEM URL SCENARIO [extra kv-load args]
  local system=$1 url=$2 scenario=$3; shift 3
  local style=rest suffix=()
  case "$system" in java) style=seed ;; seed) style=seed; suffix=(--get-suffix '?as=string') ;; esac
  case "$scenario" in
    S1) "$bench/kv-load.sh" --url "$url" --style "$style" "${suffix[@]}" --size 1024 --keys 20000 --conc 16 \
          --duration 10 --del-keys 5000 --java-get always "$@" ;;
    S4) "$bench/kv-load.sh" --url "$url" --style "$style" "${suffix[@]}" --size 1024 --keys 20000 --conc 16 \
          --duration 10 --sample 20000 --java-get always --phases put,verify,get,get_follow "$@" ;;
    S2) "$bench/kv-load.sh" --url "$url" --style "$style" "${suffix[@]}" --size 1048576 --keys 300 --conc 4 \
          --duration 10 --java-get always --phases put,verify,get,get_follow "$@" ;;
  esac
}

start_java() { # DIR PORT [MASTER SETTING]: sets java_pid, and java_ready to the seconds from launch to all four ready
  local dir=$1 port=$2 started
  if [ ! -f "$dir/master.yaml" ]; then
    write_local_configs "$dir" "$port" 1
    [ $# -lt 3 ] || echo "$3" >> "$dir/master.yaml"
  fi
  started=$(now)
  TDKVS_LOCAL_PORT=$port "$java_home/tdkvs" local "$dir" > "$dir.out" 2>&1 &
  java_pid=$!
  for _ in $(seq 1 600); do
    grep -q "tdkvs: ready:" "$dir.out" && { java_ready=$(since "$started"); return; }
    kill -0 "$java_pid" 2> /dev/null || { cat "$dir.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "java did not start; see $dir.out" >&2
  exit 1
}

stop_java() {
  kill -TERM "$java_pid" 2> /dev/null || true
  wait "$java_pid" 2> /dev/null || true
  java_pid=""
}

rss_mib() { # DIR: the resident memory of each server of the java cluster, in MiB: RSS, and its proportional share
  local pid      # (PSS: a page that N servers map counts 1/N to each, as the start-up cache's file pages are)
  for pid in $(pgrep -f -- "-Dtdkvs.config=$1/"); do
    awk -v n="$(tr '\0' ' ' < "/proc/$pid/cmdline" | grep -o 'tdkvs.config=[^ ]*' | sed 's#.*/##')" \
      '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "%s=%d/pss%d ", n, r / 1024, p / 1024 }' "/proc/$pid/smaps_rollup"
  done
}

migrate_java() { # DIR PORT: adds a fourth volume online; prints the migration's seconds and keys moved
  local dir=$1 port=$2 token status
  mkdir -p "$dir-extra"
  printf 'port: %d\npath: %s\nsecret: %s\n' "$((port + 4))" "$dir-extra/volume4" "$bench_secret" > "$dir-extra/volume4.yaml"
  "$root/tdkvs" volume -config="$dir-extra/volume4.yaml" > "$dir-extra/volume4.log" 2>&1 &
  local volume=$!
  for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$((port + 4))/health/ready" && break; sleep 0.1; done
  token=$(cat "$dir/admin-token")
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $token" --data "{\"url\": \"http://127.0.0.1:$((port + 4))\"}" \
    "http://127.0.0.1:$port/admin/volumes"
  for _ in $(seq 1 3000); do
    status=$(curl -fs "http://127.0.0.1:$port/admin/migration")
    case "$status" in *'"state":"done"'* | *'"state":"failed"'*) break ;; esac
    sleep 0.1
  done
  python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print("migrate_s=%s moved=%s state=%s" % (s["seconds"], s["moved"], s["state"]))' "$status"
  kill -TERM "$volume"; wait "$volume" 2> /dev/null || true
}

cache_figures() { # PORT: the master's value cache figures, and its hit ratio
  curl -fs "http://127.0.0.1:$1/metrics" | awk '
    /^tdkvs_value_cache_(hits|misses|bytes|entries)[ {]/ { sub(/\{.*\}/, "", $1); v[$1] = $2 }
    END { h = v["tdkvs_value_cache_hits"]; m = v["tdkvs_value_cache_misses"]
          printf "hits=%d misses=%d hit_ratio=%.3f entries=%d bytes=%d", h, m, (h + m > 0 ? h / (h + m) : 0),
                 v["tdkvs_value_cache_entries"], v["tdkvs_value_cache_bytes"] }'
}

run_java() { # ROUND SYSTEM (java, or java-nocache: the master's value cache off; base, base-nocache: the same from BASE)
  local r=$1 system=$2 dir="$out/run/r$1-$2" port=$base file="$out/results/r$1-$2.txt" setting=()
  # java's cache holds S1's working set (its 20,000 values of 1 KiB take about 25 MiB); the default is a sixteenth of the heap
  case "$system" in java | base) setting=("valueCache: 64MiB") ;; java-nocache | base-nocache) setting=("valueCache: 0") ;; esac
  java_home=$root
  case "$system" in base*) java_home="${BASE:?set BASE to another built checkout of this project}" ;; esac
  mkdir -p "$out/run"
  log "round $r: $system"
  start_java "$dir" "$port" "${setting[@]}"
  echo "# round=$r system=$system start_s=$java_ready" >> "$file"
  if [[ " $scenarios " == *" S1 "* || " $scenarios " == *" S2 "* || " $scenarios " == *" S4 "* ]]; then
    # the warm-up deletes every key it wrote, so that the measured passes find the value cache empty
    { echo "# round=$r system=$system-cold"; echo "# scenario=S1"; load java "http://127.0.0.1:$port" S1 --prefix cold_ --del-keys 20000; } \
      >> "$out/results/r$r-$system-cold.txt"
    for s in S1 S2 S4; do
      [[ " $scenarios " == *" $s "* ]] || continue
      { echo "# scenario=$s"; load java "http://127.0.0.1:$port" "$s" --prefix "m${s}_"; } >> "$file"
    done
    echo "# round=$r system=$system rss_mib: $(rss_mib "$dir")" >> "$file"
    echo "# round=$r system=$system value_cache: $(cache_figures "$port")" >> "$file"
  fi
  stop_java
  if [[ " $scenarios " == *" S3 "* && "$system" = java ]]; then
    local s3="$out/run/r$r-java-s3"
    start_java "$s3" "$((port + 10))"
    load java "http://127.0.0.1:$((port + 10))" S1 --phases put --prefix s3_ > /dev/null
    stop_java
    start_java "$s3" "$((port + 10))"
    echo "# round=$r system=java S3 $(migrate_java "$s3" "$((port + 10))")" >> "$file"
    stop_java
  fi
}

run_peer() { # ROUND SYSTEM
  local r=$1 system=$2 peer=$2 file="$out/results/r$1-$2.txt" port=$((base + 40))
  [ "$system" = seed ] && peer=tdkvs
  log "round $r: $system"
  local dir="$out/run/r$r-$system"
  "$peers/peer.sh" start "$peer" "$port" "$dir" > /dev/null
  echo "# round=$r system=$system" >> "$file"
  for s in S1 S2 S4; do
    [[ " $scenarios " == *" $s "* ]] || continue
    { echo "# scenario=$s"; load "$system" "http://127.0.0.1:$port" "$s" --prefix "m${s}_"; } >> "$file"
  done
  "$peers/peer.sh" stop "$dir" > /dev/null
  if [[ " $scenarios " == *" S3 "* && "$system" != nginx ]]; then
    local s3="$out/run/r$r-$system-s3"
    "$peers/peer.sh" start "$peer" "$((port + 10))" "$s3" > /dev/null
    load "$system" "http://127.0.0.1:$((port + 10))" S1 --phases put --prefix s3_ > /dev/null
    "$peers/peer.sh" add-volume "$s3" > /dev/null
    echo "# round=$r system=$system S3 $("$peers/peer.sh" rebalance "$s3" | grep -o 'rebalance_s=[0-9.]*')" >> "$file"
    "$peers/peer.sh" stop "$s3" > /dev/null
  fi
}

for r in $(seq 1 "$rounds"); do
  for system in $systems; do
    case "$system" in java | java-nocache | base | base-nocache) run_java "$r" "$system" ;; *) run_peer "$r" "$system" ;; esac
  done
done

cd "$out/results"
echo "== medians [min-max] over $rounds rounds ($out/results)"
"$bench/kv-summary.py" --metrics ops_per_s,mb_per_s,p50_ms,p99_ms,errors r*.txt
for peer in seed mkv1 java-nocache base-nocache; do
  [[ " $systems " == *" $peer "* && " $systems " == *" java"* ]] || continue
  echo "== each system / $peer, paired within each round"
  "$bench/kv-summary.py" --ratio "$peer" --metrics ops_per_s,mb_per_s $(ls r*.txt | grep -v cold)
done
echo "== start, memory, S3"
grep -h "start_s=\|rss_mib\|value_cache\|S3 " r*.txt | sort
