# purgatory-refuses-corrupt: the classic purgatory checks what it jumps into. The crash image
# is loaded by the test-only `xen-kexec-fidelity fault-load --corrupt-purgatory-digest` (the
# image and command line of load_ours), so the purgatory's table records a wrong
# SHA-256 (one bit flipped) for the segments it checks (the bytes Xen copied are the right ones:
# to the purgatory this is what a scribbled segment looks like; one digest names no segment).
# After the dom0 panic the purgatory hashes the segments, prints its refusal on the crash command line's console (ttyS0) and resets the
# machine: QEMU runs with -no-reboot, so the run ends on that reset, not on the time limit.
# The crash kernel never starts: no banner, no command line, no init.
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load (status)
EXPECT="E2E: status crash rc=0
$PANIC_EXPECT
purgatory: checking sha256 of 4 segments
purgatory: sha256 digests do not match: 4 segments ("
FORBID='purgatory: sha256 digests match
] Command line: console=ttyS0
E2E: CRASH KERNEL UP
rebooting machine'

dom0() {
  need_tool && need_fidelity || return 1
  "$FIDELITY" fault-load "$KERNEL" --initrd "$INITRD" --type crash --corrupt-purgatory-digest \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load" || { fail "fault-load failed"; return 1; }
  status_is 0 crash
  panic
}
