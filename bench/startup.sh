#!/usr/bin/env bash
# How long `./tdkvs local` takes until all four servers answer ready (a master and three volumes, on a
# fresh folder each time), on the newest JDK found (with its start-up cache, from Java 25 on) and on the
# JDK that runs `java` (17 here), in interleaved rounds; with HOME_B, also that other build's ./tdkvs
# (e.g. a clone of an older commit, built), to compare before and after.
#
#   bench/startup.sh [ROUNDS [HOME_B]]      (after: mvn -q -DskipTests package; default 5 rounds)
#
# Prints each start (seconds until "tdkvs: ready", and the servers' resident memory right then), then the
# median [min-max] of each variant and its ratio to the default paired within a round. The runtime is
# prepared (./tdkvs prepare) before the first round: that is once per build, not per start.
# Binds to and targets 127.0.0.1 only (ports 4600-4603); data under OUT (default a fresh folder in /tmp).
set -euo pipefail
rounds="${1:-5}" home_b="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$(mktemp -d /tmp/tdkvs-startup.XXXX)}"
mkdir -p "$out"
port=4600
own_java="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"

"$root/tdkvs" prepare
TDKVS_JAVA="$own_java" "$root/tdkvs" prepare
now() { date +%s.%N; }

# start NAME HOME [ENV...]: prints the seconds until ready and the servers' total RSS in MiB
start() {
  local name=$1 home=$2 dir="$out/$1-$RANDOM" started pid ready="" rss
  shift 2
  started=$(now)
  env "$@" TDKVS_LOCAL_PORT=$port "$home/tdkvs" local "$dir" > "$dir.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if grep -q "tdkvs: ready:" "$dir.out"; then ready=$(echo "$(now) - $started" | bc); break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
  done
  rss=$(pgrep -f -- "-Dtdkvs.config=$dir/" | while read -r p; do awk '/VmRSS/ {print $2}' "/proc/$p/status"; done \
    | awk '{s += $1} END {printf "%d", s / 1024}')
  kill -TERM "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  if [ -z "$ready" ]; then
    echo "$name did not start; see $dir.out" >&2
    exit 1
  fi
  printf '%s %.2f %s\n' "$name" "$ready" "$rss"
}

variants=(default java17)
[ -n "$home_b" ] && variants+=(other)
for r in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    case $v in
      default) line=$(start default "$root") ;;
      java17) line=$(start java17 "$root" TDKVS_JAVA="$own_java") ;;
      other) line=$(start other "$home_b") ;;
    esac
    echo "round=$r $line" | tee -a "$out/results.txt"
  done
done

python3 - "$out/results.txt" <<'EOF'
import sys, statistics, collections
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, name, seconds, rss = line.split()
    runs[name][r] = (float(seconds), int(rss))
def spread(values):
    return "%.2f [%.2f-%.2f]" % (statistics.median(values), min(values), max(values))
print("| variant | starts | until all four ready, s | RSS of the four at ready, MiB | ratio to default (paired) |")
print("|---|---|---|---|---|")
for name, by_round in runs.items():
    ratios = [by_round[r][0] / runs["default"][r][0] for r in by_round if r in runs["default"]]
    print("| %s | %d | %s | %d | %s |" % (name, len(by_round), spread([s for s, _ in by_round.values()]),
          statistics.median([m for _, m in by_round.values()]), spread(ratios)))
EOF
echo "results in $out"
