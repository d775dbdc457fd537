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
EXPECT="UKI sections:         .text .reloc .data .dynamic .rela .dynsym .sbat .sdmagic .osrel .cmdline .e2e-long-name .linux .initrd
(XEN) kexec: image digest sha256
E2E: load uki rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load e2e_image=uki e2e_xen_ram=
E2E: CRASH initrd: uki
$CRASH_DONE_EXPECT"
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  load_embedded_efi uki /boot/test-images/crash.uki
}

host_check() {
  local seg0 image
  . "$HERE/efi-checks.sh"
  seg0=$(efi_segment0_is_bzimage "$1" "the UKI's .linux") || { echo "$seg0"; return 1; }
  image=$(efi_digests_agree "$1") || { echo "$image"; return 1; }
  echo "$seg0; $image"
}
