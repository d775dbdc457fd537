# sb-revoked: a Secure Boot host whose dbx lists the crash kernel's Authenticode SHA-256
# (FIRMWARE=uefi-sb-dbx: OVMF's snakeoil variables with that hash enrolled by virt-fw-vars).
# The kernel is signed by a key in db, but revoked: `load --efi` is refused with 80, and so
# is every load of it with --allow-unverified-kernel, the classic type included (the opt-in
# never overrides a revocation). Nothing is armed.
XEN=efi
FIRMWARE=uefi-sb-dbx
EXPECT="(XEN) Bootloader: EFI
E2E: scenario sb-revoked
revoked: dbx lists the image's SHA-256 Authenticode hash
E2E: load revoked rc=80
revoked: dbx lists the image's SHA-256 Authenticode hash
E2E: load revoked opt-in rc=80
revoked: dbx lists the image's SHA-256 Authenticode hash
E2E: load revoked classic opt-in rc=80
E2E: status crash rc=3"
FORBID="(XEN) kexec: CRASH_EFI entry
E2E: load revoked rc=0
E2E: load revoked opt-in rc=0
E2E: load revoked classic opt-in rc=0"

dom0() {
  need_tool || return 1
  local k=/boot/test-images/vmlinuz-snakeoil
  expect 80 "load revoked" "$TOOL" load "$k" --efi --initrd "$INITRD" --command-line "$CRASH_CMDLINE"
  expect 80 "load revoked opt-in" "$TOOL" load "$k" --efi --allow-unverified-kernel --initrd "$INITRD" --command-line "$CRASH_CMDLINE"
  expect 80 "load revoked classic opt-in" "$TOOL" load "$k" --type crash --allow-unverified-kernel --initrd "$INITRD" --command-line "$CRASH_CMDLINE"
  expect 3 "status crash" "$TOOL" status --type crash
}
