# uefi-default-exec: `load --type default` then `exec` on a UEFI host (Debian's
# xen.efi under OVMF): Xen replaces itself and dom0 with the new kernel, which must find
# ACPI at Xen's RSDP address (no acpi_rsdp= on this command line: boot_params'
# acpi_rsdp_addr is the only way) and come up with the whole machine's memory and no
# /proc/vmcore. Same dom0 part as default-exec; host_check: the RSDP (acpi-checks.sh)
# and MemTotal as default-exec's.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/default-exec.sh"; else . /e2e/scenarios/default-exec.sh; fi
FIRMWARE=uefi
EXPECT="(XEN) Bootloader: EFI
E2E: load default rc=0
E2E: status default rc=0
E2E: exec default
Executing kexec image on cpu0
$ACPI_OK_EXPECT
E2E: EXEC KERNEL UP
e2e_loader=xen-kexec-load
E2E: no /proc/vmcore
E2E: EXEC KERNEL DONE"
FORBID="E2E: CRASH KERNEL UP
Hardware Dom0 crashed
$ACPI_MISSING_FORBID"

host_check() {
  local kb rsdp
  . "$HERE/acpi-checks.sh"
  rsdp=$(rsdp_matches_xen "$1") || { echo "$rsdp"; return 1; }
  kb=$(sed -n 's/.*E2E: memtotal_kb=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  [ -n "$kb" ] && [ "$kb" -gt 1572864 ] || { echo "the exec'd kernel has MemTotal ${kb:-?} kB, not the full 2 GiB"; return 1; }
  echo "$rsdp; MemTotal $kb kB"
}
