#!/bin/bash
# Benchmark of `xen-kexec-load` against kexec-tools in dom0 under QEMU TCG, and of `plan`
# natively (docs/performance.md shows one run and what it means):
#
#   tools/bench/load-bench.sh [--no-native] [SCENARIO...]
#
# Default scenarios, one VM at a time (each is one dom0 boot, so every ratio compares
# commands of the same boot):
#   bench-load       Debian's Xen 4.17: kexec -p vs load --type crash with a 1 MiB and a
#                    64 MiB random initrd (3 interleaved rounds), load --dry-run, unload vs
#                    kexec -p -u, status vs kexec -S -p, range, coreutils sha256sum and cat
#   bench-load-sha-ni  the same on the SHA-NI CPU model (bookworm-backports' QEMU 10,
#                    qemu64,+ssse3,+sse4.1,+sha-ni; tools/e2e/qemu-backports.sh)
#   bench-load-efi   the test Xen: load --efi vs kexec -p (classic), both initrds
#   bench-load-smp2  Debian's Xen 4.17 on 2 CPUs (dom0 has 2 vCPUs): the 64 MiB crash rounds
# and, when named: bench-startup (Debian's Xen 4.17: status, unload, range, --version, 5 runs
# each, against kexec -S -p and kexec -p -u: the small commands' start-up cost).
# Then tools/bench/plan-bench.sh (plan offline vs sha256sum, natively) unless --no-native.
# Prints each boot's table (tools/bench/bench-table.py) and the host's load average, which
# says how noisy the wall times are (TCG on a shared host: compare ratios, not seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
LOGS="$CACHE/e2e/logs"
native=yes
if [ "${1:-}" = --no-native ]; then native=no; shift; fi
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(bench-load bench-load-sha-ni bench-load-efi bench-load-smp2)
mkdir -p "$LOGS"

echo "load-bench: $(git log -1 --format='%h %s' 2>/dev/null || true)"
# One scenario goes through run-suite.sh, which builds the tool, the initramfs images and,
# when bench-load-efi is selected, the test Xen; the rest run one by one on those artefacts.
builder=${scenarios[0]}
for s in "${scenarios[@]}"; do [ "$s" != bench-load-efi ] || builder=$s; done
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load-bench: $builder (with the builds): host load before: $(load)"
tools/e2e/run-suite.sh "$builder" >"$LOGS/load-bench.suite.out" 2>&1 \
  || { echo "load-bench: $builder failed:" >&2; tail -n 30 "$LOGS/load-bench.suite.out" >&2; exit 1; }
grep "^PASS $builder " "$LOGS/load-bench.suite.out"
echo "load-bench: $builder: host load after: $(load)"
for s in "${scenarios[@]}"; do
  [ "$s" != "$builder" ] || continue
  echo "load-bench: $s: host load before: $(load)"
  tools/e2e/run-scenario.sh "$s" || exit 1
  echo "load-bench: $s: host load after: $(load)"
done

logs=()
for s in "${scenarios[@]}"; do logs+=("$LOGS/$s.log"); done
tools/bench/bench-table.py "${logs[@]}"

if [ "$native" = yes ]; then
  echo
  echo "### native: plan offline vs sha256sum (tools/bench/plan-bench.sh), host load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  tools/bench/plan-bench.sh
fi
