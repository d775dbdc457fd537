# reload-status-4.20: `reload-status` on Debian 13's Xen 4.20 (trixie dom0, trixie build of
# the tool, 6.12 crash kernel): `status` right after every load and unload. Same dom0 part and
# markers.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/reload-status.sh"; else . /e2e/scenarios/reload-status.sh; fi
XEN=stock-4.20
