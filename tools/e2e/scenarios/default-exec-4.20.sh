# default-exec-4.20: `default-exec` on Debian 13's Xen 4.20: `load --type default` of trixie's
# 6.12 kernel from a 6.12 dom0, then `exec`. Same dom0 part, markers and host check.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/default-exec.sh"; else . /e2e/scenarios/default-exec.sh; fi
XEN=stock-4.20
