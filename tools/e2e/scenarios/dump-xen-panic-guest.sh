# dump-xen-panic-guest: Xen itself crashes (the `C` debug key, sent from dom0 with
# `xl debug-keys C`) on a host running a guest; Xen starts the crash kernel armed by the
# package (docs/dumps.md). As dump-dom0-panic-guest: the guest fills 16 MiB with a seeded
# pattern, dom0 writes a marker line into its kernel log; the crash kernel counts the
# pattern in /proc/vmcore, kdump-tools saves /var/crash/<stamp>/ (-X -E -d 31) and
# reboots; boot 2 is armed again. The host: no page of the pattern in the dump, dom0's
# marker and Xen's banner present.
if [ -f /e2e/dump-lib.sh ]; then . /e2e/dump-lib.sh; else . "$HERE/guest/dump-lib.sh"; fi
DISK=yes
REBOOTS=yes
# Run only when named until both dump scenarios pass reliably (docs/e2e.md).
DEFAULT_RUN=no
MEM=1280M
XEN_ARGS="dom0_mem=384M,max:384M crashkernel=384M@256M"
TIMEOUT=600
STOP_AT='E2E: scenario dump-xen-panic-guest returned'
EXPECT='E2E: disk dom0 up: boot 1
E2E: is-active rc=0
E2E: status crash rc=0
E2E: guest seed
E2E: xl create rc=0
E2E: guest up: guest-marker: filled 16 MiB
E2E: dom0 marker
E2E: dom0 tasks before the crash:
triggering crashdump
E2E: crash kernel: /proc/vmcore guest-marker: found
saved vmcore in /var/crash
E2E: disk dom0 up: boot 2
E2E: is-active rc=0
E2E: status crash rc=0
E2E: crash kernel journal: xen-kexec-load: Xen dump: MAKEDUMP_ARGS="-X -E -d 31"
E2E: figures: crash to dump saved
E2E: dump file
E2E: scenario dump-xen-panic-guest returned rc=0'
FORBID='Kernel panic - not syncing'

dom0() {
  if [ "$BOOT" = 1 ]; then
    expect 0 is-active systemctl is-active xen-kexec-load.service
    run is-system-running systemctl is-system-running --wait
    expect 0 "status crash" "$TOOL" status --type crash
    dump_start_guest || return 1
    dump_dom0_marker
    dump_before_crash
    xl debug-keys C
    sleep 60
    fail "Xen did not crash 60 s after xl debug-keys C"
  else
    dump_boot_two
  fi
}

host_check() {
  dump_host_check dump-xen-panic-guest "$1"
}
