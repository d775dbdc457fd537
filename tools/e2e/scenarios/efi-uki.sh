# efi-uki: `load --efi` of a real Unified Kernel Image on the test Xen:
# /boot/test-images/crash.uki is Debian's systemd-stub with .linux (the signed bzImage),
# .initrd (the crash initramfs plus a cpio naming itself "uki"), .cmdline (the crash
# command line + e2e_image=uki) and a section whose name is longer than 8 bytes
# (make-test-images.sh). No --initrd and no --command-line: the crash kernel must get the
# UKI's .cmdline (its /proc/cmdline carries e2e_image=uki) and .initrd (its init prints
# "initrd: uki").
# `--append` adds only the e2e_xen_ram=/e2e_xen_crash= words vmcore-check compares the dump
# with (init-dom0.sh); the base command line stays the image's own.
# host_check: Xen's segment 0 is exactly the inner .linux bzImage (its sha256 = the bzImage
# file's: the kernel's own signature, not the UKI's, is what a verifier of segment 0 sees),
# and the digests agree as in efi-crash.
XEN=efi
EXPECT='UKI sections:         .text .reloc .data .dynamic .rela .dynsym .sbat .sdmagic .osrel .cmdline .e2e-long-name .linux .initrd
(XEN) kexec: image digest sha256
E2E: load uki rc=0
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load e2e_image=uki e2e_xen_ram=
E2E: CRASH initrd: uki
E2E: vmcore ok:
E2E: CRASH KERNEL DONE'
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  run "inspect uki" "$TOOL" inspect /boot/test-images/crash.uki
  expect 0 "load uki" "$TOOL" load /boot/test-images/crash.uki --efi --append "$XEN_RAM_WORDS" || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/efi-checks.sh"
  local want got
  want=$(sha256sum < "$OUT/vmlinuz" | cut -d' ' -f1)
  got=$(last_match "$1" "s/.*(XEN) kexec: seg0 0x[0-9a-f]*+0x[0-9a-f]* sha256 \($HEX64\)$/\1/p")
  [ "$got" = "$want" ] || { echo "Xen's segment 0 has sha256 ${got:-none}, the inner bzImage $want"; return 1; }
  got=$(efi_digests_agree "$1") || { echo "$got"; return 1; }
  echo "segment 0 = the UKI's .linux (sha256 $want); $got"
}
