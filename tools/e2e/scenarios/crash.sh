# crash: xen-kexec-load arms the crash kernel (KEXEC_TYPE_CRASH, its own purgatory
# and ELF core header); a dom0 panic boots it and /proc/vmcore is a complete Xen
# dump. Before that, kexec-tools and xen-kexec-load load the same kernel and initrd
# in the same boot, three times each, interleaved (TCG timings are noisy), so the
# figure lines compare the two loaders under equal conditions (plus one `load --dry-run`).
# The last load stays. Its ELF core header carries dom0's own VMCOREINFO note, which the
# crash kernel's check finds (its OSRELEASE= line).
EXPECT='E2E-FIGURE: xen-kexec-load-dry-run load_s=
E2E-FIGURE: peer load_s=
E2E: kexec-tools unload rc=0
E2E-FIGURE: xen-kexec-load load_s=
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
purgatory: sha256 digests match
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
E2E: vmcore dom0 vmcoreinfo OSRELEASE=
E2E: vmcore ok:
E2E: CRASH KERNEL DONE'
FORBID='e2e_loader=kexec-tools
rebooting machine
no dom0 VMCOREINFO note
dom0 vmcoreinfo has no OSRELEASE'

dry_run_ours() { load_ours --dry-run > /dev/null; }   # the plan JSON is not for the log

dom0() {
  need_tool || return 1
  run "range" "$TOOL" range
  # load --dry-run: plan from the live host (reads, hashes, preflights), sends nothing.
  measure xen-kexec-load-dry-run dry_run_ours || fail "load --dry-run failed"
  for round in 1 2 3; do
    measure peer load_peer || fail "kexec -p failed"
    expect 0 "kexec-tools unload" kexec -p -u
    measure xen-kexec-load load_ours || { fail "xen-kexec-load load failed"; return 1; }
    [ "$round" = 3 ] || expect 0 "xen-kexec-load unload" "$TOOL" unload --type crash
  done
  status_is 0 crash
  panic
}
