# uefi-dry-run-equals-offline: dry-run-equals-offline on a UEFI host (Debian's xen.efi
# under OVMF): the host description `range --json` gives in dom0 (now with how the host
# booted and where its RSDP is) must let `plan --host` reproduce dom0's
# `load --dry-run --json` byte for byte offline. Same dom0 part and host check.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/dry-run-equals-offline.sh"; else . /e2e/scenarios/dry-run-equals-offline.sh; fi
FIRMWARE=uefi
EXPECT="(XEN) Bootloader: EFI
E2E: dom0 firmware: UEFI
$EXPECT"
