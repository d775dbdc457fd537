#!/bin/bash
# Judge a serial log: every EXPECT marker must appear, each on a line after the
# previous one's; no FORBID marker (nor a scenario's "E2E: FAIL", nor a bad vmcore)
# may appear anywhere. Markers are fixed strings, one per line of the arguments.
# One rule holds for every scenario: when a crash kernel boots ("E2E: CRASH KERNEL UP"),
# it must find /proc/vmcore and vmcore-check must pass ("E2E: vmcore ok:" after it).
#
#   check-log.sh LOG "EXPECT lines" "FORBID lines"
# Prints nothing and exits 0 when the log passes; else one reason line, exit 1.
set -euo pipefail
logf=$1 expect=$2 forbid=$3
forbid+=$'\nE2E: FAIL\nE2E: vmcore BAD'

if grep -qF 'E2E: CRASH KERNEL UP' "$logf"; then
  forbid+=$'\nE2E: no /proc/vmcore'
fi

after=0   # line number of the previous match
while IFS= read -r want; do
  [ -n "$want" ] || continue
  n=$(tail -n +$((after + 1)) "$logf" | grep -n -F -m1 -- "$want" | cut -d: -f1 || true)
  if [ -z "$n" ]; then
    if grep -qF -- "$want" "$logf"; then
      echo "out of order: '$want' (not after line $after)"
    else
      echo "missing: '$want'"
    fi
    exit 1
  fi
  after=$((after + n))
done <<< "$expect"

while IFS= read -r bad; do
  [ -n "$bad" ] || continue
  if hit=$(grep -n -F -m1 -- "$bad" "$logf"); then
    echo "forbidden: '$bad' at line $(echo "$hit" | tr -d '\r' | cut -c1-160)"
    exit 1
  fi
done <<< "$forbid"

# The crash kernel's dump check, in every scenario whose crash kernel boots.
if up=$(grep -n -F -m1 'E2E: CRASH KERNEL UP' "$logf" | cut -d: -f1) && [ -n "$up" ]; then
  if ! tail -n +$((up + 1)) "$logf" | grep -qF 'E2E: vmcore ok:'; then
    echo "missing: 'E2E: vmcore ok:' after the crash kernel came up (every crash kernel must find a complete /proc/vmcore)"
    exit 1
  fi
fi
