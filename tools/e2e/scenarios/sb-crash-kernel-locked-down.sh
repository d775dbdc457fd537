# sb-crash-kernel-locked-down: on a Secure Boot host (FIRMWARE=uefi-sb, the test Xen) the
# crash kernel armed with `load --efi` comes up locked down: the plan sets
# boot_params.secure_boot = 3, as Linux's own kexec copies it, and, because a kernel
# started without EFI information ignores that flag, puts lockdown=integrity (dom0's own
# mode) on its command line. The crash kernel's log must say so, and its dump must still
# be complete (vmcore ok): /proc/vmcore is readable under integrity lockdown.
XEN=efi
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
Kernel is locked down from EFI Secure Boot
E2E: lockdown: none [integrity] confidentiality
E2E: scenario sb-crash-kernel-locked-down
signature verified (
(XEN) kexec: CRASH_EFI entry
E2E: load rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
lockdown=integrity
Kernel is locked down from command line
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=locked-down
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
digest mismatch
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  expect 0 load "$TOOL" load /boot/test-images/vmlinuz-snakeoil --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=locked-down" || return 1
  status_is 0 crash
  panic
}
