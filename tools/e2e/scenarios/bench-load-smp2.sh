# bench-load-smp2 (a benchmark, not in the default suite: tools/bench/load-bench.sh runs it):
# bench-load's 64 MiB crash rounds on a host with two CPUs, so dom0 has two vCPUs and a loader
# may overlap hashing with reading. Prints E2E-BENCH lines; nothing is judged on time.
SMP=2
TIMEOUT=1200
EXPECT='E2E: bench initrds ready
E2E-BENCH: xen-kexec-load-crash-64M wall_s=
E2E: bench done rc=0'

dom0() {
  need_tool || return 1
  . /e2e/bench.sh
  random_initrd /tmp/initrd-64M 64M || return 1
  mark "bench initrds ready: $(stat -c %s /tmp/initrd-64M) bytes, kernel $(stat -c %s "$KERNEL") bytes, $(grep -c ^processor /proc/cpuinfo) vCPU"
  $SHA256SUM "$KERNEL" /tmp/initrd-64M > /dev/null
  hypercall_bytes crash-64M "$KERNEL" --initrd /tmp/initrd-64M --type crash --command-line "$CRASH_CMDLINE_BASE"
  rc=0
  for round in 1 2 3; do
    if [ $((round % 2)) = 1 ]; then
      bench_peer_crash /tmp/initrd-64M 64M && kexec -p -u || rc=1
      bench_ours_crash /tmp/initrd-64M 64M && "$TOOL" unload --type crash || rc=1
    else
      bench_ours_crash /tmp/initrd-64M 64M && "$TOOL" unload --type crash || rc=1
      bench_peer_crash /tmp/initrd-64M 64M && kexec -p -u || rc=1
    fi
    bench "sha256sum-64M" "$SHA256SUM" "$KERNEL" /tmp/initrd-64M || rc=1
  done
  [ "$rc" = 0 ] || fail "a benchmarked command failed (see its E2E-BENCH rc= above)"
  mark "bench done rc=$rc"
}
