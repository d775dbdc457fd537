# sb-no-securityfs: a Secure Boot host (FIRMWARE=uefi-sb, the test Xen) whose dom0 has no
# securityfs mounted, as a minimal or initramfs dom0 may not. The policy must still apply:
# the tool reads boot_params.secure_boot and efivarfs' SecureBoot, and mounts securityfs
# itself to read the lockdown mode (it never takes "cannot read lockdown" for "no policy").
# Before every call securityfs is unmounted again. A classic load is refused (80), Debian's
# own signed kernel (its CA is not in the snakeoil db) is refused (80), the snakeoil-signed
# kernel is armed; `status --json` names the sources it read: lockdown (read after the tool
# mounted securityfs itself), boot_params.secure_boot = 3 and efivarfs SecureBoot = 1.
XEN=efi
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
Kernel is locked down from EFI Secure Boot
E2E: scenario sb-no-securityfs
E2E: boot_params.secure_boot = 3
E2E: securityfs unmounted
the crash (KEXEC_TYPE_CRASH) load type would arm an unverified kernel
E2E: load classic rc=80
E2E: securityfs unmounted
refused by the Secure Boot policy (dom0 is locked down (integrity))
E2E: load untrusted rc=80
E2E: securityfs unmounted
signature verified (
(XEN) kexec: CRASH_EFI entry
E2E: load trusted rc=0
E2E: securityfs unmounted
E2E: status json rc=0
\"decidedBy\" : \"lockdown\"
\"detail\" : \"integrity\"
\"note\" : \"securityfs mounted at /sys/kernel/security by this tool\"
\"source\" : \"lockdown\"
\"detail\" : \"3 (enabled)\"
\"source\" : \"boot_params.secure_boot\"
\"detail\" : \"1\"
\"source\" : \"efivarfs SecureBoot\""
FORBID="E2E: load classic rc=0
E2E: load untrusted rc=0"

unmount_securityfs() {
  umount /sys/kernel/security 2>/dev/null
  if [ -e /sys/kernel/security/lockdown ]; then fail "securityfs is still mounted"; return 1; fi
  mark "securityfs unmounted"
}

dom0() {
  need_tool || return 1
  mark "boot_params.secure_boot = $(od -An -tu1 -j 492 -N 1 /sys/kernel/boot_params/data | tr -d ' ')"
  unmount_securityfs || return 1
  expect 80 "load classic" "$TOOL" load /boot/test-images/vmlinuz-snakeoil --type crash --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=classic"
  unmount_securityfs || return 1
  expect 80 "load untrusted" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=untrusted"
  unmount_securityfs || return 1
  expect 0 "load trusted" "$TOOL" load /boot/test-images/vmlinuz-snakeoil --efi --initrd "$INITRD" \
    --command-line "$CRASH_CMDLINE e2e_loader=trusted" || return 1
  unmount_securityfs || return 1
  capture /tmp/status.json "status json" "$TOOL" status --json
  cat /tmp/status.json
}
