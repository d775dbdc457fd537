# dump-dom0-panic-guest: a dom0 panic on a Xen host running a guest; the dump is the
# product (docs/dumps.md). The disk dom0 starts a PV guest (xl create) that fills 16 MiB
# with a pattern generated from a seed, writes a marker line into its own kernel log,
# counts its tasks and panics (sysrq c). The crash kernel counts the pattern's pages in
# /proc/vmcore (the control), then kdump-tools saves /var/crash/<stamp>/ with the
# package's MAKEDUMP_ARGS for a Xen dump (-X -E -d 31) and reboots. Boot 2: armed again.
# The host reads the dump from the disk copy: no page of the pattern, dom0's marker and
# Xen's banner present; Debian's crash with dom0's debug vmlinux: bt through
# sysrq_handle_crash, log with the panic line, ps with every task dom0 had.
if [ -f /e2e/dump-lib.sh ]; then . /e2e/dump-lib.sh; else . "$HERE/guest/dump-lib.sh"; fi
# The run's name: the dump-cost benchmarks (bench-dump-*) read this file under their own.
DUMP_RUN=${DUMP_RUN:-dump-dom0-panic-guest}
DISK=yes
REBOOTS=yes
NEEDS_DEBUG_VMLINUX=yes
MEM=${DUMP_HOST_MEM:-1280M}
XEN_ARGS="dom0_mem=${DUMP_DOM0_MEM:-384M},max:${DUMP_DOM0_MEM:-384M} crashkernel=384M@256M"
# 600 s for the 16 MiB pattern; the fill and the crash kernel's control count grow with it
# (the bench-dump-* guests fill 40 and 384 MiB: bench-dump-guest-large's 384 MiB took 38 s
# to fill after the guest's /init, and the crash kernel went from its first journal entry to
# the control count done in 21 s against 15 s with 40 MiB, at a load of 3 to 4 on 2 cores,
# 2026-12-07; 4 s a MiB leaves room for a busier host).
TIMEOUT=$((600 + (GUEST_MIB - 16) * 4))
STOP_AT="E2E: scenario $DUMP_RUN returned"
EXPECT="$DUMP_BEFORE_EXPECT
Kernel panic - not syncing: sysrq triggered crash
$DUMP_AFTER_EXPECT
E2E: scenario $DUMP_RUN returned rc=0"
FORBID=''

dom0() {
  if [ "$BOOT" = 1 ]; then
    dump_boot_one || return 1
    echo c > /proc/sysrq-trigger
  else
    dump_boot_two
  fi
}

host_check() {
  dump_host_check "$DUMP_RUN" "$1" || return 1
  dump_crash_check_dom0 "$DUMP_RUN" "$1"
}
