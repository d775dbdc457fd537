# refused-reload-4.20: `refused-reload` on Debian 13's Xen 4.20: a classic reload that Xen
# refuses after copying it into the crash region (arch EM_AARCH64 past the preflight); the
# tool re-arms the good 6.12 crash kernel from its record and a panic boots it (`good` on its
# command line). Same dom0 part and markers.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/refused-reload.sh"; else . /e2e/scenarios/refused-reload.sh; fi
XEN=stock-4.20
