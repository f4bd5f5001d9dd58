#!/usr/bin/env bash
# Installs Debian packages (as root, or through sudo without a password), for the scripts and tests that need
# a client or tool the machine may lack:
#
#   bench/debian-install.sh <package>...
#
# Another apt-get may hold apt's locks meanwhile (the integration suite runs two test classes at once, and
# two of them install clients): apt-get install waits for the dpkg lock, but apt-get update gives up at once
# on the lists' lock, so both are tried again until they succeed or ten minutes have passed.
set -uo pipefail
[ "$#" -gt 0 ] || { echo "usage: debian-install.sh <package>..." >&2; exit 2; }
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=120)
deadline=$((SECONDS + 600))
updated=no
while :; do
  if "${apt[@]}" install -y "$@"; then
    exit 0
  fi
  # the package lists may be missing or stale (a fresh machine): fetch them once, then try again
  if [ "$updated" = no ] && "${apt[@]}" update; then
    updated=yes
    continue
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "debian-install: apt-get install $* failed for ten minutes" >&2
    exit 1
  fi
  sleep 3
done
