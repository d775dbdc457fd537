# refused-reload-norestore: refused-reload with fault-load's --no-restore, to show that the refused
# load really damaged the armed image on Debian's Xen 4.17. Xen copied the refused image
# into the crash region before refusing its arch, and the good image stays armed over
# those pages: `status` cannot vouch for the slot (exit 4), and on panic no crash kernel
# runs at all — the machine resets right after "Executing kexec image". (Both loads have
# the same layout, so the refused one's segments land on the good one's, and its control
# and page-table pages, which Xen takes zeroed from the bottom of the crash region with
# kimage_alloc_crash_control_page, on the good image's.)
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load
EXPECT="E2E: load good rc=0
E2E: status crash rc=0
sending arch 183 instead of 62 (test fault injection)
Xen refused the crash load
E2E: refused load (forced) rc=
E2E: status crash rc=4
$PANIC_EXPECT"
FORBID='E2E: CRASH KERNEL UP
re-armed the previous'

dom0() {
  need_tool && need_fidelity || return 1
  expect 0 "load good" load_ours --append good || return 1
  status_is 0 crash
  run "refused load (forced)" "$FIDELITY" fault-load "$KERNEL" --initrd "$INITRD" --type crash \
    --skip-preflight --arch 183 --no-restore \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 4 crash
  panic
}
