#!/usr/bin/env bash
# Measures a rebalance as the S3 scenario does: <keys> values of <size> bytes on three volumes, then a
# fourth volume added through the admin API while the master runs. Prints the migration's own
# figures (keys moved, seconds, keys/s) and then checks every key byte for byte.
#
#   bench/rebalance.sh [<keys> [<size> [<workers>]]]     (run after: mvn -q -DskipTests package)
#
# Needs the load client of the bench harness: KVCLIENT=<path to KvClient.java>. Everything binds
# to 127.0.0.1, ports 3100-3104; data in a fresh temporary folder, removed at the end.
set -euo pipefail
keys="${1:-20000}" size="${2:-1024}" workers="${3:-4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
client="${KVCLIENT:?set KVCLIENT to the KvClient.java of the bench harness}"
dir="$(mktemp -d)" pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
token=bench-token-0123456789
for i in 1 2 3 4; do
  printf 'port: %d\npath: %s\n' "$((3100 + i))" "$dir/volume$i" > "$dir/volume$i.yaml"
  "$root/tdkvs" volume -config="$dir/volume$i.yaml" > "$dir/volume$i.log" 2>&1 &
  pids+=($!)
done
printf 'port: 3100\nvolumes: [http://127.0.0.1:3101, http://127.0.0.1:3102, http://127.0.0.1:3103]\nworkers: %d\ntoken: %s\n' \
  "$workers" "$token" > "$dir/master.yaml"
wait_for() { for _ in $(seq 1 180); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done; echo "no answer from $1" >&2; exit 1; }
for i in 1 2 3 4; do wait_for "http://127.0.0.1:$((3100 + i))/status"; done
"$root/tdkvs" master -config="$dir/master.yaml" > "$dir/master.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:3100/health/ready
java "$client" --base http://127.0.0.1:3100 --phase put --keys "$keys" --from 0 --to "$keys" --size "$size" --conc 16 --prefix s3- --duration 600
curl -fsS -X POST -H "Authorization: Bearer $token" --data '{"url": "http://127.0.0.1:3104"}' http://127.0.0.1:3100/admin/volumes > /dev/null
while curl -fsS http://127.0.0.1:3100/admin/migration | grep -q '"state":"running"'; do sleep 0.2; done
curl -fsS http://127.0.0.1:3100/admin/migration; echo
grep -E "keys to move|keys moved in" "$dir/master.log" | sed 's/^.*\(rebalance\)/\1/' | cut -c1-200
for i in 1 2 3 4; do echo "volume$i: $(find "$dir/volume$i/blobs" -type f | wc -l) blobs"; done
java "$client" --base http://127.0.0.1:3100 --phase verify --from 0 --to "$keys" --size "$size" --conc 16 --prefix s3- --duration 600
