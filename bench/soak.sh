#!/usr/bin/env bash
# The soak: ./tdkvs local --restart (a master and three volumes keeping two copies of each value, a
# cluster secret) under mixed load for MINUTES while faults come and go, then every acknowledged write
# checked byte for byte (bench/Soak.java says what it does and prints).
#
#   bench/soak.sh [MINUTES]      (after: mvn -q -DskipTests package; default 30)
#
# Binds to and targets 127.0.0.1 only: the master on SOAK_PORT (default 4600), its volumes on the next
# three, a fourth added during the run on SOAK_PORT + 4; data and logs under OUT (default a fresh folder
# in /tmp). Exits 0 when every goal is met, 1 when one is missed, 2 when the cluster did not start.
set -euo pipefail
minutes="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${SOAK_PORT:-4600}"
out="${OUT:-$(mktemp -d /tmp/tdkvs-soak.XXXX)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
dir="$out/cluster"
shared=$(ls "$root"/payara-config/shared/target/shared-*.jar 2> /dev/null | head -1)
[ -n "$shared" ] || { echo "soak: not built yet; run: mvn -q -DskipTests package" >&2; exit 2; }

TDKVS_LOCAL_PORT=$port "$root/tdkvs" local --restart "$dir" > "$out/local.out" 2>&1 &
local_pid=$!
finish() {
  pkill -CONT -f -- "-Dtdkvs.config=$dir/" 2> /dev/null || true
  kill -TERM "$local_pid" 2> /dev/null || true
  wait "$local_pid" 2> /dev/null || true
  pkill -TERM -f -- "-Dtdkvs.config=$dir/" 2> /dev/null || true
}
trap finish EXIT
for _ in $(seq 1 3000); do
  grep -q "tdkvs: ready:" "$out/local.out" && break
  kill -0 "$local_pid" 2> /dev/null || { cat "$out/local.out" >&2; exit 2; }
  sleep 0.1
done
grep -q "tdkvs: ready:" "$out/local.out" || { echo "soak: the cluster did not start; see $out" >&2; exit 2; }
echo "soak: cluster ready in $dir; $minutes minutes of load and faults" >&2
java -Dtdkvs.home="$root" -cp "$shared" "$root/bench/Soak.java" "$dir" "$minutes"
