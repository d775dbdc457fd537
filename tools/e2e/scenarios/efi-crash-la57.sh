# efi-crash-la57: efi-crash on a CPU with 5-level paging (-cpu qemu64,+la57). The 6.1
# decompressor switches to 5-level paging through a trampoline in low memory while
# still on Xen's kexec page tables: without the plan's [0, 1 MiB) segment this
# triple-faults (Linux arch/x86/boot/compressed/pgtable_64.c places that trampoline). Xen hides LA57 from its PV dom0, so
# only the crash kernel shows the flag. Same dom0 part and host check as efi-crash.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/efi-crash.sh"; else . /e2e/scenarios/efi-crash.sh; fi
CPU=qemu64,+la57
EXPECT="${EXPECT%E2E: CRASH KERNEL DONE}E2E: CRASH kernel runs with 5-level paging (la57)
E2E: CRASH KERNEL DONE"
