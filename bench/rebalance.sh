#!/usr/bin/env bash
# Measures rebalances as the S3 scenario does: <keys> values of <size> bytes on three volumes, then a
# fourth volume added through the admin API while the master runs, then drained again. With
# <rounds> > 1 it repeats that with a new fourth volume each time (the JIT warms up). Prints each
# migration's own figures (keys moved, seconds, keys/s), the blobs per volume, and then checks
# every key byte for byte.
#
#   bench/rebalance.sh [<keys> [<size> [<workers> [<rounds>]]]]    (after: mvn -q -DskipTests package)
#
# Needs the load client of the bench harness: KVCLIENT=<path to KvClient.java>. Everything binds
# to 127.0.0.1, ports 3100-3110; data in a fresh temporary folder, removed at the end.
set -euo pipefail
keys="${1:-20000}" size="${2:-1024}" workers="${3:-4}" rounds="${4:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
client="${KVCLIENT:?set KVCLIENT to the KvClient.java of the bench harness}"
dir="$(mktemp -d)" pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
token=bench-token-0123456789
master=http://127.0.0.1:3100
volumes=$((3 + rounds))
for i in $(seq 1 "$volumes"); do
  printf 'port: %d\npath: %s\n' "$((3100 + i))" "$dir/volume$i" > "$dir/volume$i.yaml"
  "$root/tdkvs" volume -config="$dir/volume$i.yaml" > "$dir/volume$i.log" 2>&1 &
  pids+=($!)
done
printf 'port: 3100\nvolumes: [http://127.0.0.1:3101, http://127.0.0.1:3102, http://127.0.0.1:3103]\nworkers: %d\ntoken: %s\n' \
  "$workers" "$token" > "$dir/master.yaml"
wait_for() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done; echo "no answer from $1" >&2; exit 1; }
for i in $(seq 1 "$volumes"); do wait_for "http://127.0.0.1:$((3100 + i))/status"; done
"$root/tdkvs" master -config="$dir/master.yaml" > "$dir/master.log" 2>&1 &
pids+=($!)
wait_for $master/health/ready
java "$client" --base $master --phase put --keys "$keys" --from 0 --to "$keys" --size "$size" --conc 16 --prefix s3- --duration 600
cpu() { for pid in "${pids[@]}"; do awk '{printf "%d ", $14 + $15}' "/proc/$pid/stat" 2>/dev/null || printf '0 '; done; }
migrate() {
  local before; before="$(cpu)"
  curl -fsS -X POST -H "Authorization: Bearer $token" --data "{\"url\": \"http://127.0.0.1:$2\"}" "$master/admin/$1" > /dev/null
  while curl -fsS $master/admin/migration | grep -q '"state":"\(running\|paused\)"'; do sleep 0.1; done
  curl -fsS $master/admin/migration | python3 -c 'import json,sys; m=json.load(sys.stdin); print("%-8s %-5s moved %d of %d keys in %.2f s (%.0f keys/s), errors %d" % (sys.argv[1], m["state"], m["moved"], m["total"], m["seconds"], m["keysPerSecond"], m["errors"]))' "$1"
  python3 -c 'import sys; b, a = map(str.split, sys.argv[1:3]); print("CPU s, volumes then master: " + " ".join("%.2f" % ((int(y) - int(x)) / 100) for x, y in zip(b, a)))' "$before" "$(cpu)"
  for i in $(seq 1 "$volumes"); do printf '%s ' "$(find "$dir/volume$i/blobs" -type f | wc -l)"; done; echo "blobs per volume"
}
for r in $(seq 1 "$rounds"); do
  migrate volumes $((3103 + r))
  migrate volumes/drain $((3103 + r))
done
java "$client" --base $master --phase verify --from 0 --to "$keys" --size "$size" --conc 16 --prefix s3- --duration 600
