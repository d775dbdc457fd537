# dump-keep-guests: the admin's option to keep the guests' memory (docs/dumps.md, "Keeping
# the guests"). dump-dom0-panic-guest's host, guest and dom0 panic, with
# XEN_KEXEC_DUMP_GUESTS=yes added to /etc/default/xen-kexec-load before the crash: the
# crash kernel's kdump-args writes no MAKEDUMP_ARGS (its journal says so, and never the
# -X line), kdump-tools saves the dump with its own `-F -c -d 31` and reboots; boot 2 is
# armed again. The host rebuilds the dump (makedumpfile's compressed format) and finds every
# page of the guest's pattern in it (dump_host_check ... keep).
if [ -f /e2e/dump-lib.sh ]; then . /e2e/dump-lib.sh; else . "$HERE/guest/dump-lib.sh"; fi
DUMP_RUN=dump-keep-guests
DISK=yes
REBOOTS=yes
MEM=1280M
XEN_ARGS="dom0_mem=384M,max:384M crashkernel=384M@256M"
TIMEOUT=600
STOP_AT="E2E: scenario $DUMP_RUN returned"
EXPECT="$DUMP_BEFORE_EXPECT
Kernel panic - not syncing: sysrq triggered crash
$(printf '%s\n' "$DUMP_AFTER_EXPECT" | sed 's/^E2E: crash kernel journal: xen-kexec-load: Xen dump: .*/E2E: crash kernel journal: xen-kexec-load: XEN_KEXEC_DUMP_GUESTS=yes: the dump keeps the guests'"'"' memory/')
E2E: scenario $DUMP_RUN returned rc=0"
FORBID='MAKEDUMP_ARGS="-X -E -d 31"'

dom0() {
  if [ "$BOOT" = 1 ]; then
    echo XEN_KEXEC_DUMP_GUESTS=yes >> /etc/default/xen-kexec-load
    sync
    dump_boot_one || return 1
    echo c > /proc/sysrq-trigger
  else
    dump_boot_two
  fi
}

host_check() {
  dump_host_check "$DUMP_RUN" "$1" keep
}
