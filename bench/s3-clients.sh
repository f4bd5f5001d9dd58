#!/usr/bin/env bash
# The S3 clients people use, run against a tdkvs S3 endpoint, every byte read back checked:
# aws (Debian's awscli), rclone, s3cmd and Python's boto3 (Debian's python3-boto3), each installed from
# Debian's packages when missing.
#
#   bench/s3-clients.sh <endpoint URL> <access key> <secret key> [<region>]
#
# It makes and removes buckets of its own (s3clients-*) and leaves nothing behind; exit status 0 when
# every check passed. Runs on 127.0.0.1 endpoints only.
set -euo pipefail

endpoint="${1:?usage: s3-clients.sh <endpoint URL> <access key> <secret key> [<region>]}"
access="${2:?access key}"
secret="${3:?secret key}"
region="${4:-us-east-1}"
case "$endpoint" in
  http://127.0.0.1:*) ;;
  *) echo "s3-clients: $endpoint is not an http://127.0.0.1:<port> endpoint" >&2; exit 2 ;;
esac

need=()
[ -x /usr/bin/aws ] || need+=(awscli)
command -v rclone > /dev/null || need+=(rclone)
command -v s3cmd > /dev/null || need+=(s3cmd)
python3 -c 'import boto3' 2> /dev/null || need+=(python3-boto3)
if [ "${#need[@]}" -gt 0 ]; then
  echo "s3-clients: installing ${need[*]} from Debian's packages" >&2
  "$(dirname "${BASH_SOURCE[0]}")/debian-install.sh" "${need[@]}" > /dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# the machine's CA bundle settings are for other endpoints; the AWS SDKs of these clients refuse a plain-HTTP
# endpoint with a custom bundle (rclone), so they are left out
unset AWS_CA_BUNDLE AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE || true
export AWS_ACCESS_KEY_ID="$access" AWS_SECRET_ACCESS_KEY="$secret" AWS_REGION="$region" AWS_DEFAULT_REGION="$region"
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE="$work/aws-config"
: > "$work/aws-config"
failures=0
check() { # check <what> <command...>: runs it, says ok or FAILED
  local what="$1"; shift
  if "$@" > "$work/out" 2>&1; then
    echo "s3-clients: ok: $what"
  else
    echo "s3-clients: FAILED: $what" >&2
    sed 's/^/    /' "$work/out" >&2
    failures=$((failures + 1))
  fi
}
same() { cmp "$1" "$2"; }
same_tree() { diff -r "$1" "$2"; }

mkdir -p tree/sub/deeper
: > f0
head -c 1024 /dev/urandom > f1k
head -c $((200 << 20)) /dev/urandom > f200m
head -c 5000 /dev/urandom > tree/a
head -c 300 /dev/urandom > tree/sub/b
head -c 70000 /dev/urandom > "tree/sub/deeper/with space & plus+"
: > tree/empty

# ---------------------------------------------------------------- aws
aws=(/usr/bin/aws --endpoint-url "$endpoint" --no-cli-pager)
b=s3clients-aws
check "aws s3 mb" "${aws[@]}" s3 mb "s3://$b"
for f in f0 f1k f200m; do
  check "aws s3 cp $f up" "${aws[@]}" s3 cp --quiet "$f" "s3://$b/$f"
  check "aws s3 cp $f down" "${aws[@]}" s3 cp --quiet "s3://$b/$f" "back-$f"
  check "aws $f read back byte for byte" same "$f" "back-$f"
done
check "aws s3 ls lists the three" bash -c "${aws[*]} s3 ls s3://$b/ | grep -c -E ' (f0|f1k|f200m)\$' | grep -qx 3"
check "aws s3 sync up" "${aws[@]}" s3 sync --quiet tree "s3://$b/tree"
check "aws s3 sync down" "${aws[@]}" s3 sync --quiet "s3://$b/tree" back-tree
check "aws sync read back byte for byte" same_tree tree back-tree
check "aws s3 sync again copies nothing" bash -c "[ -z \"\$(${aws[*]} s3 sync tree s3://$b/tree)\" ]"
check "aws s3api head-object" bash -c "${aws[*]} s3api head-object --bucket $b --key f1k | grep -q '\"ContentLength\": 1024'"
check "aws s3api list-objects-v2 with a delimiter" bash -c "${aws[*]} s3api list-objects-v2 --bucket $b --prefix tree/ --delimiter / | grep -q '\"Prefix\": \"tree/sub/\"'"
check "aws s3 rm --recursive" "${aws[@]}" s3 rm --quiet --recursive "s3://$b/"
check "aws s3 rb" "${aws[@]}" s3 rb "s3://$b"

# ---------------------------------------------------------------- rclone
export RCLONE_CONFIG_T_TYPE=s3 RCLONE_CONFIG_T_PROVIDER=Other RCLONE_CONFIG_T_ACCESS_KEY_ID="$access" \
  RCLONE_CONFIG_T_SECRET_ACCESS_KEY="$secret" RCLONE_CONFIG_T_ENDPOINT="$endpoint" RCLONE_CONFIG_T_REGION="$region" \
  RCLONE_CONFIG_T_FORCE_PATH_STYLE=true RCLONE_CONFIG="$work/rclone.conf"
rclone=(rclone -q)
b=s3clients-rclone
check "rclone mkdir" "${rclone[@]}" mkdir "t:$b"
check "rclone copy" "${rclone[@]}" copy tree "t:$b/copy"
check "rclone check (sizes and MD5s)" "${rclone[@]}" check tree "t:$b/copy"
check "rclone copy back" "${rclone[@]}" copy "t:$b/copy" rclone-back
check "rclone read back byte for byte" same_tree tree rclone-back
check "rclone sync" "${rclone[@]}" sync tree "t:$b/sync"
check "rclone lsf" bash -c "${rclone[*]} lsf -R t:$b/sync | grep -qx 'sub/deeper/with space & plus+'"
head -c $((20 << 20)) f200m > f20m
check "rclone copy of 20 MiB in 5 MiB parts (multipart)" "${rclone[@]}" --s3-upload-cutoff 5M --s3-chunk-size 5M copyto f20m "t:$b/f20m"
check "rclone 20 MiB read back byte for byte" bash -c "${rclone[*]} cat t:$b/f20m | cmp - f20m"
check "rclone delete" "${rclone[@]}" delete "t:$b"
check "rclone rmdir" "${rclone[@]}" rmdir "t:$b"

# ---------------------------------------------------------------- s3cmd
host="${endpoint#http://}"
cat > s3cfg <<CFG
[default]
access_key = $access
secret_key = $secret
host_base = $host
host_bucket = $host
use_https = False
signature_v2 = False
bucket_location = $region
CFG
s3cmd=(s3cmd -c "$work/s3cfg" --no-progress)
b=s3clients-s3cmd
check "s3cmd mb" "${s3cmd[@]}" mb "s3://$b"
check "s3cmd put" "${s3cmd[@]}" put f1k "s3://$b/f1k"
check "s3cmd get" "${s3cmd[@]}" get --force "s3://$b/f1k" s3cmd-f1k
check "s3cmd read back byte for byte" same f1k s3cmd-f1k
check "s3cmd ls" bash -c "${s3cmd[*]} ls s3://$b | grep -q 's3://$b/f1k'"
check "s3cmd sync" "${s3cmd[@]}" sync tree/ "s3://$b/tree/"
mkdir -p s3cmd-tree
check "s3cmd get of the tree" "${s3cmd[@]}" get --recursive --force "s3://$b/tree/" s3cmd-tree/
check "s3cmd tree read back byte for byte" same_tree tree s3cmd-tree
check "s3cmd del" "${s3cmd[@]}" del --recursive --force "s3://$b"
check "s3cmd rb" "${s3cmd[@]}" rb "s3://$b"

# ---------------------------------------------------------------- boto3
check "boto3" python3 - "$endpoint" "$region" <<'PY'
import hashlib, os, sys
import boto3
endpoint, region = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name=region)
b = "s3clients-boto3"
s3.create_bucket(Bucket=b)
data = os.urandom(3_000_000)
put = s3.put_object(Bucket=b, Key="dir/value", Body=data, Metadata={"origin": "boto3"}, ContentType="application/x-test")
assert put["ETag"].strip('"') == hashlib.md5(data).hexdigest(), put["ETag"]
got = s3.get_object(Bucket=b, Key="dir/value")
assert got["Body"].read() == data
assert got["Metadata"] == {"origin": "boto3"} and got["ContentType"] == "application/x-test"
part = s3.get_object(Bucket=b, Key="dir/value", Range="bytes=100-199")["Body"].read()
assert part == data[100:200]
big = os.urandom(12 << 20)
s3.upload_fileobj(__import__("io").BytesIO(big), b, "multipart",
                  Config=boto3.s3.transfer.TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20))
assert s3.get_object(Bucket=b, Key="multipart")["Body"].read() == big
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=b)["Contents"]]
assert keys == ["dir/value", "multipart"], keys
deleted = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in keys]})["Deleted"]
assert sorted(d["Key"] for d in deleted) == keys
s3.delete_bucket(Bucket=b)
PY

if [ "$failures" -gt 0 ]; then
  echo "s3-clients: $failures check(s) FAILED" >&2
  exit 1
fi
echo "s3-clients: every check passed (aws, rclone, s3cmd, boto3)"
