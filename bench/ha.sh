#!/usr/bin/env bash
# What a group of masters costs and how fast it fails over: a group of three (./tdkvs local --masters 3)
# against a single master, each on three volumes keeping two copies, measured in interleaved rounds;
# then the leader killed KILLS times under load.
#
#   bench/ha.sh [ROUNDS [KILLS]]      (after: mvn -q -DskipTests package; defaults 3 and 10)
#
# Each cluster is warmed with 20,000 PUTs and 20 s of GET, then 20,000 more PUTs, of 1 KiB values at
# c16; then each round measures, single then group: PUT of 10,000 new keys at c16 and 10 s of GET at
# c16 on the warm keys, through the master (the group's leader), and for the group also 10 s of GET
# through a follower, which relays every request to the leader. Only the cluster being loaded runs; the
# other is stopped (SIGSTOP). Prints median [min-max] per system and ratios to the single master paired
# within a round ("group-via-follower" is the GET through a follower).
#
# Then, on the group: KILLS times, at a random moment (2-5 s apart) under 16 writers that go to the next
# master when one fails, kill -9 of the leader; the time from the kill to the first acknowledged write
# sent after it; the killed master restarted and the group whole again before the next kill; at the end
# every acknowledged write read back, byte for byte, through the leader (followers relay reads to it; the
# integration suite reads from every master) (bench/HaProbe.java).
#
# Needs BENCH=<folder of kv-load.sh and kv-summary.py>. Binds to and targets 127.0.0.1 only: the single
# master and its volumes on 4500-4503; the group's masters on 4300, 4310 and 4320 (replicating on 4400,
# 4410 and 4420) and its volumes on 4301-4303; data under OUT (default a fresh folder in /tmp).
set -euo pipefail
rounds="${1:-3}" kills="${2:-10}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH:?set BENCH to the folder of kv-load.sh and kv-summary.py}"
out="${OUT:-$(mktemp -d /tmp/tdkvs-ha.XXXX)}"
mkdir -p "$out/results" "$out/run"
out="$(cd "$out" && pwd)"
source "$root/bench/local.sh"
single=4500 group=4300
finish() {
  stop_local_clusters
  pkill -CONT -f -- "-Dtdkvs.config=$out/run/" 2> /dev/null || true
  pkill -TERM -f -- "-Dtdkvs.config=$out/run/" 2> /dev/null || true
}
trap finish EXIT

log() { echo "[ha] $(date +%T) $*" >&2; }

leader_port() { # the HTTP port of the group's leader
  curl -fs "http://127.0.0.1:$group/admin/group" | grep -o '"leader":"master[0-9]"' | grep -o '[0-9]' \
    | { read -r n; echo $((group + (n - 1) * 10)); }
}

log "starting a single master and a group of three, each with three volumes keeping two copies"
write_local_configs "$out/run/single" "$single" 2
start_local single "$single"
pause_local single
start_local group "$group" --masters 3
pause_local group

for system in single group; do
  log "warming $system"
  resume_local "$system"
  port=$single
  [ "$system" = group ] && port=$(leader_port)
  load_local "$port" --phases put,get --keys 20000 --conc 16 --duration 20 --prefix warm_ > /dev/null
  load_local "$port" --phases put --keys 20000 --conc 16 --prefix warm2_ > /dev/null
  pause_local "$system"
done

for r in $(seq 1 "$rounds"); do
  log "round $r: single"
  resume_local single
  {
    echo "# round=$r system=single"
    load_local "$single" --phases put --keys 10000 --conc 16 --prefix "r${r}_"
    load_local "$single" --phases get --keys 20000 --conc 16 --duration 10 --prefix warm_
  } >> "$out/results/r$r-single.txt"
  pause_local single
  log "round $r: group"
  resume_local group
  leader=$(leader_port)
  follower=$((leader == group ? group + 10 : group))
  {
    echo "# round=$r system=group"
    load_local "$leader" --phases put --keys 10000 --conc 16 --prefix "r${r}_"
    load_local "$leader" --phases get --keys 20000 --conc 16 --duration 10 --prefix warm_
    echo "# round=$r system=group-via-follower"
    load_local "$follower" --phases get --keys 20000 --conc 16 --duration 10 --prefix warm_
  } >> "$out/results/r$r-group.txt"
  pause_local group
done

log "results"
"$bench/kv-summary.py" "$out/results"/*.txt
"$bench/kv-summary.py" --ratio single --metrics ops_per_s "$out/results"/*.txt

log "failover: $kills kills of the leader under 16 writers"
resume_local group
java -Dtdkvs.home="$root" "$root/bench/HaProbe.java" "$out/run/group" "$kills" 16 | tee "$out/results/failover.txt"
log "done; results in $out/results"
