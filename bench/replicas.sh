#!/usr/bin/env bash
# What copies cost and how fast a lost volume's copies come back: three local clusters side by side,
# keeping 1, 2 and 3 copies of each value, measured in interleaved rounds; then a repair timed.
#
#   bench/replicas.sh [ROUNDS [KEYS]]     (after: mvn -q -DskipTests package)
#
# Each cluster is a master and three volumes (./tdkvs local with configs written here). Each is warmed
# with about 40 s of load (PUT and GET of 1 KiB values at c16), then each round measures, R=1, R=2,
# R=3 in turn: PUT of 10,000 new 1 KiB keys at c16, and 10 s of GET at c16 on the warm keys. Prints
# median [min-max] per cluster and ratios to R=1 paired within a round.
#
# Then the repair: the R=2 cluster gets KEYS (default 7,500) more keys, so that each volume holds
# about 5,000 copies; one volume's blob files are deleted while it runs (a disk replaced), a verify
# is asked for (POST /admin/verify), and the time until the verify is done and no repair is pending
# is printed, with the copies it re-created.
#
# Needs BENCH=<folder of kv-load.sh and kv-summary.py>. Binds to and targets 127.0.0.1 only, ports
# 4200-4203, 4220-4223 and 4240-4243; data under OUT (default a fresh folder in /tmp).
set -euo pipefail
rounds="${1:-3}" keys="${2:-7500}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH:?set BENCH to the folder of kv-load.sh and kv-summary.py}"
out="${OUT:-$(mktemp -d /tmp/tdkvs-replicas.XXXX)}"
mkdir -p "$out/results" "$out/run"
source "$root/bench/local.sh"
trap stop_local_clusters EXIT

log() { echo "[replicas] $(date +%T) $*" >&2; }

field() { # JSON FIELD: a number or string field of a flat JSON object
  grep -o "\"$2\":[^,}]*" <<< "$1" | head -1 | cut -d: -f2 | tr -d '"'
}

declare -A port=([R1]=4200 [R2]=4220 [R3]=4240) copies=([R1]=1 [R2]=2 [R3]=3)
for c in R1 R2 R3; do
  log "starting $c"
  write_local_configs "$out/run/$c" "${port[$c]}" "${copies[$c]}"
  start_local "$c" "${port[$c]}"
done
for c in R1 R2 R3; do
  log "warming $c"
  load_local "${port[$c]}" --phases put,get --keys 20000 --conc 16 --duration 20 --prefix warm_ > /dev/null
done
for r in $(seq 1 "$rounds"); do
  for c in R1 R2 R3; do
    log "round $r: $c"
    {
      echo "# round=$r system=$c"
      load_local "${port[$c]}" --phases put --keys 10000 --conc 16 --prefix "r${r}_"
      load_local "${port[$c]}" --phases get --keys 20000 --conc 16 --duration 10 --prefix warm_
    } >> "$out/results/r$r-$c.txt"
  done
done

log "repair: filling R2 with $keys more keys"
load_local "${port[R2]}" --phases put --keys "$keys" --conc 16 --prefix repair_ > /dev/null
master="http://127.0.0.1:${port[R2]}"
lost=$(find "$out/run/R2/volume3/blobs" -type f | wc -l)
log "repair: deleting the $lost blob files of R2's third volume"
find "$out/run/R2/volume3/blobs" -type f -delete
started=$(date +%s.%N)
until curl -sf -X POST -H "Authorization: Bearer $bench_token" "$master/admin/verify" > /dev/null; do sleep 0.2; done
while :; do
  status=$(curl -sf "$master/admin/verify")
  [[ $(field "$status" state) != running && $(field "$status" repairsPending) == 0 ]] && break
  sleep 0.2
done
ended=$(date +%s.%N)
back=$(find "$out/run/R2/volume3/blobs" -type f | wc -l)

cd "$out/results"
echo "== medians [min-max] over $rounds rounds; 1 KiB values, c16, three volumes each ($out/results)"
"$bench/kv-summary.py" --metrics ops_per_s,p50_ms,p99_ms,errors r*.txt
echo "== R2 and R3 / R1, paired within each round"
"$bench/kv-summary.py" --ratio R1 --metrics ops_per_s r*.txt
echo "== repair of a volume whose $lost blob files were deleted (R=2, $(field "$status" keys) keys)"
printf '  verify asked to every copy back: %.1f s; verify found %s missing; %s blob files on the volume again\n' \
  "$(echo "$ended - $started" | bc)" "$(field "$status" missing)" "$back"
