# bench-panic-kexec-tools: bench-panic (its header says what and why) with the crash kernel
# armed by kexec-tools; bench-panic-kexec-tools-sha-ni on the SHA-NI CPU model.
AXES='cpu=qemu64,sha-ni'
PANIC_LOADER=kexec-tools
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/bench-panic.sh"; else . /e2e/scenarios/axes/bench-panic.sh; fi
