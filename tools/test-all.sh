#!/bin/bash
# The project's test command (README "Test"; .ci/run runs exactly this).
#
#   1. installs the Debian packages the tests need (tools/install-deps.sh),
#   2. fetches the pinned real Debian kernels by package name (cache outside git),
#   3. runs the unit tests (swift test) and checks the shipped files (tools/check-dist.sh),
#   4. builds the Debian 13 (trixie) binary against libxenctrl.so.4.20 and runs the unit
#      tests there, in a cached debootstrap root (tools/trixie/build.sh),
#   5. tests the crash kernel's dump check (vmcore-check) on crafted core files, and loads
#      every e2e run's scenario without booting it (tools/e2e/expand.sh --check),
#   6. runs the real-hypervisor suite: Debian's Xen 4.17, Debian 13's Xen 4.20 and the
#      project's test Xen with KEXEC_TYPE_CRASH_EFI under QEMU (tools/e2e/run-suite.sh).
# Exits non-zero if anything fails; the last line is the suite's "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export XEN_KEXEC_CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
export PATH="$PATH:/opt/swift/usr/bin"

tools/install-deps.sh
tools/fetch-test-kernels.sh >/dev/null
# The systemd dom0's base root file system (debootstrap, cached by its recipe's hash) is
# built in the background while the Swift builds run: on a cold machine it is mostly
# downloads and dpkg, which overlap the compiler's CPU time. Warm, it ends at once.
mkdir -p "$XEN_KEXEC_CACHE/e2e/logs"
tools/e2e/build-disk.sh --base >"$XEN_KEXEC_CACHE/e2e/logs/disk-base.log" 2>&1 &
disk_base=$!
trap 'kill "$disk_base" 2>/dev/null || true' EXIT

echo "== unit tests (swift test)"
swift build --build-tests
swift test --skip-build

echo "== shipped files: systemd unit, completions, man page up to date (tools/check-dist.sh)"
tools/check-dist.sh .build/debug/xen-kexec-load

echo "== Debian package: build, contents, lintian (tools/package-deb.sh, tools/check-deb.sh)"
# The release binary the e2e suite boots, built once: run-suite.sh's own build-tool step
# then finds nothing to do.
mkdir -p "$XEN_KEXEC_CACHE/e2e/logs"
if ! tools/e2e/build-tool.sh >"$XEN_KEXEC_CACHE/e2e/logs/build-tool.log" 2>&1; then
  tail -n 20 "$XEN_KEXEC_CACHE/e2e/logs/build-tool.log"; exit 1
fi
deb=$(tools/package-deb.sh "$XEN_KEXEC_CACHE/e2e/out/xen-kexec-load" "$XEN_KEXEC_CACHE/e2e/out/deb" | tail -n 1)
tools/check-deb.sh "$deb"
tools/check-kdump-args.sh   # the package's kdump-tools step on crafted files (docs/dumps.md)

echo "== Debian 13 (trixie): release build against libxenctrl.so.4.20 and unit tests (tools/trixie/build.sh)"
tools/trixie/build.sh >/dev/null

echo "== the crash kernel's dump check on crafted core files (tools/e2e/vmcore-check-test.sh)"
tools/e2e/vmcore-check-test.sh

echo "== e2e scenarios: every run loads, AXES expanded (tools/e2e/expand.sh --check)"
tools/e2e/expand.sh --check

if ! wait "$disk_base"; then
  echo "the disk dom0's base did not build (its log: $XEN_KEXEC_CACHE/e2e/logs/disk-base.log); the suite's build-disk step tries again"
  tail -n 5 "$XEN_KEXEC_CACHE/e2e/logs/disk-base.log"
fi
trap - EXIT

echo "== real-hypervisor suite (tools/e2e/run-suite.sh)"
tools/e2e/run-suite.sh
