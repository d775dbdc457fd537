# uefi-efi-crash: `load --efi` (KEXEC_TYPE_CRASH_EFI) on a UEFI host: OVMF starts the
# test Xen's own xen.efi (tools/e2e/xen-efi). Xen jumps straight into the signed kernel
# with the loader's boot_params (no purgatory, no command line of the tool's making
# beyond the plan), so boot_params.acpi_rsdp_addr is how this crash kernel finds ACPI.
# host_check: the crash kernel's RSDP and e820 agree with Xen's (acpi-checks.sh), and
# the armed image's digest and entry are the plan's (efi-checks.sh, as efi-crash).
XEN=efi
FIRMWARE=uefi
EXPECT="(XEN) Bootloader: EFI
E2E: dom0 firmware: UEFI
(XEN) kexec: CRASH_EFI entry
E2E: load efi rc=0
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
(XEN) kexec: digest ok sha256
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load efi
E2E: vmcore ok:
E2E: CRASH KERNEL DONE"
FORBID="rebooting machine
digest mismatch
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  expect 0 "load efi" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load efi" || return 1
  status_is 0 crash
  panic
}

host_check() {
  local acpi image
  . "$HERE/acpi-checks.sh"
  . "$HERE/efi-checks.sh"
  acpi=$(crash_kernel_acpi_ok "$1") || { echo "$acpi"; return 1; }
  image=$(efi_armed_image_ok "$1") || { echo "$image"; return 1; }
  echo "$acpi; $image"
}
