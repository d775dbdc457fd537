# crash: xen-kexec-load arms the crash kernel (KEXEC_TYPE_CRASH, its own purgatory
# and ELF core header); a dom0 panic boots it and /proc/vmcore is a complete Xen
# dump. Before that, kexec-tools loads the same kernel and initrd in the same boot
# (then unloads), so the figures line compares the two loaders under equal conditions.
EXPECT='E2E-FIGURE: peer load_s=
E2E: kexec-tools unload rc=0
E2E-FIGURE: xen-kexec-load load_s=
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
E2E: vmcore ok:
E2E: CRASH KERNEL DONE'
FORBID='e2e_loader=kexec-tools
rebooting machine'

dom0() {
  need_tool || return 1
  measure peer load_peer || fail "kexec -p failed"
  expect 0 "kexec-tools unload" kexec -p -u
  run "range" "$TOOL" range
  measure xen-kexec-load load_ours || { fail "xen-kexec-load load failed"; return 1; }
  status_is 0 crash
  panic
}
