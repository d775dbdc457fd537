# refused-reload: the restore after a reload that Xen refuses AFTER copying it into the
# crash region, on Debian's Xen 4.17. A good classic crash image is armed (the word
# `good` on its command line); then the same kernel with the word `refused` is loaded
# with arch EM_AARCH64 (183, --unsafe-arch) past the tool's preflight
# (--unsafe-skip-preflight). Xen's kexec_load copies the segments into the crash region
# (kimage_load_segments) and only then refuses the arch (machine_kexec_load: EINVAL), so
# the armed image's pages in the crash region are now the refused one's
# (refused-reload-norestore: without the restore, no crash kernel runs). The tool must unload the damaged slot and re-arm the good image from its
# record ("re-armed the previous crash image"); the panic boots it, `good` on its
# command line.
EXPECT="E2E: load good rc=0
E2E: status crash rc=0
sending arch 183 instead of 62 (--unsafe-arch)
Xen refused the crash load
xen-kexec-load: warning: re-armed the previous crash image
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
  need_tool || return 1
  expect 0 "load good" load_ours --append good || return 1
  status_is 0 crash
  run "refused load (forced)" "$TOOL" load "$KERNEL" --initrd "$INITRD" --type crash \
    --unsafe-skip-preflight --unsafe-arch 183 \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 0 crash
  panic
}
