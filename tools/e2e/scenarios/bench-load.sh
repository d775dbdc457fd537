# bench-load (a benchmark, not in the default suite: tools/bench/load-bench.sh runs it):
# in one dom0 boot on Debian's Xen 4.17, kexec-tools `kexec -p` and `xen-kexec-load load
# --type crash` load the Debian kernel with a 1 MiB and a 64 MiB initrd of random bytes, three
# interleaved rounds each (the order alternates per round), beside `load --dry-run`, each
# loader's unload, `status` against `kexec -S -p`, and coreutils sha256sum and cat of the same
# bytes; then, untimed, what the peak RSS of each 64 MiB load is made of (E2E-BENCH-RSS).
# Prints E2E-BENCH lines (tools/e2e/guest/bench.sh); nothing is judged on time.
# bench-load-sha-ni (axis cpu=sha-ni): the same on bookworm-backports' QEMU 10 with SSSE3,
# SSE4.1 and SHA-NI, which sha256sum and the tool's SHA-256 (BoringSSL) use when CPUID says so.
AXES='cpu=qemu64,sha-ni'
TIMEOUT=1500
# dom0 gets 768 MiB rather than the suite's 512: the busybox root (tmpfs) holds about 240 MB
# with the two initrds, and kexec-tools holds a 64 MiB initrd twice (its heap copy and its
# hypercall bounce buffers); with 512 MiB its sampled run below was OOM-killed.
XEN_ARGS="dom0_mem=768M,max:768M crashkernel=256M@1G"
EXPECT='E2E: bench initrds ready
E2E-BENCH: kexec-tools-crash-1M wall_s=
E2E-BENCH: xen-kexec-load-crash-64M wall_s=
E2E: bench done rc=0'

bench_round() {   # bench_round ROUND LABEL INITRD
  if [ $(($1 % 2)) = 1 ]; then
    bench_peer_crash "$3" "$2"; bench "kexec-tools-unload-$2" kexec -p -u
    bench_ours_crash "$3" "$2"; bench "xen-kexec-load-unload-$2" "$TOOL" unload --type crash
  else
    bench_ours_crash "$3" "$2"; bench "xen-kexec-load-unload-$2" "$TOOL" unload --type crash
    bench_peer_crash "$3" "$2"; bench "kexec-tools-unload-$2" kexec -p -u
  fi
  bench "xen-kexec-load-dry-run-$2" "$TOOL" load --dry-run "$KERNEL" --initrd "$3" --type crash \
    --command-line "$CRASH_CMDLINE_BASE"
  bench "sha256sum-$2" "$SHA256SUM" "$KERNEL" "$3"
  bench "cat-$2" "$CAT" "$KERNEL" "$3"
}

dom0() {
  need_tool || return 1
  . /e2e/bench.sh
  random_initrd /tmp/initrd-1M 1M && random_initrd /tmp/initrd-64M 64M || return 1
  mark "bench initrds ready: $(stat -c %s /tmp/initrd-1M) and $(stat -c %s /tmp/initrd-64M) bytes, kernel $(stat -c %s "$KERNEL") bytes, $(grep -c ^processor /proc/cpuinfo) vCPU"
  $SHA256SUM "$KERNEL" /tmp/initrd-1M /tmp/initrd-64M > /dev/null   # same page-cache state for all
  hypercall_bytes crash-1M "$KERNEL" --initrd /tmp/initrd-1M --type crash --command-line "$CRASH_CMDLINE_BASE"
  hypercall_bytes crash-64M "$KERNEL" --initrd /tmp/initrd-64M --type crash --command-line "$CRASH_CMDLINE_BASE"
  rc=0
  for round in 1 2 3; do
    bench_round "$round" 1M /tmp/initrd-1M || rc=1
    # the small commands, with nothing loaded
    bench "xen-kexec-load-status" "$TOOL" status --type crash; [ $? = 3 ] || rc=1
    bench "kexec-tools-status" kexec -S -p
    bench "xen-kexec-load-range" "$TOOL" range || rc=1
    bench "xen-kexec-load-version" "$TOOL" --version || rc=1
  done
  for round in 1 2 3; do bench_round "$round" 64M /tmp/initrd-64M || rc=1; done
  # What the peak RSS of a 64 MiB load is made of (sampled, untimed).
  bench_rss kexec-tools-crash-64M kexec -p "$KERNEL" --initrd=/tmp/initrd-64M --append="$CRASH_CMDLINE_BASE" || rc=1
  kexec -p -u
  bench_rss xen-kexec-load-crash-64M "$TOOL" load "$KERNEL" --initrd /tmp/initrd-64M --type crash \
    --command-line "$CRASH_CMDLINE_BASE" || rc=1
  "$TOOL" unload --type crash > /dev/null
  bench_rss xen-kexec-load-dry-run-64M "$TOOL" load --dry-run "$KERNEL" --initrd /tmp/initrd-64M --type crash \
    --command-line "$CRASH_CMDLINE_BASE" || rc=1
  [ "$rc" = 0 ] || fail "a benchmarked command failed (see its E2E-BENCH rc= above)"
  mark "bench done rc=$rc"
}
