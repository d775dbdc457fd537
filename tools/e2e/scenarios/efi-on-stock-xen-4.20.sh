# efi-on-stock-xen-4.20: `efi-on-stock-xen` on Debian 13's Xen 4.20: `load --efi` exits 69 (no
# KEXEC_TYPE_CRASH_EFI), the classic 6.12 crash kernel stays armed and boots. Same dom0 part
# and markers.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/efi-on-stock-xen.sh"; else . /e2e/scenarios/efi-on-stock-xen.sh; fi
XEN=stock-4.20
