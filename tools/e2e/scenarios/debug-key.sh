# debug-key: with a crash kernel armed by xen-kexec-load, Xen's `C` debug key typed
# on the serial line (Ctrl-A x3 switches the input to Xen) triggers the crash dump:
# no dom0 panic at all.
DEBUG_KEY_AFTER='E2E: ready for the debug key'
EXPECT="E2E: load rc=0
E2E: ready for the debug key
triggering crashdump
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
$CRASH_DONE_EXPECT"
FORBID='E2E: panic now
rebooting machine'

dom0() {
  need_tool || return 1
  expect 0 load load_ours || return 1
  mark "ready for the debug key"
  sleep 90
  fail "no crash 90 s after asking for the debug key"
}
