# default-exec: `load --type default` then `exec`: Xen replaces itself and dom0 with
# the new kernel at once (no panic). It must come up with the whole machine's memory
# and no /proc/vmcore (host_check: more than 1.5 GiB of the VM's 2 GiB).
# Runs (AXES, docs/e2e.md "Axes"): default-exec on Debian 12's Xen 4.17; default-exec-4.20
# on Debian 13's Xen 4.20 (`load --type default` of trixie's 6.12 kernel from a 6.12 dom0);
# uefi-default-exec on a UEFI host (Debian's xen.efi under OVMF), where the new kernel must
# find ACPI at Xen's RSDP address (no acpi_rsdp= on this command line: boot_params'
# acpi_rsdp_addr is the only way); its host_check adds the RSDP check (acpi-checks.sh).
AXES='xen=4.17,4.20
firmware=uefi'
EXPECT="[firmware=uefi] (XEN) Bootloader: EFI
E2E: load default rc=0
E2E: status default rc=0
E2E: exec default
Executing kexec image on cpu0
[firmware=bios] purgatory: sha256 digests match
$(tagged firmware=uefi "$ACPI_OK_EXPECT")
E2E: EXEC KERNEL UP
e2e_loader=xen-kexec-load
E2E: no /proc/vmcore
E2E: EXEC KERNEL DONE"
FORBID="E2E: CRASH KERNEL UP
Hardware Dom0 crashed
$(tagged firmware=uefi "$ACPI_MISSING_FORBID")"

dom0() {
  need_tool || return 1
  expect 0 "load default" "$TOOL" load "$KERNEL" --initrd "$INITRD" --type default \
    --command-line "$CRASH_CMDLINE e2e_role=exec e2e_loader=xen-kexec-load"
  status_is 0 default
  mark "exec default"
  run "exec returned" "$TOOL" exec --type default
  fail "exec returned to dom0"
}

if axis_is firmware=uefi; then
host_check() {
  local kb rsdp
  . "$HERE/acpi-checks.sh"
  rsdp=$(rsdp_matches_xen "$1") || { echo "$rsdp"; return 1; }
  kb=$(sed -n 's/.*E2E: memtotal_kb=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  [ -n "$kb" ] && [ "$kb" -gt 1572864 ] || { echo "the exec'd kernel has MemTotal ${kb:-?} kB, not the full 2 GiB"; return 1; }
  echo "$rsdp; MemTotal $kb kB"
}
else
host_check() {
  local kb
  kb=$(sed -n 's/.*E2E: memtotal_kb=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  [ -n "$kb" ] && [ "$kb" -gt 1572864 ] || { echo "the exec'd kernel has MemTotal ${kb:-?} kB, not the full 2 GiB"; return 1; }
}
fi
