# efi-crash: `load --efi` (KEXEC_TYPE_CRASH_EFI, 3) on the project's test Xen
# (tools/e2e/xen-efi): the signed Debian bzImage goes in whole as segment 0, with the
# crash initramfs. A dom0 panic makes Xen check the image's digest and jump straight
# into the kernel (no purgatory); /proc/vmcore must be complete. host_check: the digest
# the tool logged = Xen's at load = Xen's before the jump, and Xen's entry and
# boot_params are the plan's.
XEN=efi
EXPECT="(XEN) kexec: CRASH_EFI entry
(XEN) kexec: image digest sha256
E2E: load efi rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load efi elfcorehdr=
$CRASH_DONE_EXPECT"
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  expect 0 "load efi" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load efi" || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/efi-checks.sh"
  efi_armed_image_ok "$1"
}
