# dump-xen-panic-guest: Xen itself crashes (the `C` debug key, sent from dom0 with
# `xl debug-keys C`) on a host running a guest; Xen starts the crash kernel armed by the
# package (docs/dumps.md). As dump-dom0-panic-guest: the guest fills 16 MiB with a seeded
# pattern, dom0 writes a marker line into its kernel log; the crash kernel counts the
# pattern in /proc/vmcore, kdump-tools saves /var/crash/<stamp>/ (-X -E -d 31) and
# reboots; boot 2 is armed again. The host: no page of the pattern in the dump, dom0's
# marker and Xen's banner present; Debian's crash reads Xen's part of the dump with the
# xen-syms (DWARF) of the test Xen this scenario boots (XEN=efi, tools/e2e/xen-efi/build.sh).
if [ -f /e2e/dump-lib.sh ]; then . /e2e/dump-lib.sh; else . "$HERE/guest/dump-lib.sh"; fi
XEN=efi
DISK=yes
REBOOTS=yes
MEM=1280M
XEN_ARGS="dom0_mem=384M,max:384M crashkernel=384M@256M"
TIMEOUT=600
STOP_AT='E2E: scenario dump-xen-panic-guest returned'
EXPECT="$DUMP_BEFORE_EXPECT
triggering crashdump
$DUMP_AFTER_EXPECT
E2E: scenario dump-xen-panic-guest returned rc=0"
FORBID='Kernel panic - not syncing'

dom0() {
  if [ "$BOOT" = 1 ]; then
    dump_boot_one || return 1
    xl debug-keys C
    sleep 60
    fail "Xen did not crash 60 s after xl debug-keys C"
  else
    dump_boot_two
  fi
}

host_check() {
  dump_host_check dump-xen-panic-guest "$1" || return 1
  dump_crash_check_xen dump-xen-panic-guest "$1"
}
