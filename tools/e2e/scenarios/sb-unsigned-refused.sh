# sb-unsigned-refused: on a Secure Boot host with the test Xen (FIRMWARE=uefi-sb), a
# kernel the firmware's db does not trust is refused before any hypercall and the armed
# crash kernel survives. The snakeoil-signed kernel is armed with `load --efi`; then
# `load --efi` of Debian's own signed kernel (its CA lives in shim, not in the snakeoil db)
# must exit 80 (refused by the Secure Boot policy), status must still say armed, Xen must
# not have seen a second load (host_check: one "CRASH_EFI entry" line), and a panic must
# boot the first kernel, with ACPI at Xen's RSDP.
XEN=efi
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
E2E: efivars: db present
E2E: lockdown: none [integrity] confidentiality
(XEN) kexec: CRASH_EFI entry
E2E: load snakeoil rc=0
E2E: status crash rc=0
refused by the Secure Boot policy (dom0 is locked down (integrity)): /boot/vmlinuz-crash
E2E: load debian-signed rc=80
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load snakeoil
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
digest mismatch
e2e_loader=xen-kexec-load debian-signed
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  expect 0 "load snakeoil" "$TOOL" load /boot/test-images/vmlinuz-snakeoil --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load snakeoil" || return 1
  status_is 0 crash
  expect 80 "load debian-signed" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load debian-signed"
  status_is 0 crash
  panic
}

host_check() {
  local n acpi
  . "$HERE/acpi-checks.sh"
  n=$(tr -d '\r' < "$1" | grep -c '^(XEN) kexec: CRASH_EFI entry' || true)
  [ "$n" = 1 ] || { echo "Xen saw $n CRASH_EFI loads, not 1: the refused kernel reached Xen"; return 1; }
  acpi=$(crash_kernel_acpi_ok "$1") || { echo "$acpi"; return 1; }
  echo "1 load reached Xen; $acpi"
}
