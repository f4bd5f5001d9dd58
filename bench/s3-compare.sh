#!/usr/bin/env bash
# PutObject and GetObject of small values through the S3 endpoint against PUT and GET of the native API,
# on a running local cluster (./tdkvs local), with one client (bench/S3Load.java) for both: a warm-up of
# 40 s, then ROUNDS interleaved rounds (native PUT, S3 PUT, native GET, S3 GET; SECONDS each; the second
# round S3 first, and so on), medians and the ratios S3 / native paired within each round. Each measured run
# starts with 5 s of the same load, not counted, so that the new client JVM's JIT compilation (it compiles more
# for S3: the signing) is not measured as the server's cost.
#
#   bench/s3-compare.sh [ROUNDS=3] [SECONDS=15] [SIZE=1024] [local cluster folder=./local]
set -euo pipefail
rounds="${1:-3}" seconds="${2:-15}" size="${3:-1024}" dir="${4:-local}"
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$dir/s3.env" ] || { echo "s3-compare: no $dir/s3.env: run ./tdkvs local first (a new cluster serves S3)" >&2; exit 2; }
set -a; . "$dir/s3.env"; set +a
port="$(sed -n 's/^port: *//p' "$dir/master.yaml" | head -1)"
[ -n "$port" ] || { echo "s3-compare: no port in $dir/master.yaml" >&2; exit 2; }
load() { # load <api> <phase> <seconds> [<seconds of warm-up first, not counted>]
  local base="http://127.0.0.1:$port"
  [ "$1" = s3 ] && base="$AWS_ENDPOINT_URL"
  java "$home/bench/S3Load.java" --api "$1" --phase "$2" --seconds "$3" --warmup "${4:-0}" --size "$size" --keys 2000 --conc 16 --base "$base" \
    --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" --region "$AWS_REGION"
}
rate() { sed -n 's/.* ops_per_s=\([0-9]*\) .*/\1/p'; }
load native fill 0 > /dev/null
load s3 fill 0 > /dev/null
echo "s3-compare: warm-up, 40 s" >&2
for api in native s3; do load "$api" put 10 > /dev/null; load "$api" get 10 > /dev/null; done
results=()
for round in $(seq 1 "$rounds"); do
  order="native s3"
  [ $((round % 2)) -eq 0 ] && order="s3 native" # which goes first alternates, so neither has the same place every round
  for phase in put get; do
    for api in $order; do
      line="$(load "$api" "$phase" "$seconds" 5)"
      echo "round $round: $line"
      results+=("$round $phase $api $(echo "$line" | rate)")
    done
  done
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [line.split() for line in sys.stdin if line.strip()]
by = {}
for r, phase, api, rate in rows:
    by.setdefault(phase, {}).setdefault(api, {})[r] = float(rate)
for phase in ("put", "get"):
    n, s = by[phase]["native"], by[phase]["s3"]
    ratios = [s[r] / n[r] for r in n if n[r] > 0]
    print(f"{phase}: native median {statistics.median(n.values()):.0f} ops/s, S3 median {statistics.median(s.values()):.0f} ops/s, "
          f"S3/native paired ratio median {statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]")
'
