# dry-run-equals-offline-4.20: `dry-run-equals-offline` on Debian 13's Xen 4.20: the trixie
# build's `load --dry-run --json` in dom0 must equal the bookworm build's offline `plan
# --host` on the host, byte for byte (same kernel, 6.12). Same dom0 part and host check.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/dry-run-equals-offline.sh"; else . /e2e/scenarios/dry-run-equals-offline.sh; fi
XEN=stock-4.20
