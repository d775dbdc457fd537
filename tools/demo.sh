#!/bin/bash
# The README's set-up-and-run command: the main job on a real kernel.
#
#   1. installs the Debian packages the project needs,
#   2. builds xen-kexec-load (release),
#   3. fetches the signed Debian 6.1 kernel by package name (cache outside git),
#   4. inspects it and plans a KEXEC_TYPE_CRASH_EFI load into a 256M@1G crash region,
#   5. loads it for real: in a dom0 on the project's test Xen (KEXEC_TYPE_CRASH_EFI) under
#      QEMU, `xen-kexec-load load --efi` arms it, dom0 panics, the crash kernel boots
#      (the e2e scenario efi-crash; its serial log is printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
export XEN_KEXEC_CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
export PATH="$PATH:/opt/swift/usr/bin"

tools/install-deps.sh
swift build -c release --product xen-kexec-load >&2
bin=.build/release/xen-kexec-load
pkg=$(tools/fetch-debian.sh linux-image-6.1.0-56-amd64 | tail -1)
kernel="$pkg/boot/vmlinuz-6.1.0-56-amd64"

echo "== xen-kexec-load inspect $kernel"
"$bin" inspect "$kernel"
echo "== xen-kexec-load plan --efi --crash-region 256M@1G $kernel"
"$bin" plan --efi --crash-region 256M@1G "$kernel" --append "console=ttyS0,115200 nr_cpus=1 irqpoll reset_devices"
echo "== loading it into a real (test) Xen under QEMU: tools/e2e/run-suite.sh efi-crash"
tools/e2e/run-suite.sh efi-crash
log="$XEN_KEXEC_CACHE/e2e/logs/efi-crash.log"
echo "== what happened (from $log)"
grep -E 'xen-kexec-load|E2E|\(XEN\) (kexec|Hardware Dom0|Executing)|Linux version' "$log" | head -40
