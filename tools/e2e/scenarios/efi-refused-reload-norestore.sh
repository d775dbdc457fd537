# efi-refused-reload-norestore: efi-refused-reload with fault-load's --no-restore: the refused load's
# bytes stay in the crash region on top of the armed image, `status` says it cannot
# vouch for the slot (exit 4), and on panic Xen's digest check refuses to enter the
# changed image and reboots instead. host_check: the digest Xen says it loaded is the
# good image's (the tool's), and the one it found differs.
XEN=efi
NEEDS_FIDELITY=yes  # fault-load, besides xen-kexec-load
EXPECT='(XEN) kexec: image digest sha256
E2E: load good rc=0
E2E: status crash rc=0
(XEN) kexec: CRASH_EFI kernel_alignment 0x100000 invalid
(XEN) kexec: type 3 load failed (-22) after writing its segments to the crash region
E2E: refused load (forced) rc=
E2E: status crash rc=4
E2E: panic now
(XEN) kexec: digest mismatch: loaded
(XEN) kexec: refusing to enter the changed crash image
rebooting machine'
FORBID='E2E: CRASH KERNEL UP
digest ok
re-armed'

dom0() {
  need_tool && need_fidelity || return 1
  expect 0 "load good" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load good" || return 1
  status_is 0 crash
  cp "$KERNEL" /tmp/align-1m
  printf '\000\000\020\000' | dd of=/tmp/align-1m bs=1 seek=$((0x230)) conv=notrunc 2>/dev/null
  run "refused load (forced)" "$FIDELITY" fault-load /tmp/align-1m --efi --initrd "$INITRD" --skip-preflight --no-restore \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load refused" \
    && fail "Xen accepted the forced load"
  status_is 4 crash
  panic
}

host_check() {
  . "$HERE/efi-checks.sh"
  local tool loaded now
  tool=$(tool_digest "$1")
  loaded=$(last_match "$1" "s/.*(XEN) kexec: digest mismatch: loaded \($HEX64\) now \($HEX64\).*/\1/p")
  now=$(last_match "$1" "s/.*(XEN) kexec: digest mismatch: loaded \($HEX64\) now \($HEX64\).*/\2/p")
  [ -n "$tool" ] && [ "$loaded" = "$tool" ] || { echo "Xen's armed digest ${loaded:-none} is not the tool's ${tool:-none}"; return 1; }
  [ -n "$now" ] && [ "$now" != "$loaded" ] || { echo "no changed digest in Xen's mismatch line"; return 1; }
  echo "Xen refused the changed image: loaded $loaded (= the tool's), found $now"
}
