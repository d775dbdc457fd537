# bench-startup (a benchmark, not in the default suite: tools/bench/load-bench.sh runs it):
# the small commands' start-up cost in dom0 on Debian's Xen 4.17, five runs each, with
# nothing loaded: `xen-kexec-load --version`, `status`, `unload`, `range` against kexec-tools'
# `kexec -S -p` and `kexec -p -u`. Prints E2E-BENCH lines; nothing is judged on time.
EXPECT='E2E: bench initrds ready
E2E-BENCH: xen-kexec-load-unload-none wall_s=
E2E: bench done rc=0'

dom0() {
  need_tool || return 1
  . /e2e/bench.sh
  mark "bench initrds ready: none, kernel $(stat -c %s "$KERNEL") bytes, $(grep -c ^processor /proc/cpuinfo) vCPU; tool $(stat -c %s "$TOOL") bytes"
  rc=0
  for round in 1 2 3 4 5; do
    bench "kexec-tools-status" kexec -S -p
    bench "xen-kexec-load-status" "$TOOL" status --type crash; [ $? = 3 ] || rc=1
    bench "kexec-tools-unload-none" kexec -p -u || rc=1
    bench "xen-kexec-load-unload-none" "$TOOL" unload --type crash || rc=1
    bench "xen-kexec-load-version" "$TOOL" --version || rc=1
    bench "xen-kexec-load-range" "$TOOL" range || rc=1
  done
  [ "$rc" = 0 ] || fail "a benchmarked command failed (see its E2E-BENCH rc= above)"
  mark "bench done rc=$rc"
}
