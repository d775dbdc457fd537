# efi-crash-la57: efi-crash on a CPU with 5-level paging (-cpu qemu64,+la57). The 6.1
# decompressor switches to 5-level paging through a trampoline in low memory while
# still on Xen's kexec page tables: without the plan's [0, 1 MiB) segment this
# triple-faults (reference/efi-path-proven.md). Xen hides LA57 from its PV dom0, so
# only the crash kernel shows the flag.
XEN=efi
CPU=qemu64,+la57
EXPECT='(XEN) kexec: image digest sha256
E2E: load efi rc=0
E2E: status crash rc=0
E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load efi elfcorehdr=
E2E: vmcore ok:
E2E: CRASH kernel runs with 5-level paging (la57)
E2E: CRASH KERNEL DONE'
FORBID='rebooting machine
digest mismatch'

dom0() {
  need_tool || return 1
  expect 0 "load efi" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load efi" || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/efi-checks.sh"
  efi_armed_image_ok "$1"
}
