# efi-on-stock-xen: Debian's stock Xen 4.17 has no KEXEC_TYPE_CRASH_EFI. A classic crash
# kernel (type 1) is armed first; then `load --efi` must exit 69 (EX_UNAVAILABLE) saying
# that this Xen lacks the EFI load type, the classic kernel must still be armed (status
# 0), and a panic must boot it.
# Runs (AXES, docs/e2e.md "Axes"): efi-on-stock-xen on Debian's Xen 4.17;
# efi-on-stock-xen-4.20 on Debian 13's Xen 4.20 (no KEXEC_TYPE_CRASH_EFI either), where the
# classic 6.12 crash kernel stays armed and boots.
AXES='xen=4.17,4.20'
EXPECT="E2E: load classic rc=0
E2E: status crash rc=0
E2E: load efi rc=69
E2E: the tool says Xen lacks the EFI load type
E2E: status crash rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load classic elfcorehdr=
$CRASH_DONE_EXPECT"
FORBID='e2e_loader=xen-kexec-load efi elfcorehdr=
rebooting machine'

dom0() {
  need_tool || return 1
  expect 0 "load classic" load_ours --append classic || return 1
  status_is 0 crash
  "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load efi" > /tmp/efi.out 2>&1
  _rc=$?
  sed 's/^/  | /' /tmp/efi.out
  mark "load efi rc=$_rc"
  [ "$_rc" = 69 ] || fail "load efi: rc=$_rc, expected 69"
  if grep -q "does not implement the EFI load type" /tmp/efi.out; then
    mark "the tool says Xen lacks the EFI load type"
  else
    fail "the message does not say that Xen lacks the EFI load type"
  fi
  status_is 0 crash
  panic
}
