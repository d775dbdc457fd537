#!/bin/busybox sh
# /init of the crash initramfs: the second kernel (crash kernel, or the kernel
# started by `exec`) reports what it sees on the serial line, then resets the
# machine (QEMU runs with -no-reboot, so the reset ends the run).
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# e2e_role=exec on the command line marks a kernel started by `exec` (no crash).
role=CRASH
grep -q 'e2e_role=exec' /proc/cmdline && role=EXEC

echo "E2E: $role KERNEL UP (uptime $(cut -d' ' -f1 /proc/uptime)s)"
echo "E2E: $role kernel cmdline: $(cat /proc/cmdline)"
# An initramfs with a second cpio (the UKI's .initrd, make-test-images.sh) names itself.
[ -f /e2e-initrd-id ] && echo "E2E: $role initrd: $(cat /e2e-initrd-id)"
if [ -e /proc/vmcore ]; then
  echo "E2E: /proc/vmcore present, size $(stat -c %s /proc/vmcore) bytes"
  /bin/vmcore-check /proc/vmcore
else
  echo "E2E: no /proc/vmcore"
fi
# Linux clears the la57 flag unless it really runs with 5-level paging.
grep -qw la57 /proc/cpuinfo && echo "E2E: $role kernel runs with 5-level paging (la57)"
echo "E2E: memtotal_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
echo "E2E: $role KERNEL DONE"
reboot -f
