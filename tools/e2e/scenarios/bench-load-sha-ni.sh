# bench-load-sha-ni (a benchmark, not in the default suite: tools/bench/load-bench.sh runs it):
# bench-load (its header says what) on the SHA-NI CPU model: bookworm-backports' QEMU 10, whose
# TCG emulates SSSE3, SSE4.1 and the SHA extensions that both sha256sum and our dom0 tool's
# SHA-256 (BoringSSL) use when CPUID reports them. Prints E2E-BENCH lines; nothing is judged on time.
QEMU_FROM=backports
CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt,+sha-ni
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/bench-load.sh"; else . /e2e/scenarios/bench-load.sh; fi
