# sb-stock-xen: a Secure Boot host running Debian's stock Xen 4.17 (xen.efi signed with
# the snakeoil key), which has no KEXEC_TYPE_CRASH_EFI. dom0 is locked down, yet
# kexec-tools' `kexec -p` still arms a kernel nobody verified (Linux lockdown blocks
# kexec_load(2), not the privcmd hypercalls a Xen loader makes; Xen 4.17 has no lockdown);
# it is unloaded again. A classic crash load by xen-kexec-load would do the same, so
# `load --type crash` is refused by default (exit 80) with nothing armed, and the
# administrator's explicit `--allow-unverified-kernel` arms it with a warning. A panic
# boots it, with ACPI at Xen's RSDP (host_check, acpi-checks.sh).
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
E2E: lockdown: none [integrity] confidentiality
E2E-FIGURE: peer load_s=
E2E: kexec-tools unload rc=0
E2E: status crash rc=3
the crash (KEXEC_TYPE_CRASH) load type would arm an unverified kernel
E2E: load refused rc=80
E2E: status crash rc=3
but arming /boot/vmlinuz-crash unverified
E2E: load opt-in rc=0
E2E: status crash rc=0
$PANIC_EXPECT
purgatory: sha256 digests match
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  measure peer load_peer || fail "kexec -p failed under lockdown"
  expect 0 "kexec-tools unload" kexec -p -u
  status_is 3 crash
  expect 80 "load refused" load_ours
  status_is 3 crash
  expect 0 "load opt-in" load_ours --allow-unverified-kernel || return 1
  status_is 0 crash
  panic
}

host_check() {
  . "$HERE/acpi-checks.sh"
  crash_kernel_acpi_ok "$1"
}
