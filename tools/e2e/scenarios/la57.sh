# la57: a CPU with 5-level paging (-cpu qemu64,+la57). The 6.1 decompressor switches
# paging mode through a trampoline in low memory while still on Xen's kexec page
# tables, so this fails unless the plan maps the first MiB. Xen hides LA57 from its
# PV dom0, so only the crash kernel can show the flag.
CPU=qemu64,+la57
EXPECT="E2E: load rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
E2E: vmcore ok:
E2E: CRASH kernel runs with 5-level paging (la57)
E2E: CRASH KERNEL DONE"
FORBID='rebooting machine'

dom0() {
  need_tool || return 1
  expect 0 load load_ours || return 1
  panic
}
