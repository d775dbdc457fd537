# bench-panic-sha-ni: bench-panic (its header says what and why) with the crash kernel armed by xen-kexec-load
# on bookworm-backports' QEMU 10 with SSSE3, SSE4.1 and SHA-NI.
QEMU_FROM=backports
CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt,+sha-ni
PANIC_LOADER=xen-kexec-load
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/bench-panic.sh"; else . /e2e/scenarios/bench-panic.sh; fi
