# refused-reload: the restore after a reload that Xen refuses AFTER copying it into the
# crash region, on Debian's Xen 4.17. A good classic crash image is armed (the word
# `good` on its command line); then the same kernel with the word `refused` is loaded by the
# test-only `xen-kexec-fidelity fault-load` with arch EM_AARCH64 (183, --arch) past the
# preflight (--skip-preflight). Xen's kexec_load copies the segments into the crash region
# (kimage_load_segments) and only then refuses the arch (machine_kexec_load: EINVAL), so
# the armed image's pages in the crash region are now the refused one's
# (refused-reload-norestore: without the restore, no crash kernel runs). The loader (the
# library's, in fault-load as in xen-kexec-load) must unload the damaged slot and re-arm the
# good image from xen-kexec-load's record ("re-armed the previous crash image"); the panic
# boots it, `good` on its command line.
# Runs (AXES, docs/e2e.md "Axes"): refused-reload on Debian's Xen 4.17; refused-reload-4.20
# on Debian 13's Xen 4.20, where the tool re-arms the good 6.12 crash kernel.
AXES='xen=4.17,4.20'
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load
EXPECT="E2E: load good rc=0
E2E: status crash rc=0
sending arch 183 instead of 62 (test fault injection)
Xen refused the crash load
xen-kexec-fidelity: warning: re-armed the previous crash image
E2E: refused load (forced) rc=
E2E: status crash rc=0
$PANIC_EXPECT
purgatory: sha256 digests match
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load good elfcorehdr=
$CRASH_DONE_EXPECT"
FORBID='e2e_loader=xen-kexec-load refused elfcorehdr=
rebooting machine'

dom0() {
  need_tool && need_fidelity || return 1
  expect 0 "load good" load_ours --append good || return 1
  status_is 0 crash
  run "refused load (forced)" "$FIDELITY" fault-load "$KERNEL" --initrd "$INITRD" --type crash \
    --skip-preflight --arch 183 \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 0 crash
  panic
}
