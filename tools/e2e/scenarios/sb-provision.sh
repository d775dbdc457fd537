# sb-provision: boot-time provisioning on a Secure Boot host (FIRMWARE=uefi-sb, the test
# Xen's xen.efi signed with the snakeoil key). dom0 is locked down, so `provision` with
# XEN_KEXEC_TYPE=auto picks KEXEC_TYPE_CRASH_EFI by itself and verifies the kernel first:
# /boot/test-images/vmlinuz-snakeoil (the Debian kernel re-signed with the snakeoil key,
# tools/resign-kernel.sh) chains to the firmware's db as dom0 reads it from efivarfs. A
# panic makes Xen check the digest and jump into it; the crash kernel finds ACPI at Xen's
# RSDP and gets Xen's memory map minus the crash region (host_check, acpi-checks.sh).
XEN=efi
FIRMWARE=uefi-sb
EXPECT="(XEN) Bootloader: EFI
UEFI Secure Boot is enabled.
Kernel is locked down from EFI Secure Boot
E2E: efivars: db present
E2E: lockdown: none [integrity] confidentiality
E2E: scenario sb-provision
via db); dom0 is locked down (integrity)
(XEN) kexec: CRASH_EFI entry
E2E: provision rc=0
E2E: status crash rc=0
$PANIC_EXPECT
(XEN) kexec: digest ok sha256
$ACPI_OK_EXPECT
E2E: CRASH KERNEL UP
e2e_loader=sb-provision
$CRASH_DONE_EXPECT"
FORBID="rebooting machine
digest mismatch
$ACPI_MISSING_FORBID"

dom0() {
  need_tool || return 1
  mkdir -p /etc/default
  cat > /etc/default/xen-kexec-load <<EOF2
# written by the e2e scenario
XEN_KEXEC_ENABLED=yes
XEN_KEXEC_KERNEL=/boot/test-images/vmlinuz-snakeoil
XEN_KEXEC_INITRD=$INITRD
XEN_KEXEC_TYPE=auto
XEN_KEXEC_CRASH_DEFAULTS="nr_cpus=1 irqpoll reset_devices panic=-1 no_timer_check"
XEN_KEXEC_CMDLINE_APPEND="rdinit=/init e2e_loader=sb-provision $XEN_RAM_WORDS"
EOF2
  expect 0 provision "$TOOL" provision -v
  status_is 0 crash
  panic
}

host_check() {
  local verified acpi
  . "$HERE/acpi-checks.sh"
  # The tool's notice: "KERNEL: signature verified (SIGNER via db); dom0 is locked down (...)".
  verified=$(tr -d '\r' < "$1" | sed -n 's|.*/boot/test-images/vmlinuz-snakeoil: signature verified (\(.*\) via db);.*|\1|p' | head -n 1)
  [ -n "$verified" ] || { echo "no 'vmlinuz-snakeoil: signature verified (... via db)' line"; return 1; }
  acpi=$(crash_kernel_acpi_ok "$1") || { echo "$acpi"; return 1; }
  echo "verified: $verified via db; $acpi"
}
