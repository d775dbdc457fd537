# sb-peer: kexec-tools on a Secure Boot host (FIRMWARE=uefi-sb: OVMF enforcing the
# snakeoil db, Debian's xen.efi signed with the snakeoil key). dom0 learns the Secure
# Boot state through Xen and locks itself down, yet `kexec -p` still arms a crash kernel
# nobody verified: Linux lockdown blocks kexec_load(2), not the privcmd hypercalls
# kexec-tools uses through libxenctrl, and Xen 4.17 has no lockdown of its own. The
# crash kernel boots with ACPI (host_check as uefi-peer). This is the gap xen-kexec-load's
# Secure Boot policy closes for itself (docs/uefi.md).
FIRMWARE=uefi-sb
NEEDS_TOOL=no
EXPECT="(XEN) Bootloader: EFI
UEFI Secure Boot is enabled.
Kernel is locked down from EFI Secure Boot
E2E: dom0 firmware: UEFI
E2E: lockdown: none [integrity] confidentiality
E2E-FIGURE: peer load_s=
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=kexec-tools
E2E: vmcore ok:
E2E: CRASH KERNEL DONE"
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
