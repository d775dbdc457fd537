# sb-uki-cmdline-tampered: on a Secure Boot host (FIRMWARE=uefi-sb, the test Xen) a signed
# UKI is loaded only if its own signature (over .linux, .initrd and .cmdline) verifies, not
# just .linux's. /boot/test-images/crash-signed.uki (build-initramfs.sh: the test UKI with the
# snakeoil kernel as .linux, the whole UKI signed with the snakeoil key) is armed; a copy
# with one byte of .cmdline changed (e2e_image=uki -> e2e_image=ukj) is refused with 80 and
# the signed UKI stays armed and is what boots on panic.
XEN=efi
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
E2E: scenario sb-uki-cmdline-tampered
UKI signature verified (
.linux signature verified (
(XEN) kexec: CRASH_EFI entry
E2E: load signed-uki rc=0
E2E: status crash rc=0
E2E: .cmdline byte changed
the UKI's own signature (over .linux, .initrd, .cmdline): tampered
E2E: load tampered-uki rc=80
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
Kernel is locked down from command line
E2E: CRASH KERNEL UP
e2e_image=uki
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
digest mismatch
e2e_image=ukj
E2E: load tampered-uki rc=0"

dom0() {
  need_tool || return 1
  local uki=/boot/test-images/crash-signed.uki off
  expect 0 "load signed-uki" "$TOOL" load "$uki" --efi --append "$XEN_RAM_WORDS" || return 1
  status_is 0 crash
  off=$(cat "$uki.cmdline-offset")
  cp "$uki" /tmp/tampered.uki
  printf 'j' | dd of=/tmp/tampered.uki bs=1 seek=$((off + 12)) conv=notrunc 2>/dev/null
  cmp -s "$uki" /tmp/tampered.uki && { fail "the copy was not changed"; return 1; }
  mark ".cmdline byte changed"
  expect 80 "load tampered-uki" "$TOOL" load /tmp/tampered.uki --efi --append "$XEN_RAM_WORDS"
  status_is 0 crash
  panic
}
