#!/bin/bash
# Benchmark of `xen-kexec-load load` and `load --dry-run` against kexec-tools `kexec -p`,
# in dom0 on Debian's Xen 4.17 under QEMU (the e2e scenario `crash`): the same kernel and
# initrd, the same boot, three interleaved rounds. Prints each loader's wall time and peak
# RSS (busybox `time -v`) and the payload size. TCG timings are noisy: compare medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
tools/e2e/run-suite.sh crash >/dev/null 2>"$CACHE/e2e/logs/load-bench.stderr" || {
  echo "load-bench: the crash scenario failed; see $CACHE/e2e/logs/crash.log" >&2; exit 1; }
kernel="$CACHE/e2e/out/vmlinuz"
initrd="$CACHE/e2e/out/initrd-crash.gz"
if [ -f "$kernel" ] && [ -f "$initrd" ]; then
  echo "payload: $(( $(stat -c %s "$kernel") + $(stat -c %s "$initrd") )) bytes (kernel $(stat -c %s "$kernel") + initrd $(stat -c %s "$initrd"))"
fi
printf '%-24s %8s %10s\n' loader load_s rss_kb
tr -d '\r' < "$CACHE/e2e/logs/crash.log" | sed -n 's/^E2E-FIGURE: \([^ ]*\) load_s=\([^ ]*\) rss_kb=\([^ ]*\).*/\1 \2 \3/p' |
  while read -r who s kb; do printf '%-24s %8s %10s\n' "$who" "$s" "$kb"; done
