# bench-load-efi (a benchmark, not in the default suite: tools/bench/load-bench.sh runs it):
# on the project's test Xen (KEXEC_TYPE_CRASH_EFI), `xen-kexec-load load --efi` against
# kexec-tools' classic `kexec -p` in the same boot, with a 1 MiB and a 64 MiB initrd of random
# bytes, three interleaved rounds each. Xen hashes the whole --efi payload inside the
# hypercall, so this compares the two load types, not only the loaders. Prints E2E-BENCH
# lines; nothing is judged on time.
XEN=efi
TIMEOUT=1500
EXPECT='E2E: bench initrds ready
E2E-BENCH: xen-kexec-load-efi-64M wall_s=
E2E: bench done rc=0'

dom0() {
  need_tool || return 1
  . /e2e/bench.sh
  random_initrd /tmp/initrd-1M 1M && random_initrd /tmp/initrd-64M 64M || return 1
  mark "bench initrds ready: $(stat -c %s /tmp/initrd-1M) and $(stat -c %s /tmp/initrd-64M) bytes, kernel $(stat -c %s "$KERNEL") bytes, $(grep -c ^processor /proc/cpuinfo) vCPU"
  $SHA256SUM "$KERNEL" /tmp/initrd-1M /tmp/initrd-64M > /dev/null
  rc=0
  for size in 1M 64M; do
    hypercall_bytes "efi-$size" "$KERNEL" --initrd "/tmp/initrd-$size" --efi --command-line "$CRASH_CMDLINE_BASE"
    for round in 1 2 3; do
      if [ $((round % 2)) = 1 ]; then
        bench_peer_crash "/tmp/initrd-$size" "$size" && kexec -p -u || rc=1
      fi
      bench "xen-kexec-load-efi-$size" "$TOOL" load "$KERNEL" --initrd "/tmp/initrd-$size" --efi \
        --command-line "$CRASH_CMDLINE_BASE" && "$TOOL" unload --type crash || rc=1
      if [ $((round % 2)) = 0 ]; then
        bench_peer_crash "/tmp/initrd-$size" "$size" && kexec -p -u || rc=1
      fi
      bench "sha256sum-$size" "$SHA256SUM" "$KERNEL" "/tmp/initrd-$size" || rc=1
    done
  done
  [ "$rc" = 0 ] || fail "a benchmarked command failed (see its E2E-BENCH rc= above)"
  mark "bench done rc=$rc"
}
