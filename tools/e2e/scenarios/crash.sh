# crash: xen-kexec-load arms the crash kernel (KEXEC_TYPE_CRASH, its own purgatory
# and ELF core header); a dom0 panic boots it and /proc/vmcore is a complete Xen
# dump. Before that, kexec-tools and xen-kexec-load load the same kernel and initrd
# in the same boot, three times each, interleaved (TCG timings are noisy), so the
# figure lines compare the two loaders under equal conditions (plus one `load --dry-run`).
# First, each loader loads the kernel with a 64 MiB initrd of random bytes once and the
# "load-64MiB" figure line gives their ratio (a figure on every run, never judged on time;
# tools/bench/load-bench.sh takes medians). The last load stays. Its ELF core header carries
# dom0's own VMCOREINFO note, which the crash kernel's check finds (its OSRELEASE= line).
# `range -v` shows how the firmware was decided: no EFI from Xen, and SeaBIOS's RSDP found
# through /dev/mem in the BIOS area, where the crash kernel finds it itself.
# Runs (AXES, docs/e2e.md "Axes"): crash on Debian 12's Xen 4.17; crash-4.20 on Debian 13:
# trixie's Xen 4.20, its signed 6.12 kernel as dom0 and as the crash kernel, the trixie
# build of the tool (libxenctrl.so.4.20) and trixie's kexec-tools as the reference loader in
# the same boot, the crash kernel's banner the 6.12 one; crash-4.20-bookworm-kernel the same
# with Debian 12's signed 6.1 kernel as the crash kernel (/boot/vmlinuz-crash-bookworm): an
# admin who keeps the older kernel for kdump (both loaders load the 6.1 kernel), its banner
# the 6.1 one. crash-sha-ni: crash on the SHA-NI CPU model (bookworm-backports' QEMU 10,
# qemu64,+ssse3,+sse4.1,+sha-ni): the purgatory takes its SHA-NI path and says so, and the
# load-64MiB figure line comes from that model too.
AXES='xen=4.17,4.20
xen=4.20 kernel=bookworm
cpu=sha-ni'
EXPECT="the ACPI RSDP is at 0x
E2E: range rc=0
[xen=4.17] E2E-FIGURE: load-64MiB kexec-tools_s=
E2E-FIGURE: xen-kexec-load-dry-run load_s=
E2E-FIGURE: peer load_s=
E2E: kexec-tools unload rc=0
E2E-FIGURE: xen-kexec-load load_s=
E2E: status crash rc=0
$PANIC_EXPECT
[cpu=qemu64] purgatory: sha256 digests match (scalar)
[cpu=sha-ni] purgatory: sha256 digests match (sha-ni)
[xen=4.20 kernel=dom0] Linux version 6.12.
[kernel=bookworm] Linux version 6.1.0-
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
E2E: vmcore dom0 vmcoreinfo OSRELEASE=
$CRASH_DONE_EXPECT"
FORBID='e2e_loader=kexec-tools
rebooting machine
no dom0 VMCOREINFO note
dom0 vmcoreinfo has no OSRELEASE'
# The 64 MiB load figure on Xen 4.17 alone: one figure per CI run is enough.
if axis_is xen=4.17; then FIGURE_64M=yes; else FIGURE_64M=no; fi
TIMEOUT=300      # the two 64 MiB loads add about 30 s on a busy host

dry_run_ours() { load_ours --dry-run > /dev/null; }   # the plan JSON is not for the log

# load_64m_figure: kexec-tools and xen-kexec-load, once each, on the kernel + a 64 MiB initrd
# of random bytes (unloaded again), and one figure line with the ratio of their wall times.
load_64m_figure() {
  . /e2e/bench.sh
  random_initrd /tmp/initrd-64M 64M || return 1
  bench_peer_crash /tmp/initrd-64M 64M && kexec -p -u || return 1
  peer_s=$_s peer_kb=$_kb
  bench_ours_crash /tmp/initrd-64M 64M && "$TOOL" unload --type crash || return 1
  rm -f /tmp/initrd-64M
  echo "E2E-FIGURE: load-64MiB kexec-tools_s=$peer_s xen-kexec-load_s=$_s ratio=$(awk -v a="$_s" -v b="$peer_s" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }') rss_kb=$peer_kb/$_kb (kernel + 64 MiB initrd, one run each)"
}

dom0() {
  need_tool || return 1
  run "range" "$TOOL" range -v
  if [ "$FIGURE_64M" = yes ]; then load_64m_figure || fail "a 64 MiB initrd load failed"; fi
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
