# bench-panic (a benchmark, not in the default suite: tools/bench/panic-bench.sh runs it): one
# dom0 panic on Debian's Xen 4.17 with the Debian kernel and a 64 MiB initrd of random bytes
# armed in the crash slot, by xen-kexec-load (this file) or by kexec-tools
# (bench-panic-kexec-tools, which sets PANIC_LOADER and reads this file); on the plain CPU
# model (bookworm's QEMU 7.2, qemu64: no SHA extensions) or, in the -sha-ni runs (axis
# cpu=sha-ni), on bookworm-backports' QEMU 10 with SSSE3, SSE4.1 and SHA-NI. panic-bench.sh
# times the serial lines from Xen's "Executing kexec image" to the crash kernel's banner (both
# purgatories hash all 64 MiB before the jump). Our purgatory names the path it took, which
# the EXPECT holds to the CPU model. The crash kernel then panics on its initrd of random
# bytes (panic=-1), which ends the run.
AXES='cpu=qemu64,sha-ni'
PANIC_LOADER=${PANIC_LOADER:-xen-kexec-load}
TIMEOUT=900
XEN_ARGS="dom0_mem=768M,max:768M crashkernel=256M@1G"
if [ "$PANIC_LOADER" = xen-kexec-load ]; then
  EXPECT="E2E: bench initrd ready
E2E: armed by xen-kexec-load
$PANIC_EXPECT
[cpu=qemu64] purgatory: sha256 digests match (scalar)
[cpu=sha-ni] purgatory: sha256 digests match (sha-ni)
] Linux version"
else
  EXPECT="E2E: bench initrd ready
E2E: armed by kexec-tools
$PANIC_EXPECT
] Linux version"
fi
FORBID='purgatory: sha256 digests do not match'

dom0() {
  need_tool || return 1
  . /e2e/bench.sh
  random_initrd /tmp/initrd-64M 64M || return 1
  mark "bench initrd ready: $(stat -c %s /tmp/initrd-64M) bytes, kernel $(stat -c %s "$KERNEL") bytes, $(grep -c ^processor /proc/cpuinfo) vCPU, CPU flags: $(grep -o -w -e sha_ni -e ssse3 -e sse4_1 /proc/cpuinfo | sort -u | tr '\n' ' ')"
  if [ "$PANIC_LOADER" = xen-kexec-load ]; then
    bench_ours_crash /tmp/initrd-64M 64M || return 1
  else
    bench_peer_crash /tmp/initrd-64M 64M || return 1
  fi
  mark "armed by $PANIC_LOADER"
  panic
}
