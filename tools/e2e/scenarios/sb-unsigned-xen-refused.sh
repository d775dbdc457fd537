# sb-unsigned-xen-refused: Secure Boot is enforced on the FIRMWARE=uefi-sb host. OVMF
# with the snakeoil variables (PK, KEK and db hold Debian's snakeoil certificate) is
# given Debian's xen.efi unsigned as \EFI\BOOT\BOOTX64.EFI: the firmware must refuse to
# start it ("Access Denied") and Xen must never print a line. The firmware then waits
# for a human; the run ends on its refusal (STOP_AT), not on the time limit. Every other
# uefi-sb scenario boots the same image signed (tools/e2e/sign-efi.sh), so this is what
# makes their passing mean something.
FIRMWARE=uefi-sb
XEN_SIGNED=no
NEEDS_TOOL=no
STOP_AT='Access Denied'
TIMEOUT=180
# OVMF's boot manager (MdeModulePkg BdsDxe) names the boot option and the status the
# image verifier returned (EFI_ACCESS_DENIED for a signature not in db).
EXPECT='BdsDxe: loading Boot0001 "UEFI Misc Device"
BdsDxe: failed to load Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x1,0x0): Access Denied'
FORBID='(XEN)
E2E: dom0 init up'

dom0() {
  fail "dom0 runs: the firmware started an unsigned xen.efi"
}
