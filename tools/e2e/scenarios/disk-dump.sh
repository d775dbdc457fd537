# disk-dump: the admin's whole path on a real systemd dom0, in one run of three boots.
# The disk dom0 (tools/e2e/build-disk.sh) has the .deb installed, the unit enabled,
# kdump-tools installed with its loader unit disabled, its kdump initrd (MODULES=most) and
# Debian's /etc/default/kdump-tools, which provision reads.
# Boot 1: the unit armed the crash kernel at boot (journal, is-active, status); a reload
# logs "already armed"; a reload with a missing kernel fails with its journal line and
# leaves the armed image armed (status 0); a restart with it (the unit unloads first) fails
# and arms the unloaded kernel again (status 0); then dom0 panics. The crash kernel (kdump
# initrd, root on the virtio disk) runs kdump-tools-dump.service, which saves
# /var/crash/<timestamp>/ and reboots the machine. Boot 2 of the same disk: the unit arms
# again; the dump is checked (format, size, dom0's panic line); the host lists the dump
# from the disk copy with debugfs.
# Xen's crash region is the size `xen-kexec-load estimate` recommends for the disk's kdump
# kernel and initrd on this 1 GiB host (crashkernel=ESTIMATE: run-scenario.sh asks the
# built tool on the host); in boot 1 dom0's own `estimate` must say the same size.
DISK=yes
REBOOTS=yes
MEM=1G
XEN_ARGS="dom0_mem=384M,max:384M crashkernel=ESTIMATE@256M"
TIMEOUT=1200
STOP_AT='E2E: scenario disk-dump returned'
EXPECT='E2E: disk dom0 up: boot 1
E2E: is-enabled rc=0
E2E: is-active rc=0
E2E: journal: loaded crash image
E2E: status crash rc=0
E2E: the crash region is the size estimate recommends:
E2E: kdump-tools.service disabled rc=0
E2E: reload rc=0
E2E: journal: crash image already armed
E2E: reload with a missing kernel rc=1
E2E: the journal names the missing kernel:
E2E: status after the failed reload rc=0
E2E: is-active after the failed reload rc=0
E2E: restart with a missing kernel rc=1
E2E: the journal says the unloaded kernel is armed again:
E2E: status after the failed restart rc=0
E2E: restart rc=0
E2E: status before the panic rc=0
E2E: panic now
Kernel panic - not syncing: sysrq triggered crash
saved vmcore in /var/crash
E2E: disk dom0 up: boot 2
E2E: is-active rc=0
E2E: journal: loaded crash image
E2E: status crash rc=0
E2E: dump file ok:
E2E: dmesg has the panic line
E2E: scenario disk-dump returned rc=0'
FORBID=''
PANIC_LINE='Kernel panic - not syncing: sysrq triggered crash'

dom0() {
  if [ "$BOOT" = 1 ]; then dump_boot_one; else dump_boot_two; fi
}

dump_boot_one() {
  expect 0 is-enabled systemctl is-enabled xen-kexec-load.service
  expect 0 is-active systemctl is-active xen-kexec-load.service
  run is-system-running systemctl is-system-running --wait
  journal_of xen-kexec-load.service
  expect 0 "status crash" "$TOOL" status --type crash
  dump_region_is_estimate
  expect 0 "kdump-tools.service disabled" test "$(systemctl is-enabled kdump-tools.service)" = disabled
  # The same plan again: nothing is sent.
  expect 0 reload systemctl reload xen-kexec-load.service
  journal_of xen-kexec-load.service
  # A broken defaults file: the reload fails, the armed image stays armed.
  cp /etc/default/xen-kexec-load /run/xen-kexec-load.good
  sed -i '/^XEN_KEXEC_KERNEL=/d' /etc/default/xen-kexec-load
  echo XEN_KEXEC_KERNEL=/boot/vmlinuz-e2e-missing >> /etc/default/xen-kexec-load
  expect 1 "reload with a missing kernel" systemctl reload xen-kexec-load.service
  if line=$(journal_of xen-kexec-load.service | grep -F /boot/vmlinuz-e2e-missing | tail -n 1); then
    mark "the journal names the missing kernel: ${line#E2E: journal: }"
  else
    fail "no journal line names /boot/vmlinuz-e2e-missing"
  fi
  expect 0 "status after the failed reload" "$TOOL" status --type crash
  expect 0 "is-active after the failed reload" systemctl is-active xen-kexec-load.service
  # restart runs ExecStop= (unload) before ExecStart=: the failed provision arms the
  # unloaded kernel again (the same plan digest) and says so next to its error.
  expect 1 "restart with a missing kernel" systemctl restart xen-kexec-load.service
  if line=$(journal_of xen-kexec-load.service | grep -F "is armed again" | tail -n 1); then
    mark "the journal says the unloaded kernel is armed again: ${line#E2E: journal: }"
  else
    fail "no journal line says the unloaded crash kernel is armed again"
  fi
  expect 0 "status after the failed restart" "$TOOL" status --type crash
  cp /run/xen-kexec-load.good /etc/default/xen-kexec-load
  expect 0 restart systemctl restart xen-kexec-load.service
  expect 0 "status before the panic" "$TOOL" status --type crash
  mark "panic now"
  sync
  echo c > /proc/sysrq-trigger
}

dump_boot_two() {
  expect 0 is-active systemctl is-active xen-kexec-load.service
  run is-system-running systemctl is-system-running --wait
  journal_of xen-kexec-load.service
  expect 0 "status crash" "$TOOL" status --type crash
  journalctl -b -1 -u kdump-tools-dump.service --no-pager -o cat 2>/dev/null | sed 's/^/E2E: crash kernel journal: /'
  d=$(ls -d /var/crash/2* 2>/dev/null | tail -n 1)
  [ -n "$d" ] || { fail "no /var/crash/<timestamp> directory"; return 1; }
  mark "dump directory $d: $(ls -l "$d" | awk 'NR > 1 { printf "%s %s; ", $9, $5 }')"
  dump_check_file "$d" || return 1
  dump_check_dmesg "$d" || return 1
}

# Xen's crash region (`range`) against what `estimate` recommends in this dom0 for the
# crash kernel and initrd provision arms, with the host RAM from Xen's memory map.
dump_region_is_estimate() {
  local region est
  region=$("$TOOL" range | sed -n 's/^crash region: .*, \([0-9]*\) MiB$/\1/p')
  est=$("$TOOL" estimate | sed -n 's/^recommended: crashkernel=\([0-9]*\)M .*/\1/p')
  "$TOOL" estimate | sed 's/^/E2E: estimate: /'
  if [ -n "$region" ] && [ "$region" = "$est" ]; then
    mark "the crash region is the size estimate recommends: ${region} MiB"
  else
    fail "Xen's crash region is '${region:-?}' MiB, estimate in dom0 recommends '${est:-?}'M"
  fi
}

# The dump: makedumpfile's flattened output (kdump-config pipes it), which makedumpfile -R
# rebuilds into a kdump-compressed file (-c), or kdump-tools' cp fallback, an ELF core of
# all of the machine's RAM outside the crash region.
dump_check_file() {
  f=$(ls "$1"/dump.* 2>/dev/null | head -n 1)
  if [ -n "$f" ]; then
    size=$(stat -c %s "$f")
    # An empty dump.*: makedumpfile failed inside kdump-config's pipeline (makedumpfile |
    # compress), whose status is compress's, so kdump-tools' cp fallback did not run.
    [ "$(head -c 12 "$f")" = makedumpfile ] || { fail "dump $f ($size bytes) is not flattened makedumpfile output (makedumpfile failed: see the crash kernel journal above)"; return 1; }
    makedumpfile -R /var/tmp/dump.rebuilt < "$f" || { fail "makedumpfile -R could not rebuild $f"; return 1; }
    sig=$(head -c 8 /var/tmp/dump.rebuilt)
    case "$sig" in KDUMP*|"$(printf '\177ELF')"*) ;; *) fail "rebuilt dump has signature '$sig'"; return 1 ;; esac
    # -d 31 keeps dom0's kernel pages only (and -X Xen's own): far less than the 384 MiB
    # dom0 has, compressed (-c) or ELF (-E, the package's Xen dump settings).
    if [ "$size" -lt 65536 ] || [ "$size" -gt $((384 << 20)) ]; then
      fail "dump size $size is implausible for makedumpfile -d 31"; return 1
    fi
    mark "dump file ok: $f, $size bytes, makedumpfile flattened, rebuilt as '$(echo "$sig" | tr -dc 'A-Za-z')' $(stat -c %s /var/tmp/dump.rebuilt) bytes"
    DUMP_REBUILT=/var/tmp/dump.rebuilt
    return 0
  fi
  f=$(ls "$1"/vmcore.* 2>/dev/null | head -n 1)
  [ -n "$f" ] || { fail "no dump.* nor vmcore.* in $1"; return 1; }
  size=$(stat -c %s "$f")
  [ "$(head -c 4 "$f")" = "$(printf '\177ELF')" ] || { fail "vmcore $f is not ELF"; return 1; }
  # cp copies /proc/vmcore whole: the RAM of a 1 GiB machine minus the 384 MiB region.
  if [ "$size" -lt $((400 << 20)) ] || [ "$size" -gt $((1 << 30)) ]; then
    fail "vmcore size $size is implausible for a full copy of a 1 GiB machine"; return 1
  fi
  mark "dump file ok: $f, $size bytes, ELF (kdump-tools' cp fallback: makedumpfile failed)"
  DUMP_REBUILT=$f
}

dump_check_dmesg() {
  g=$(ls "$1"/dmesg.* 2>/dev/null | head -n 1)
  if [ -n "$g" ] && grep -qF "$PANIC_LINE" "$g"; then
    mark "dmesg has the panic line: $g: $(grep -F "$PANIC_LINE" "$g" | head -n 1)"
    return 0
  fi
  mark "no saved dmesg with the panic line; makedumpfile --dump-dmesg $DUMP_REBUILT:"
  makedumpfile --dump-dmesg "$DUMP_REBUILT" /var/tmp/dmesg.txt 2>&1 | sed 's/^/E2E: makedumpfile: /'
  if grep -qF "$PANIC_LINE" /var/tmp/dmesg.txt 2>/dev/null; then
    mark "dmesg has the panic line: makedumpfile --dump-dmesg: $(grep -F "$PANIC_LINE" /var/tmp/dmesg.txt | head -n 1)"
    return 0
  fi
  fail "dom0's panic line is in no saved dmesg"
  return 1
}

host_check() {   # the dump as the host sees it on the disk copy (debugfs reads ext4, no mount)
  img="$LOGS/disk-dump.disk.img"
  dir=$(debugfs -R 'ls -p /var/crash' "$img" 2>/dev/null | awk -F/ '$6 ~ /^2/ { print $6 }' | tail -n 1)
  [ -n "$dir" ] || { echo "no /var/crash/<timestamp> on $img"; return 1; }
  files=$(debugfs -R "ls -p /var/crash/$dir" "$img" 2>/dev/null | awk -F/ '$6 ~ /^(dump|vmcore|dmesg)\./ { printf "%s %s; ", $6, $7 }')
  echo "$files" | grep -qE '(dump|vmcore)\.' || { echo "no dump file in /var/crash/$dir on $img: $files"; return 1; }
  echo "host (debugfs $img): /var/crash/$dir: $files; Xen reserved crashkernel=${est:-?} (xen-kexec-load estimate for the disk's kdump kernel and initrd, $LOGS/disk-dump.estimate)"
}
