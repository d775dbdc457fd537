# refused-reload-4.20: `refused-reload` on Debian 13's Xen 4.20: Xen 4.20 has no
# KEXEC_TYPE_CRASH_EFI either, so the forced type-3 load is refused and the tool re-arms the
# good 6.12 crash kernel. Same dom0 part and markers.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/refused-reload.sh"; else . /e2e/scenarios/refused-reload.sh; fi
XEN=stock-4.20
