#!/usr/bin/env bash
# How the cost of PUT and GET grows with the index: two local clusters side by side, one holding
# SMALL keys (default 20,000) and one LARGE (default 1,000,000), measured in interleaved rounds.
#
#   bench/growth.sh [ROUNDS [SMALL [LARGE]]]     (after: mvn -q -DskipTests package)
#
# Both clusters (./tdkvs local: a master and three volumes, one copy of each value) are filled with 1 KiB values through
# the HTTP API (the large one at c32, which takes a while), then warmed with one discarded S1-sized
# pass (20,000 PUT and 10 s of GET, about 40 s of load). Each round then measures, small cluster
# first, large second: PUT of 10,000 new 1 KiB keys at c16, and 10 s of GET at c16 on random keys of
# the whole filled set (so the large cluster's reads range over all its keys). Prints median
# [min-max] per cluster and large/small ratios paired within a round, and each cluster's RSS. Only the
# cluster being loaded runs; the other is stopped (SIGSTOP) meanwhile.
#
# Needs BENCH=<folder of kv-load.sh and kv-summary.py>. Binds to and targets 127.0.0.1 only, ports
# 4100-4104 and 4120-4124; data under OUT (default a fresh folder in /tmp); about 4.5 GB of disk for
# a million 1 KiB values (one 4 KiB block each).
set -euo pipefail
rounds="${1:-3}" small="${2:-20000}" large="${3:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH:?set BENCH to the folder of kv-load.sh and kv-summary.py}"
out="${OUT:-$(mktemp -d /tmp/tdkvs-growth.XXXX)}"
mkdir -p "$out/results" "$out/run"
out="$(cd "$out" && pwd)"
source "$root/bench/local.sh"
trap stop_local_clusters EXIT

log() { echo "[growth] $(date +%T) $*" >&2; }

rss_mib() { # NAME
  local pid
  for pid in $(pgrep -f -- "-Dtdkvs.config=$out/run/$1/"); do
    awk -v n="$(tr '\0' ' ' < "/proc/$pid/cmdline" | grep -o 'tdkvs.config=[^ ]*' | sed 's#.*/##')" \
      '/VmRSS/ { printf "%s=%d ", n, $2 / 1024 }' "/proc/$pid/status"
  done
}

declare -A port=([small]=4100 [large]=4120) keys=([small]=$small [large]=$large)
for c in small large; do
  log "starting $c"
  start_local "$c" "${port[$c]}"
  pause_local "$c"
done
for c in small large; do
  log "filling $c with ${keys[$c]} keys"
  resume_local "$c"
  load_local "${port[$c]}" --phases put --keys "${keys[$c]}" --conc 32 --prefix fill_ --max-secs 7200 \
    | tee "$out/results/fill-$c.txt" | grep '^phase=' >&2
  log "warming $c"
  load_local "${port[$c]}" --phases put,get --keys 20000 --conc 16 --duration 10 --prefix warm_ > /dev/null
  pause_local "$c"
done
for r in $(seq 1 "$rounds"); do
  for c in small large; do
    log "round $r: $c"
    resume_local "$c"
    {
      echo "# round=$r system=$c"
      load_local "${port[$c]}" --phases put --keys 10000 --conc 16 --prefix "r${r}_"
      load_local "${port[$c]}" --phases get --keys "${keys[$c]}" --conc 16 --duration 10 --prefix fill_
    } >> "$out/results/r$r-$c.txt"
    pause_local "$c"
  done
done
cd "$out/results"
echo "== medians [min-max] over $rounds rounds; index: small $small keys, large $large keys ($out/results)"
"$bench/kv-summary.py" --metrics ops_per_s,p50_ms,p99_ms,errors r*.txt
echo "== large / small, paired within each round"
"$bench/kv-summary.py" --ratio small --metrics ops_per_s r*.txt
echo "== fill"
grep -h '^phase=put' fill-*.txt | sed 's/^/  /'
echo "== RSS after the rounds (MiB)"
for c in small large; do echo "  $c: $(rss_mib "$c")"; done
