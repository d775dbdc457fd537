# reload-status: load, load, unload, load with `status` after every step. Xen's own
# status bit flips on every load and unload (shown for the record, never trusted);
# the tool's status must say what is really armed. The last image then boots.
# Runs (AXES, docs/e2e.md "Axes"): reload-status on Debian's Xen 4.17; reload-status-4.20
# on Debian 13's Xen 4.20 (trixie dom0, trixie build of the tool, 6.12 crash kernel).
AXES='xen=4.17,4.20'
EXPECT='E2E: step 0 (boot)
E2E: status crash rc=3
E2E: step 1 load
E2E: status crash rc=0
E2E: step 2 load again
E2E: status crash rc=0
E2E: step 3 unload
E2E: status crash rc=3
E2E: step 4 load
E2E: status crash rc=0
E2E: panic now
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load step=4
E2E: vmcore ok:'
FORBID='rebooting machine'

dom0() {
  need_tool || return 1
  mark "step 0 (boot)";       status_is 3 crash
  mark "step 1 load";         expect 0 load load_ours --append "step=1"; status_is 0 crash
  mark "step 2 load again";   expect 0 load load_ours --append "step=2"; status_is 0 crash
  mark "step 3 unload";       expect 0 unload "$TOOL" unload --type crash; status_is 3 crash
  mark "step 4 load";         expect 0 load load_ours --append "step=4"; status_is 0 crash
  panic
}
