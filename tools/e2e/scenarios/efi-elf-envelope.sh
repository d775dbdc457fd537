# efi-elf-envelope: `load --efi` of an ELF envelope (/boot/test-images/crash.elf, built by
# make-test-images.sh: .kernel = the signed bzImage, .initrd = the crash initramfs,
# .cmdline = the crash command line + e2e_image=envelope). No --initrd and no
# --command-line: both come from the envelope, so the crash kernel's /proc/cmdline
# must carry the marker and its initramfs must be the one that checks /proc/vmcore.
# `--append` adds only the e2e_xen_ram=/e2e_xen_crash= words vmcore-check compares the dump
# with (init-dom0.sh); the base command line stays the image's own.
# host_check: Xen's segment 0 is exactly the bzImage (its sha256 = the file's), and
# the digests agree as in efi-crash.
XEN=efi
EXPECT="(XEN) kexec: image digest sha256
E2E: load envelope rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load e2e_image=envelope e2e_xen_ram=
$CRASH_DONE_EXPECT"
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  load_embedded_efi envelope /boot/test-images/crash.elf
}

host_check() {
  local seg0 image
  . "$HERE/efi-checks.sh"
  seg0=$(efi_segment0_is_bzimage "$1" "the envelope's .kernel") || { echo "$seg0"; return 1; }
  image=$(efi_armed_image_ok "$1") || { echo "$image"; return 1; }
  echo "$seg0; $image"
}
