# refused-reload-nothing-copied: the branch of a refused reload where Xen refuses before
# copying anything, so there is nothing to restore. A good classic crash image is armed;
# then a KEXEC_TYPE_CRASH_EFI load is forced past the preflight by the test-only
# `xen-kexec-fidelity fault-load --skip-preflight`. Debian's Xen 4.17 has no type 3 and
# answers EINVAL in kimage_alloc, before kimage_load_segments copies a byte; the loader sees
# that (kexec_status for type 3 answers EINVAL too), leaves the armed image alone — no
# unload, no re-arm — and exits 69, as xen-kexec-load would. The good image, untouched,
# boots on panic.
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load
EXPECT="E2E: load good rc=0
E2E: status crash rc=0
the armed image was not touched
E2E: refused load (forced) rc=69
E2E: status crash rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load good elfcorehdr=
E2E: vmcore ok:"
FORBID='e2e_loader=xen-kexec-load refused
re-armed the previous
rebooting machine'

dom0() {
  need_tool && need_fidelity || return 1
  expect 0 "load good" load_ours --append good || return 1
  status_is 0 crash
  expect 69 "refused load (forced)" "$FIDELITY" fault-load "$KERNEL" --initrd "$INITRD" --efi --skip-preflight \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused"
  status_is 0 crash
  panic
}
