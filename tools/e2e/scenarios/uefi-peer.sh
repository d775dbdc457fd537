# uefi-peer: kexec-tools (`kexec -p`, the reference loader) on a UEFI host: OVMF starts
# Debian's xen.efi from an EFI system partition, dom0 sees EFI. kexec-tools passes
# acpi_rsdp= to its crash kernel, which must find ACPI at Xen's RSDP address, get Xen's
# memory map minus the crash region as its e820 (host_check, acpi-checks.sh), and read
# a complete dump. The yardstick for uefi-crash.
FIRMWARE=uefi
NEEDS_TOOL=no
EXPECT="(XEN) Bootloader: EFI
(XEN) EFI RAM map:
E2E: /proc/xen/capabilities: control_d
E2E: dom0 firmware: UEFI
E2E-FIGURE: peer load_s=
$PANIC_EXPECT
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=kexec-tools
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
$ACPI_MISSING_FORBID"

dom0() {
  measure peer load_peer || fail "kexec -p failed"
  panic
}

host_check() {
  . "$HERE/acpi-checks.sh"
  crash_kernel_acpi_ok "$1"
}
