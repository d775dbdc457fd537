# refused-reload: a good crash image is armed; then a reload that Xen refuses is
# forced past the tool's preflight (--unsafe-skip-preflight): a KEXEC_TYPE_CRASH_EFI
# load, which Debian's stock Xen 4.17 answers with EINVAL. The tool must unload the
# possibly damaged slot and re-arm the good image, which then boots on panic.
EXPECT='E2E: load good rc=0
E2E: status crash rc=0
E2E: refused load (forced) rc=
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load good
E2E: vmcore ok:'
FORBID='e2e_loader=xen-kexec-load refused
rebooting machine'

dom0() {
  need_tool || return 1
  expect 0 "load good" load_ours --append good || return 1
  status_is 0 crash
  run "refused load (forced)" "$TOOL" load "$KERNEL" --initrd "$INITRD" --efi --unsafe-skip-preflight \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 0 crash
  panic
}
