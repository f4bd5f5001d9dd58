#!/usr/bin/env bash
# What copies cost and how fast a lost volume's copies come back: local clusters side by side, keeping
# 1, 2 and 3 copies of each value (or those CLUSTERS names), measured in interleaved rounds; then a
# repair timed.
#
#   bench/replicas.sh [ROUNDS [KEYS [CLUSTERS]]]     (after: mvn -q -DskipTests package)
#       CLUSTERS  default "R1 R2 R3"; "R1 R2" gives twice the rounds for the same time
#
# Each cluster is a master and three volumes (./tdkvs local with configs written here). Each is warmed
# with 20,000 PUTs and 20 s of GET, then 20,000 more PUTs, of 1 KiB values at c16 (the JIT still
# compiles after the first 40 s), then each round measures, R=1, R=2, R=3 in turn: PUT of 10,000 new
# 1 KiB keys at c16, and 10 s of GET at c16 on the warm keys. Only the cluster being loaded runs; the
# others are stopped (SIGSTOP) meanwhile. Prints median [min-max] per cluster and ratios to R=1 paired
# within a round.
#
# Then the repair, on a new cluster keeping two copies of KEYS (default 7,500) keys on three volumes,
# so that each volume holds about 5,000 copies: the third volume's blob files are deleted while it
# runs (a disk replaced) and a verify is asked for (POST /admin/verify), timed until it is done and no
# repair is pending; then the second volume stops answering (SIGSTOP: a dead server) and is removed
# (POST /admin/volumes/remove), timed until the migration that re-makes its copies from the others is
# done, and every key is read back.
#
# Needs BENCH=<folder of kv-load.sh and kv-summary.py>. Binds to and targets 127.0.0.1 only, ports
# 4200-4203, 4220-4223, 4240-4243 and 4260-4263; data under OUT (default a fresh folder in /tmp).
set -euo pipefail
rounds="${1:-3}" keys="${2:-7500}" clusters="${3:-R1 R2 R3}"
declare -A port=([R1]=4200 [R2]=4220 [R3]=4240) copies=([R1]=1 [R2]=2 [R3]=3)
for c in $clusters; do
  [[ -v "port[$c]" ]] || { echo "unknown cluster $c: CLUSTERS takes R1, R2, R3" >&2; exit 2; }
done
[[ " $clusters " == *" R1 "* ]] || { echo "CLUSTERS must include R1, the base of the ratios" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH:?set BENCH to the folder of kv-load.sh and kv-summary.py}"
out="${OUT:-$(mktemp -d /tmp/tdkvs-replicas.XXXX)}"
mkdir -p "$out/results" "$out/run"
out="$(cd "$out" && pwd)"
source "$root/bench/local.sh"
trap stop_local_clusters EXIT

log() { echo "[replicas] $(date +%T) $*" >&2; }

field() { # JSON FIELD: a number or string field of a flat JSON object
  grep -o "\"$2\":[^,}]*" <<< "$1" | head -1 | cut -d: -f2 | tr -d '"'
}

for c in $clusters; do
  log "starting $c"
  write_local_configs "$out/run/$c" "${port[$c]}" "${copies[$c]}"
  start_local "$c" "${port[$c]}"
  pause_local "$c"
done
for c in $clusters; do
  log "warming $c"
  resume_local "$c"
  load_local "${port[$c]}" --phases put,get --keys 20000 --conc 16 --duration 20 --prefix warm_ > /dev/null
  load_local "${port[$c]}" --phases put --keys 20000 --conc 16 --prefix warm2_ > /dev/null
  pause_local "$c"
done
for r in $(seq 1 "$rounds"); do
  for c in $clusters; do
    log "round $r: $c"
    resume_local "$c"
    {
      echo "# round=$r system=$c"
      load_local "${port[$c]}" --phases put --keys 10000 --conc 16 --prefix "r${r}_"
      load_local "${port[$c]}" --phases get --keys 20000 --conc 16 --duration 10 --prefix warm_
    } >> "$out/results/r$r-$c.txt"
    pause_local "$c"
  done
done

log "repair: a new cluster keeping 2 copies of $keys keys"
write_local_configs "$out/run/D" 4260 2
start_local D 4260
load_local 4260 --phases put --keys "$keys" --conc 16 --prefix repair_ > /dev/null
master="http://127.0.0.1:4260"
seconds_since() { echo "$(date +%s.%N) - $1" | bc; }
deadline=$((SECONDS + 900))
in_time() { ((SECONDS < deadline)) || { echo "the repair did not end within 15 minutes; see $out/run/D" >&2; exit 1; }; }

wiped=$(find "$out/run/D/volume3/blobs" -type f | wc -l)
log "repair: deleting the $wiped blob files of the third volume, then a verify"
find "$out/run/D/volume3/blobs" -type f -delete
started=$(date +%s.%N)
until curl -sf -X POST -H "Authorization: Bearer $bench_token" "$master/admin/verify" > /dev/null; do in_time; sleep 0.2; done
while in_time; do
  verify=$(curl -sf "$master/admin/verify")
  [[ $(field "$verify" state) != running && $(field "$verify" repairsPending) == 0 ]] && break
  sleep 0.2
done
verified=$(seconds_since "$started")
back=$(find "$out/run/D/volume3/blobs" -type f | wc -l)

held=$(find "$out/run/D/volume2/blobs" -type f | wc -l)
log "repair: the second volume, holding $held copies, stops answering (SIGSTOP) and is removed"
pkill -STOP -f -- "-Dtdkvs.config=$out/run/D/volume2.yaml"
started=$(date +%s.%N)
curl -sS --fail-with-body -X POST -H "Authorization: Bearer $bench_token" -H 'Content-Type: application/json' \
  -d '{"url": "http://127.0.0.1:4262"}' "$master/admin/volumes/remove" > /dev/null
while in_time; do
  migration=$(curl -sf "$master/admin/migration")
  [[ $(field "$migration" state) == done ]] && break
  sleep 0.2
done
removed=$(seconds_since "$started")
load_local 4260 --phases verify --keys "$keys" --sample "$keys" --prefix repair_ > "$out/results/removed-verify.txt"

cd "$out/results"
echo "== medians [min-max] over $rounds rounds; 1 KiB values, c16, three volumes each ($out/results)"
"$bench/kv-summary.py" --metrics ops_per_s,p50_ms,p99_ms,errors r*.txt
echo "== R2 and R3 / R1, paired within each round"
"$bench/kv-summary.py" --ratio R1 --metrics ops_per_s r*.txt
echo "== repair (R=2, three volumes, $keys keys; $out/run/D)"
printf '  the third volume'"'"'s %s blob files deleted: every copy back %.1f s after a verify was asked for (%s found missing, %s files again)\n' \
  "$wiped" "$verified" "$(field "$verify" missing)" "$back"
printf '  the second volume (%s copies) dead and removed: every copy re-made %.1f s after the removal was asked for (%s moved); %s\n' \
  "$held" "$removed" "$(field "$migration" moved)" "$(grep -o 'phase=verify.*' "$out/results/removed-verify.txt" | grep -o 'verified=[0-9]* verify_fail=[0-9]*')"
