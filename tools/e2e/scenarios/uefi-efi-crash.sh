# uefi-efi-crash: efi-crash on a UEFI host: OVMF starts the test Xen's own xen.efi
# (tools/e2e/xen-efi). Xen jumps straight into the signed kernel with the loader's
# boot_params (no purgatory, no command line of the tool's making beyond the plan), so
# boot_params.acpi_rsdp_addr is how this crash kernel finds ACPI. Same dom0 part as
# efi-crash. host_check: the crash kernel's RSDP and e820 agree with Xen's
# (acpi-checks.sh), and the armed image's digest and entry are the plan's (efi-checks.sh,
# as efi-crash).
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/efi-crash.sh"; else . /e2e/scenarios/efi-crash.sh; fi
FIRMWARE=uefi
EXPECT="(XEN) Bootloader: EFI
E2E: dom0 firmware: UEFI
${EXPECT%%E2E: CRASH KERNEL UP*}$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP${EXPECT#*E2E: CRASH KERNEL UP}"
FORBID="$FORBID
$ACPI_MISSING_FORBID"

host_check() {
  local acpi image
  . "$HERE/acpi-checks.sh"
  . "$HERE/efi-checks.sh"
  acpi=$(crash_kernel_acpi_ok "$1") || { echo "$acpi"; return 1; }
  image=$(efi_armed_image_ok "$1") || { echo "$image"; return 1; }
  echo "$acpi; $image"
}
