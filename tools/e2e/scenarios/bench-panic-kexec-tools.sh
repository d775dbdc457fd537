# bench-panic-kexec-tools: bench-panic (its header says what and why) with the crash kernel armed by kexec-tools
# on the plain CPU model (bookworm's QEMU 7.2, qemu64).
PANIC_LOADER=kexec-tools
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/bench-panic.sh"; else . /e2e/scenarios/bench-panic.sh; fi
