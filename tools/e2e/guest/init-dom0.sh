#!/bin/busybox sh
# /init of the dom0 initramfs: bring up what the kexec calls need (privcmd,
# xenfs at /proc/xen, evtchn), then run the scenario named by e2e_scenario= on the
# kernel command line. Scenarios that end in a panic never come back; for the
# others we reset the machine so QEMU (-no-reboot) exits without a timeout.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp /run && mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /run
mkdir -p /run/lock   # xen-kexec-load keeps its records and lock under /run
# Lockdown state (Linux security/lockdown) and, on UEFI hosts, the EFI variables
# (db, dbx, MokListRT) that dom0 reads through Xen's runtime services (efivarfs is a
# module in Debian's kernel).
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ -d /sys/firmware/efi/efivars ]; then
  insmod /lib/modules/efivarfs.ko 2>/dev/null
  mount -t efivarfs efivarfs /sys/firmware/efi/efivars || mark "mount efivarfs failed"
fi

. /e2e/lib.sh
mark "dom0 init up (uptime $(uptime_s)s)"

scenario=$(sed -n 's/.*e2e_scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
for m in xen-privcmd xenfs xen-evtchn; do
  insmod "/lib/modules/$m.ko" 2>/dev/null || mark "insmod $m failed"
done
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen 2>/dev/null || mark "mount xenfs failed"
[ -r /proc/xen/capabilities ] && mark "/proc/xen/capabilities: $(cat /proc/xen/capabilities)"
# What a complete dump of this host covers, in Xen's own words: the RAM map and the crash
# region Xen printed at boot, read back from its console ring. Every crash command line
# the scenarios build from CRASH_CMDLINE carries them (e2e_xen_ram=, e2e_xen_crash=), and
# vmcore-check in the crash kernel compares /proc/vmcore's PT_LOADs with them.
# CRASH_CMDLINE_BASE is the line without them (plans compared with the build host's).
CRASH_CMDLINE_BASE=$CRASH_CMDLINE
XEN_RAM_WORDS=""
if grep -q control_d /proc/xen/capabilities 2>/dev/null; then
  if XEN_RAM_WORDS=$(/usr/bin/xen-console-ring | sh /e2e/xen-ram-words.sh); then
    CRASH_CMDLINE="$CRASH_CMDLINE $XEN_RAM_WORDS"
    mark "Xen's RAM and crash region: $XEN_RAM_WORDS"
  else
    mark "no RAM map or Kdump line in Xen's console ring (vmcore-check will refuse the dump)"
  fi
fi
[ -d /sys/firmware/efi ] && mark "dom0 firmware: UEFI"
[ -e /sys/firmware/efi/efivars/db-d719b2cb-3d3a-4596-a3bc-dad00e67656f ] && mark "efivars: db present"
[ -r /sys/kernel/security/lockdown ] && mark "lockdown: $(cat /sys/kernel/security/lockdown)"

if [ -z "$scenario" ] || [ ! -f "/e2e/scenarios/$scenario.sh" ]; then
  fail "no scenario '$scenario' in this initramfs"
else
  mark "scenario $scenario"
  . "/e2e/scenarios/$scenario.sh"
  dom0
  rc=$?
  mark "scenario $scenario returned rc=$rc (uptime $(uptime_s)s)"
fi
sync
reboot -f
