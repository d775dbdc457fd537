# efi-refused-reload: a good crash-efi image is armed; then a crash-efi load that the
# test Xen refuses only after copying it into the crash region (a copy of the kernel
# with kernel_alignment 0x100000, forced past the checks with the test-only
# `xen-kexec-fidelity fault-load --skip-preflight`; Xen answers EINVAL and prints "load
# failed ... after writing its segments"). The loader's restore (the default) unloads the
# damaged slot and re-arms the good image: the panic boots it, and its digest is the good one.
# efi-refused-reload-norestore is the same load with --no-restore.
XEN=efi
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load
EXPECT="(XEN) kexec: image digest sha256
E2E: load good rc=0
E2E: status crash rc=0
(XEN) kexec: CRASH_EFI kernel_alignment 0x100000 invalid
(XEN) kexec: type 3 load failed (-22) after writing its segments to the crash region
xen-kexec-fidelity: warning: re-armed the previous crash-efi image
E2E: refused load (forced) rc=
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load good elfcorehdr=
E2E: vmcore ok:"
FORBID='e2e_loader=xen-kexec-load refused elfcorehdr=
digest mismatch
rebooting machine'

dom0() {
  need_tool && need_fidelity || return 1
  expect 0 "load good" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load good" || return 1
  status_is 0 crash
  cp "$KERNEL" /tmp/align-1m
  printf '\000\000\020\000' | dd of=/tmp/align-1m bs=1 seek=$((0x230)) conv=notrunc 2>/dev/null
  run "refused load (forced)" "$FIDELITY" fault-load /tmp/align-1m --efi --initrd "$INITRD" --skip-preflight \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 0 crash
  panic
}

# The re-armed image is the good one: its digest is the one Xen printed for the first load.
host_check() {
  . "$HERE/efi-checks.sh"
  local first ok
  first=$(tr -d '\r' < "$1" | sed -n "s/.*(XEN) kexec: image digest sha256 \($HEX64\) type 3 .*/\1/p" | head -n 1)
  ok=$(efi_digests_agree "$1") || { echo "$ok"; return 1; }
  [ "$(xen_load_digest "$1")" = "$first" ] || { echo "re-armed digest $(xen_load_digest "$1") is not the first load's $first"; return 1; }
  echo "re-armed = first load; $ok"
}
