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
EXPECT='(XEN) kexec: image digest sha256
E2E: load envelope rc=0
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load e2e_image=envelope e2e_xen_ram=
E2E: vmcore ok:
E2E: CRASH KERNEL DONE'
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  run "inspect envelope" "$TOOL" inspect /boot/test-images/crash.elf
  expect 0 "load envelope" "$TOOL" load /boot/test-images/crash.elf --efi --append "$XEN_RAM_WORDS" || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/efi-checks.sh"
  local want got
  want=$(sha256sum < "$OUT/vmlinuz" | cut -d' ' -f1)
  got=$(last_match "$1" "s/.*(XEN) kexec: seg0 0x[0-9a-f]*+0x[0-9a-f]* sha256 \($HEX64\)$/\1/p")
  [ "$got" = "$want" ] || { echo "Xen's segment 0 has sha256 ${got:-none}, the bzImage $want"; return 1; }
  got=$(efi_armed_image_ok "$1") || { echo "$got"; return 1; }
  echo "segment 0 = the bzImage (sha256 $want); $got"
}
