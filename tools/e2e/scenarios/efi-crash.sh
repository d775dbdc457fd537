# efi-crash: `load --efi` (KEXEC_TYPE_CRASH_EFI, 3) on the project's test Xen
# (tools/e2e/xen-efi): the signed Debian bzImage goes in whole as segment 0, with the
# crash initramfs. A dom0 panic makes Xen check the image's digest and jump straight
# into the kernel (no purgatory); /proc/vmcore must be complete. host_check: the digest
# the tool logged = Xen's at load = Xen's before the jump, and Xen's entry and
# boot_params are the plan's.
# Runs (AXES, docs/e2e.md "Axes"): efi-crash; efi-crash-la57 on a CPU with 5-level paging
# (-cpu qemu64,+la57): the 6.1 decompressor switches to 5-level paging through a trampoline
# in low memory while still on Xen's kexec page tables, so without the plan's [0, 1 MiB)
# segment this triple-faults (Linux arch/x86/boot/compressed/pgtable_64.c places that
# trampoline); Xen hides LA57 from its PV dom0, so only the crash kernel shows the flag.
# uefi-efi-crash on a UEFI host: OVMF starts the test Xen's own xen.efi, Xen jumps straight
# into the signed kernel with the loader's boot_params (no purgatory, no command line of the
# tool's making beyond the plan), so boot_params.acpi_rsdp_addr is how this crash kernel
# finds ACPI; its host_check adds that the crash kernel's RSDP and e820 agree with Xen's
# (acpi-checks.sh).
AXES='xen=efi
cpu=la57
firmware=uefi'
EXPECT="[firmware=uefi] (XEN) Bootloader: EFI
[firmware=uefi] E2E: dom0 firmware: UEFI
(XEN) kexec: CRASH_EFI entry
(XEN) kexec: image digest sha256
E2E: load efi rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
$(tagged firmware=uefi "$ACPI_OK_EXPECT")
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load efi elfcorehdr=
E2E: vmcore ok:
[cpu=la57] E2E: CRASH kernel runs with 5-level paging (la57)
E2E: CRASH KERNEL DONE"
FORBID="rebooting machine
digest mismatch
$(tagged firmware=uefi "$ACPI_MISSING_FORBID")"

dom0() {
  need_tool || return 1
  expect 0 "load efi" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load efi" || return 1
  status_is 0 crash
  panic
}

if axis_is firmware=uefi; then
host_check() {
  local acpi image
  . "$HERE/acpi-checks.sh"
  . "$HERE/efi-checks.sh"
  acpi=$(crash_kernel_acpi_ok "$1") || { echo "$acpi"; return 1; }
  image=$(efi_armed_image_ok "$1") || { echo "$image"; return 1; }
  echo "$acpi; $image"
}
else
host_check() {
  . "$HERE/efi-checks.sh"
  efi_armed_image_ok "$1"
}
fi
