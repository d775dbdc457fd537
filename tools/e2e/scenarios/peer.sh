# peer: kexec-tools (the reference loader, `kexec -p`) arms the crash kernel
# through Xen; a dom0 panic boots it and /proc/vmcore is a complete Xen dump.
# Also records kexec-tools' load time and peak RSS for the figures table.
NEEDS_TOOL=no
EXPECT="E2E: /proc/xen/capabilities: control_d
E2E-FIGURE: peer load_s=
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=kexec-tools
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'

dom0() {
  measure peer load_peer || fail "kexec -p failed"
  panic
}
