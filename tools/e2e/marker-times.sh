#!/bin/bash
# Timestamps serial markers as they appear: follows a scenario's growing serial log (the file
# QEMU writes) and prints, for each marker in order (each on a line after the previous one's,
# as in check-log.sh), the seconds since the first marker appeared. Polls every 20 ms, so each
# figure is good to about ±0.03 s. Used for the purgatory's share of the crash path
# (docs/e2e.md, "Figures"):
#
#   tools/e2e/run-scenario.sh crash & sleep 1
#   tools/e2e/marker-times.sh "$LOGS/crash.log" 'Executing kexec image' \
#     'purgatory: checking sha256' 'purgatory: sha256 digests match' '] Linux version'
#
# Stops after the last marker, or when no new marker came for 300 s.
set -euo pipefail
logf=$1; shift
after=0 t0="" last=$(date +%s)
for want in "$@"; do
  while :; do
    n=$( (tail -n +$((after + 1)) "$logf" 2>/dev/null || true) | grep -n -F -m1 -- "$want" | cut -d: -f1 || true)
    if [ -n "$n" ]; then
      now=$(date +%s.%N)
      [ -n "$t0" ] || t0=$now
      awk -v a="$t0" -v b="$now" -v m="$want" 'BEGIN { printf "%8.2f s  %s\n", b - a, m }'
      after=$((after + n)) last=$(date +%s)
      break
    fi
    [ $(( $(date +%s) - last )) -lt 300 ] || { echo "no '$want' within 300 s" >&2; exit 1; }
    sleep 0.02
  done
done
