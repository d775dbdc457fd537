# refused-reload-4.20: `refused-reload` on Debian 13's Xen 4.20: Xen 4.20 has no
# KEXEC_TYPE_CRASH_EFI either, so it refuses the forced type-3 load (EINVAL, and EINVAL again
# from kexec_status for type 3: nothing was copied); the good 6.12 crash kernel stays armed
# and boots on panic. Same dom0 part and markers.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/refused-reload.sh"; else . /e2e/scenarios/refused-reload.sh; fi
XEN=stock-4.20
