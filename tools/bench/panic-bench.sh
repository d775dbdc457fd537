#!/bin/bash
# Panic → crash kernel, side by side: the time from Xen's "Executing kexec image" (dom0 has
# panicked, Xen jumps to the purgatory) to the crash kernel's banner, with the same Debian
# kernel and a 64 MiB initrd of random bytes armed by xen-kexec-load or by kexec-tools, on the
# plain CPU model (bookworm's QEMU 7.2, qemu64) and on the SHA-NI model (bookworm-backports'
# QEMU 10, +ssse3,+sse4.1,+sha-ni). docs/performance.md shows a run and what it means.
#
#   tools/bench/panic-bench.sh [ROUNDS]      (default 2)
#
# Each run is one boot of a bench-panic* scenario; tools/e2e/marker-times.sh follows its serial
# log (±0.03 s per mark). For ours, check_s is the purgatory's own check (its "checking sha256"
# line to its "digests match" line); kexec-tools' purgatory prints nothing, so only the total. The first boot builds the artefacts (run-suite.sh) and is not counted;
# then ROUNDS rounds of the four runs, the order rotated each round. Prints one line per run and
# the medians with the ratios. Nothing is judged on time.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
LOGS="$CACHE/e2e/logs"
rounds=${1:-2}
runs=(bench-panic bench-panic-kexec-tools bench-panic-sha-ni bench-panic-kexec-tools-sha-ni)
mkdir -p "$LOGS"
echo "panic-bench: $(git log -1 --format='%h %s' 2>/dev/null || true)"
tools/e2e/run-suite.sh bench-panic >"$LOGS/panic-bench.suite.out" 2>&1 \
  || { echo "panic-bench: bench-panic failed:" >&2; tail -n 30 "$LOGS/panic-bench.suite.out" >&2; exit 1; }
figures="$LOGS/panic-bench.figures"
: > "$figures"
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < ${#runs[@]}; i++)); do
    s=${runs[$(( (i + r) % ${#runs[@]} ))]}
    rm -f "$LOGS/$s.log"
    load=$(cut -d' ' -f1 /proc/loadavg)
    tools/e2e/run-scenario.sh "$s" > "$LOGS/$s.bench.out" 2>&1 &
    pid=$!
    # Ours prints its check's start and end; kexec-tools' purgatory prints nothing.
    case $s in
      *kexec-tools*) marks=(0 'E2E: panic now' 'Executing kexec image' '] Linux version') ;;
      *) marks=(1 'E2E: panic now' 'Executing kexec image' 'purgatory: checking sha256' 'purgatory: sha256 digests match' '] Linux version') ;;
    esac
    times=$(tools/e2e/marker-times.sh "$LOGS/$s.log" "${marks[@]:1}" || true)
    wait "$pid" || { echo "panic-bench: $s failed:" >&2; cat "$LOGS/$s.bench.out" >&2; exit 1; }
    # times: "  0.00 s  E2E: panic now" / "  0.41 s  Executing…" / … / "  1.52 s  ] Linux version"
    at() { echo "$times" | awk -v n="$1" 'NR == n { print $1 }'; }
    xen=$(at 2)
    banner=$(echo "$times" | awk 'END { print $1 }')
    to_kernel=$(awk -v a="$xen" -v b="$banner" 'BEGIN { printf "%.2f", b - a }')
    check="-"
    [ "${marks[0]}" = 0 ] || check=$(awk -v a="$(at 3)" -v b="$(at 4)" 'BEGIN { printf "%.2f", b - a }')
    path=$( (grep -a -o 'digests match ([a-z-]*)' "$LOGS/$s.log" || true) | head -n 1 | tr -d '()' | awk '{ print $3 }')
    printf 'E2E-PANIC: %s round=%d panic_to_xen_s=%s xen_to_banner_s=%s purgatory=%s check_s=%s host_load=%s\n' \
      "$s" $((r + 1)) "$xen" "$to_kernel" "${path:-kexec-tools}" "$check" "$load" | tee -a "$figures"
  done
done
echo
echo "| CPU model | loader | Executing kexec image → banner, median s | ratio to kexec-tools |"
echo "| --- | --- | --- | --- |"
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for model in plain sha-ni; do
  sfx=""; label="QEMU 7.2 qemu64"
  [ "$model" = plain ] || { sfx=-sha-ni; label="QEMU 10 qemu64,+sha-ni"; }
  ours=$(awk -v s="bench-panic$sfx" '$2 == s { sub("xen_to_banner_s=", "", $5); print $5 }' "$figures" | median)
  peer=$(awk -v s="bench-panic-kexec-tools$sfx" '$2 == s { sub("xen_to_banner_s=", "", $5); print $5 }' "$figures" | median)
  ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  echo "| $label | kexec-tools | $peer | 1 |"
  echo "| $label | xen-kexec-load | $ours | $ratio |"
  echo "E2E-FIGURE: panic-to-crash-kernel model=$model kexec-tools_s=$peer xen-kexec-load_s=$ours ratio=$ratio (median of $rounds)"
done
