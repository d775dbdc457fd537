# unload: load, then unload: the panic finds no crash image, so Xen reboots the
# machine and no crash kernel runs.
EXPECT='E2E: load rc=0
E2E: status crash rc=0
E2E: unload rc=0
E2E: status crash rc=3
E2E: panic now
Hardware Dom0 crashed: rebooting machine'
FORBID='E2E: CRASH KERNEL UP
Executing kexec image'

dom0() {
  need_tool || return 1
  expect 0 load load_ours || return 1
  status_is 0 crash
  expect 0 unload "$TOOL" unload --type crash
  status_is 3 crash
  panic
}
