# uefi-crash: `load --type crash` (the classic type, with the tool's purgatory) on a UEFI
# host: OVMF starts Debian's xen.efi. On UEFI machines the RSDP is not in the legacy
# BIOS area where a crash kernel would search for it, so the crash kernel finds ACPI only
# through what the loader passes (boot_params.acpi_rsdp_addr and acpi_rsdp=). It must
# find it at Xen's address, get Xen's memory map minus the crash region as its e820
# (host_check, acpi-checks.sh), and read a complete dump holding dom0's VMCOREINFO note.
FIRMWARE=uefi
EXPECT="(XEN) Bootloader: EFI
E2E: dom0 firmware: UEFI
acpi rsdp table: not read
E2E: range rc=0
E2E: load rc=0
E2E: status crash rc=0
$PANIC_EXPECT
purgatory: sha256 digests match
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
E2E: vmcore dom0 vmcoreinfo OSRELEASE=
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
no dom0 VMCOREINFO note
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  run range "$TOOL" range
  expect 0 load load_ours || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/acpi-checks.sh"
  crash_kernel_acpi_ok "$1"
}
