#!/usr/bin/env bash
# One large object through `aws s3 cp` (Debian's awscli: multipart, 8 MiB parts, 10 at a time) against the
# native API through curl (one streamed PUT, one GET), on a running local cluster (./tdkvs local):
# ROUNDS interleaved rounds (native up, aws up, native down, aws down), every download compared with the
# file sent, then the medians and the ratios of rates aws / native, paired within each round.
#
#   bench/s3-large.sh [ROUNDS=3] [MIB=1024] [local cluster folder=./local]
set -euo pipefail
rounds="${1:-3}" mib="${2:-1024}" dir="${3:-local}"
[ -f "$dir/s3.env" ] || { echo "s3-large: no $dir/s3.env: run ./tdkvs local first (a new cluster serves S3)" >&2; exit 2; }
port="$(sed -n 's/^port: *//p' "$dir/master.yaml" | head -1)"
[ -n "$port" ] || { echo "s3-large: no port in $dir/master.yaml" >&2; exit 2; }
if [ ! -x /usr/bin/aws ]; then
  echo "s3-large: installing awscli from Debian's packages" >&2
  "$(dirname "${BASH_SOURCE[0]}")/debian-install.sh" awscli > /dev/null
fi
unset AWS_CA_BUNDLE AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SHARED_CREDENTIALS_FILE || true
set -a; . "$dir/s3.env"; set +a
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE="$work/aws-config"
: > "$work/aws-config"
native="http://127.0.0.1:$port"
aws=(/usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL")
bucket="s3large-$$"
head -c $((mib << 20)) /dev/urandom > "$work/up"
"${aws[@]}" s3 mb "s3://$bucket" > /dev/null
seconds() { # seconds <command...>: runs it, prints how long it took
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null || { echo "s3-large: failed (status $?): $*" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
checked() { cmp -s "$work/up" "$work/down" || { echo "s3-large: the $1 download differs from the file sent" >&2; exit 1; }; rm -f "$work/down"; }
results=()
for round in $(seq 1 "$rounds"); do
  t1=$(seconds curl -sf -X PUT -T "$work/up" "$native/set/$bucket/native")
  t2=$(seconds "${aws[@]}" s3 cp --only-show-errors "$work/up" "s3://$bucket/aws")
  t3=$(seconds curl -sf -o "$work/down" "$native/get/$bucket/native"); checked native
  t4=$(seconds "${aws[@]}" s3 cp --only-show-errors "s3://$bucket/aws" "$work/down"); checked aws
  echo "round $round: up native ${t1} s, aws ${t2} s; down native ${t3} s, aws ${t4} s"
  results+=("$t1 $t2 $t3 $t4")
done
curl -sf -X DELETE "$native/delete/$bucket/native" > /dev/null
"${aws[@]}" s3 rb --force "s3://$bucket" > /dev/null
printf '%s\n' "${results[@]}" | MIB="$mib" python3 -c '
import os, statistics, sys
mib = int(os.environ["MIB"])
rows = [[float(x) for x in line.split()] for line in sys.stdin if line.strip()]
for name, n, a in (("up", 0, 1), ("down", 2, 3)):
    native = [r[n] for r in rows]
    aws = [r[a] for r in rows]
    ratios = [r[n] / r[a] for r in rows]
    print(f"{name}: native median {statistics.median(native):.2f} s ({mib / statistics.median(native):.0f} MiB/s), "
          f"aws median {statistics.median(aws):.2f} s ({mib / statistics.median(aws):.0f} MiB/s), "
          f"aws/native rate ratio median {statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]")
'
