#!/bin/bash
# Every benchmark of docs/performance.md in one run, one VM at a time:
#   1. the load and the small commands in dom0 on both CPU models, each against kexec-tools in
#      the same boot (load-bench.sh: bench-load on bookworm's QEMU 7.2 qemu64, bench-load-sha-ni
#      on bookworm-backports' QEMU 10 with SHA-NI, bench-startup), then `plan` natively;
#      guard: the 64 MiB crash load ≤ 0.75× kexec-tools on both models (bench-table.py);
#   2. panic → crash kernel on both models against kexec-tools (panic-bench.sh);
#   3. the dump against guest and dom0 memory: a small and a 4× larger guest, dom0 doubled
#      (dump-cost.sh);
#   4. the purgatory's SHA-256 natively against kexec-tools' sha256.c (purgatory-sha256-bench.sh).
#
#   tools/bench/all.sh
#
# Prints the figures; exits 1 when a benchmark fails to run or the load guard fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
rc=0
echo "## tools/bench/all.sh: $(git log -1 --format='%h %s' 2>/dev/null || true), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "## 1. Load and small commands in dom0, both CPU models (load-bench.sh)"
tools/bench/load-bench.sh bench-load bench-load-sha-ni bench-startup || rc=1
echo
echo "## 2. Panic → crash kernel, both CPU models (panic-bench.sh)"
tools/bench/panic-bench.sh || rc=1
echo
echo "## 3. The dump against guest and dom0 memory (dump-cost.sh)"
tools/bench/dump-cost.sh || rc=1
echo
echo "## 4. The purgatory's SHA-256 natively (purgatory-sha256-bench.sh)"
tools/bench/purgatory-sha256-bench.sh || rc=1
exit $rc
