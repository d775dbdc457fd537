#!/bin/bash
# What a dump costs against the guests' memory: the same 2 GiB host with a small guest
# (128 MiB, 96 MiB of it filled with a pattern), a 4× larger one (512 MiB, 384 MiB filled),
# and the small guest with dom0 doubled (768 MiB). Each run is dump-dom0-panic-guest's
# dom0 panic (scenarios bench-dump-guest-small, bench-dump-guest-large, bench-dump-dom0-double),
# one VM at a time; with the package's dump settings (-X -E -d 31: Xen and dom0, no guest
# memory) the size and the time should stay within 15 % between the two guests and grow with
# dom0. Prints the figures from each run's serial log (dom0's own clock); nothing is judged
# on time. No run has finished yet (docs/e2e.md, the bench-dump row).
#
#   tools/bench/dump-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
LOGS="$CACHE/e2e/logs"
runs=(bench-dump-guest-small bench-dump-guest-large bench-dump-dom0-double)
mkdir -p "$LOGS"
echo "dump-cost: $(git log -1 --format='%h %s' 2>/dev/null || true)"
tools/e2e/run-suite.sh "${runs[0]}" >"$LOGS/dump-cost.suite.out" 2>&1 \
  || { echo "dump-cost: ${runs[0]} failed:" >&2; tail -n 30 "$LOGS/dump-cost.suite.out" >&2; exit 1; }
for s in "${runs[@]:1}"; do
  tools/e2e/run-scenario.sh "$s" > "$LOGS/$s.bench.out" 2>&1 \
    || { echo "dump-cost: $s failed:" >&2; tail -n 30 "$LOGS/$s.bench.out" >&2; exit 1; }
done
echo
echo "| run | guest MiB (filled) | dom0 MiB | host RAM MiB | dump bytes | panic → dump saved s | panic → armed again s |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for s in "${runs[@]}"; do
  log=$(tr -d '\r' < "$LOGS/$s.log")
  guest=$(sed -n 's/.*E2E: xl list: .* mem \([0-9]*\) MiB.*/\1/p' <<< "$log" | head -n 1)
  filled=$(sed -n 's/.*guest-marker: filled \([0-9]*\) MiB.*/\1/p' <<< "$log" | head -n 1)
  read -r bytes ram dom0 < <(sed -n 's/.*E2E: dump file [^:]*: \([0-9]*\) bytes; host RAM \([0-9]*\) MiB, dom0 \([0-9]*\) MiB.*/\1 \2 \3/p' <<< "$log" | head -n 1)
  read -r saved armed < <(sed -n 's/.*E2E: figures: crash to dump saved \([0-9]*\) s, crash to host armed again \([0-9]*\) s.*/\1 \2/p' <<< "$log" | head -n 1)
  echo "| $s | $guest ($filled) | $dom0 | $ram | $bytes | $saved | $armed |"
  echo "$s $bytes $saved" >> "$LOGS/dump-cost.figures.$$"
done
read -r _ small_b small_s < <(sed -n 1p "$LOGS/dump-cost.figures.$$")
read -r _ large_b large_s < <(sed -n 2p "$LOGS/dump-cost.figures.$$")
read -r _ dom0_b dom0_s < <(sed -n 3p "$LOGS/dump-cost.figures.$$")
rm -f "$LOGS/dump-cost.figures.$$"
awk -v sb="$small_b" -v lb="$large_b" -v ss="$small_s" -v ls="$large_s" -v db="$dom0_b" -v ds="$dom0_s" 'BEGIN {
  printf "E2E-FIGURE: dump-cost large/small guest: size %.2f×, panic → dump saved %.2f× (flat: within 15 %%); dom0 doubled: size %.2f×, time %.2f×\n",
    lb / sb, ls / ss, db / sb, ds / ss }'
