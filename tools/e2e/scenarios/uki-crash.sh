# uki-crash: `load --type crash` (classic KEXEC_TYPE_CRASH, the project's purgatory) of a
# real Unified Kernel Image on Debian's Xen 4.17: /boot/test-images/crash.uki
# (make-test-images.sh: Debian's systemd-stub + .linux, .initrd, .cmdline, and a section
# name longer than 8 bytes). No --initrd and no --command-line: the crash kernel must get
# the UKI's .cmdline (e2e_image=uki on its /proc/cmdline) and .initrd (its init prints
# "initrd: uki"), and /proc/vmcore must be complete.
# `--append` adds only the e2e_xen_ram=/e2e_xen_crash= words vmcore-check compares the dump
# with (init-dom0.sh); the base command line stays the image's own.
EXPECT="UKI sections:         .text .reloc .data .dynamic .rela .dynsym .sbat .sdmagic .osrel .cmdline .e2e-long-name .linux .initrd
E2E: load uki rc=0
E2E: status crash rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load e2e_image=uki e2e_xen_ram=
E2E: CRASH initrd: uki
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'

dom0() {
  need_tool || return 1
  run "inspect uki" "$TOOL" inspect /boot/test-images/crash.uki
  expect 0 "load uki" "$TOOL" load /boot/test-images/crash.uki --type crash --append "$XEN_RAM_WORDS" || return 1
  status_is 0 crash
  panic
}
