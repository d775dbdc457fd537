#!/bin/bash
# Take a file a scenario printed with show_file (guest/lib.sh) back out of a serial
# log, exactly: the lines between "E2E: BEGIN NAME" and "E2E: END NAME sha256=H
# newline=yes|no", carriage returns (added by the UART) removed. Fails unless the
# result hashes to H.
#
#   extract-file.sh LOG NAME > FILE
set -euo pipefail
logf=$1 name=$2
end=$(tr -d '\r' < "$logf" | grep -m1 "^E2E: END $name sha256=" || true)
[ -n "$end" ] || { echo "no 'E2E: END $name' in $logf" >&2; exit 1; }
want=$(sed 's/.* sha256=\([0-9a-f]*\).*/\1/' <<< "$end")
body=$(tr -d '\r' < "$logf" | awk -v b="E2E: BEGIN $name" -v e="E2E: END $name sha256=" '
  $0 == b { on = 1; next }
  index($0, e) == 1 { exit }
  on { print }')
if [[ "$end" == *newline=no* ]]; then printf '%s' "$body"; else printf '%s\n' "$body"; fi > "${TMPDIR:-/tmp}/extract.$$"
got=$(sha256sum < "${TMPDIR:-/tmp}/extract.$$" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  rm -f "${TMPDIR:-/tmp}/extract.$$"
  echo "$name from the serial log hashes to $got, dom0 said $want (garbled in transit?)" >&2
  exit 1
fi
cat "${TMPDIR:-/tmp}/extract.$$"
rm -f "${TMPDIR:-/tmp}/extract.$$"
