#!/usr/bin/env bash
# One large object through `aws s3 cp` (Debian's awscli: multipart, 8 MiB parts, 10 at a time) against the
# native API through curl (one streamed PUT, one GET), on a running local cluster (./tdkvs local):
# ROUNDS interleaved rounds (up: native and aws, then down: native and aws, the first of each pair
# alternating between rounds), every download compared with the file sent, then the medians and the
# ratios of rates aws / native, paired within each round. Each transfer starts after a `sync`, so none is
# timed while the disk still takes the bytes of the one before. Each transfer's CPU time is counted too, its
# client's and the cluster's servers', per GiB: on a machine where the client shares the servers' cores, a
# client that needs more CPU per GiB is slower against any server, and the last lines say by how much.
#
# If nginx is installed, each round also downloads the file with curl and with aws from a plain nginx
# (127.0.0.1, static file, sendfile) that answers aws's HEAD and ranged GETs: what the two clients reach
# from a server that costs next to nothing, the ceiling of the aws / native ratio on this machine.
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
# The servers of the cluster, whose CPU time each transfer is charged with besides its client's.
servers="$(pgrep -d, -f -- "-Dtdkvs.config=$(cd "$dir" && pwd)/" || true)"
[ -n "$servers" ] || { echo "s3-large: no server of the cluster in $dir is running" >&2; exit 2; }
seconds() { # seconds <command...>: runs it after a sync; prints its seconds, its CPU seconds and the servers'
  sync
  python3 -c '
import os, resource, subprocess, sys, time
def servers():
    total = 0
    for pid in sys.argv[1].split(","):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")
def client():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
before, began, cpu = servers(), time.monotonic(), client()
status = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
elapsed, cpu, served = time.monotonic() - began, client() - cpu, servers() - before
if status:
    sys.exit(f"s3-large: failed (status {status}): {sys.argv[2:]}")
print(f"{elapsed:.2f} {cpu:.2f} {served:.2f}")
' "$servers" "$@"
}
checked() { cmp -s "$work/up" "$work/down" || { echo "s3-large: the $1 download differs from the file sent" >&2; exit 1; }; rm -f "$work/down"; }
nginx_port=""
if command -v nginx > /dev/null; then # the reference server: the file sent, as bucket/key under its root
  mkdir -p "$work/nginx/root/$bucket" "$work/nginx/temp"
  chmod 755 "$work" && chmod 644 "$work/up" # nginx's workers may run as another user
  ln "$work/up" "$work/nginx/root/$bucket/file"
  nginx_port=$((port + 97))
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/temp/body; proxy_temp_path $work/nginx/temp/proxy;
  fastcgi_temp_path $work/nginx/temp/fastcgi; uwsgi_temp_path $work/nginx/temp/uwsgi; scgi_temp_path $work/nginx/temp/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/root; }
}
CONF
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log" \
    || { echo "s3-large: nginx did not start on 127.0.0.1:$nginx_port" >&2; exit 1; }
  trap 'kill "$(cat "$work/nginx/nginx.pid" 2>/dev/null)" 2>/dev/null; sleep 0.2; rm -rf "$work"' EXIT
else
  echo "s3-large: no nginx here, so no reference server (apt-get install nginx to have one)" >&2
fi
results=()
for round in $(seq 1 "$rounds"); do
  native_up() { t1=$(seconds curl -sf -X PUT -T "$work/up" "$native/set/$bucket/native"); }
  aws_up() { t2=$(seconds "${aws[@]}" s3 cp --only-show-errors "$work/up" "s3://$bucket/aws"); }
  native_down() { t3=$(seconds curl -sf -o "$work/down" "$native/get/$bucket/native"); checked native; }
  aws_down() { t4=$(seconds "${aws[@]}" s3 cp --only-show-errors "s3://$bucket/aws" "$work/down"); checked aws; }
  if [ $((round % 2)) -eq 1 ]; then native_up; aws_up; native_down; aws_down; else aws_up; native_up; aws_down; native_down; fi
  took() { echo "${1%% *}"; }
  line="round $round: up native $(took "$t1") s, aws $(took "$t2") s; down native $(took "$t3") s, aws $(took "$t4") s"
  t5="0 0 0" t6="0 0 0"
  if [ -n "$nginx_port" ]; then
    t5=$(seconds curl -sf -o "$work/down" "http://127.0.0.1:$nginx_port/$bucket/file"); checked "nginx curl"
    t6=$(seconds /usr/bin/aws --endpoint-url "http://127.0.0.1:$nginx_port" s3 cp --only-show-errors "s3://$bucket/file" "$work/down")
    checked "nginx aws"
    line="$line; from nginx: curl $(took "$t5") s, aws $(took "$t6") s"
  fi
  echo "$line"
  results+=("$t1 $t2 $t3 $t4 $t5 $t6")
done
curl -sf -X DELETE "$native/delete/$bucket/native" > /dev/null
"${aws[@]}" s3 rb --force "s3://$bucket" > /dev/null
printf '%s\n' "${results[@]}" | MIB="$mib" CORES="$(nproc)" python3 -c '
import os, statistics, sys
mib, cores = int(os.environ["MIB"]), int(os.environ["CORES"])
# per round, per transfer (native up, aws up, native down, aws down, nginx curl, nginx aws): seconds, client CPU-s, servers CPU-s
rows = [[[float(x) for x in line.split()[i:i + 3]] for i in range(0, 18, 3)] for line in sys.stdin if line.strip()]
nginx = rows[0][4][0] > 0
median = statistics.median
pairs = [("up", 0, 1), ("down", 2, 3)] + ([("down from nginx", 4, 5)] if nginx else [])
for name, n, a in pairs:
    native = [r[n][0] for r in rows]
    aws = [r[a][0] for r in rows]
    ratios = [r[n][0] / r[a][0] for r in rows]
    print(f"{name}: native median {median(native):.2f} s ({mib / median(native):.0f} MiB/s), "
          f"aws median {median(aws):.2f} s ({mib / median(aws):.0f} MiB/s), "
          f"aws/native rate ratio median {median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]")
if nginx:
    for name, ours, theirs in (("curl", 2, 4), ("aws", 3, 5)):
        ratios = [r[theirs][0] / r[ours][0] for r in rows]
        print(f"{name}: download rate from tdkvs / from nginx, median {median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]")
gib = mib / 1024
names = ["native up", "aws up", "native down", "aws down", "nginx curl", "nginx aws"]
print(f"CPU seconds per GiB, medians (client + servers; the cores busy of {cores}):")
for i, name in enumerate(names[:6 if nginx else 4]):
    client, served = median(r[i][1] for r in rows) / gib, median(r[i][2] for r in rows) / gib
    busy = median((r[i][1] + r[i][2]) / r[i][0] for r in rows)
    print(f"  {name}: {client:.1f} + {served:.1f} ({busy:.2f})")
# Where the cores are the limit, a transfer takes its CPU time over the cores: aws cannot beat this ratio, even if
# the S3 path cost the servers no more than the native one, as long as aws needs its own CPU on the same cores.
for name, n, a in (("up", 0, 1), ("down", 2, 3)):
    bound = [(r[n][1] + r[n][2]) / (r[a][1] + r[n][2]) for r in rows]
    print(f"{name}: aws/native ratio where both use the cores fully and the servers cost the same for both, "
          f"median {median(bound):.2f} [{min(bound):.2f}-{max(bound):.2f}]")
'
