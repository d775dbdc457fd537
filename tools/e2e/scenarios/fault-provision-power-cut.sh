# fault-provision-power-cut: the power goes in the middle of the boot-time `provision`, and
# the next boot arms cleanly. The disk dom0 (tools/e2e/build-disk.sh, the .deb installed),
# one run of three boots of the same disk:
# Boot 1: the unit armed the crash kernel at boot; the scenario then makes provision's
#   payload large and its progress visible: XEN_KEXEC_INITRD= in /etc/default/xen-kexec-load
#   names /boot/initrd-e2e-64m.img (kdump-tools' initrd followed by 64 MiB of zeros, which
#   Linux's unpacker skips: init/initramfs.c), and a drop-in runs `provision -v`, whose first
#   line names that initrd. Then it reboots.
# Boot 2: the unit's provision prints that line and the host kills QEMU (SIGKILL, no flush:
#   run-scenario.sh POWER_CUT_AT) while provision reads, plans and loads the ~72 MiB payload;
#   host_check proves the cut came before "loaded crash image" of that boot.
# Boot 3 (the same disk, started again): the unit succeeds (is-active, its journal says
#   loaded), status says armed with the 64 MiB initrd, dom0 panics, and the crash kernel
#   (kdump-tools' dump unit, root on the disk) reads /proc/vmcore: kdump-tools saves its dmesg.
DISK=yes
REBOOTS=yes
MEM=1G
XEN_ARGS="dom0_mem=384M,max:384M crashkernel=384M@256M"
TIMEOUT=1500
POWER_CUT_AT='initrd /boot/initrd-e2e-64m.img, command line'
STOP_AT='kdump-tools: saved dmesg content in /var/crash'
EXPECT='E2E: disk dom0 up: boot 1
E2E: is-active rc=0
E2E: status crash rc=0
E2E: big initrd:
E2E: boot 1 set up rc=0
initrd /boot/initrd-e2e-64m.img, command line
E2E-HOST: power cut: QEMU killed (SIGKILL)
E2E: disk dom0 up: boot 2
E2E: is-active rc=0
E2E: journal: loaded crash image
E2E: status crash rc=0
E2E: the armed image has the 64 MiB initrd
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
Starting kdump-tools:
kdump-tools: saved dmesg content in /var/crash'
FORBID='Hardware Dom0 crashed: rebooting machine'

dom0() {
  if [ "$BOOT" = 1 ]; then cut_boot_one; else cut_boot_two; fi
}

cut_boot_one() {
  expect 0 is-active systemctl is-active xen-kexec-load.service
  expect 0 "status crash" "$TOOL" status --type crash
  src=$(ls /var/lib/kdump/initrd.img-* | head -n 1)
  { cat "$src"; head -c 67108864 /dev/zero; } > /boot/initrd-e2e-64m.img
  mark "big initrd: $(stat -c %s /boot/initrd-e2e-64m.img) bytes ($src + 64 MiB of zeros)"
  echo "XEN_KEXEC_INITRD=/boot/initrd-e2e-64m.img" >> /etc/default/xen-kexec-load
  mkdir -p /etc/systemd/system/xen-kexec-load.service.d
  printf '[Service]\nExecStart=\nExecStart=/usr/sbin/xen-kexec-load provision -v\n' \
    > /etc/systemd/system/xen-kexec-load.service.d/e2e-verbose.conf
  expect 0 "boot 1 set up" systemctl daemon-reload
  sync
}

cut_boot_two() {
  expect 0 is-active systemctl is-active xen-kexec-load.service
  run "unit result" systemctl show -p Result -p ExecMainStatus xen-kexec-load.service
  journal_of xen-kexec-load.service | grep -v 'initrd /boot/initrd-e2e-64m.img, command line'
  # What the cut boot's journal kept (journald had not necessarily flushed it).
  journalctl -b -1 -u xen-kexec-load.service --no-pager -o cat 2>/dev/null | tail -n 5 \
    | grep -v 'initrd /boot/initrd-e2e-64m.img, command line' | sed 's/^/E2E: cut boot journal: /'
  expect 0 "status crash" "$TOOL" status --type crash || return 1
  if "$TOOL" status --type crash | grep -qF '/boot/initrd-e2e-64m.img'; then
    mark "the armed image has the 64 MiB initrd"
  else
    fail "status does not name /boot/initrd-e2e-64m.img"
    return 1
  fi
  mark "panic now"
  sync
  echo c > /proc/sysrq-trigger
}

host_check() {   # the power cut came in the middle of provision: after its first line, before "loaded"
  tr -d '\r' < "$1" | awk -v m="$POWER_CUT_AT" '
    index($0, m) && !seen { seen = NR }
    seen && !cut && /loaded crash image/ { loaded = NR }
    /^E2E-HOST: power cut/ { cut = NR }
    END {
      if (!seen || !cut) { print "no marker or no power cut"; exit 1 }
      if (loaded) { print "provision had finished (line " loaded ") before the power cut (line " cut ")"; exit 1 }
      print "power cut " cut - seen " log lines after provision named the 64 MiB initrd, before it loaded anything"
    }'
}
