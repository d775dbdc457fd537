# placement-5g: Xen reserves the crash region above 4 GiB (crashkernel=256M@5G on a
# 6 GiB machine); the tool plans into it and the crash kernel boots from there.
MEM=6G
XEN_ARGS="dom0_mem=512M,max:512M crashkernel=256M@5G"
EXPECT="Kdump: 256MB (262144kB) at 0x140000000
E2E: load rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'

dom0() {
  need_tool || return 1
  run "range" "$TOOL" range
  expect 0 load load_ours || return 1
  panic
}
