#!/bin/sh
# The dump scenarios' PV guest (tools/e2e/build-disk.sh): fill guest memory with the
# pattern of the seed on the command line (xkgm_seed=HEX, xkgm_mib=N) and stay up.
# Its console is xenconsoled's log in dom0.
mount -t proc proc /proc
# /dev/null for the background job below: busybox sh gives a non-interactive shell's `&` job
# its stdin from /dev/null and does not start it when that cannot be opened.
mount -t devtmpfs devtmpfs /dev
seed="" mib=16
for w in $(cat /proc/cmdline); do
  case "$w" in xkgm_seed=*) seed=${w#xkgm_seed=} ;; xkgm_mib=*) mib=${w#xkgm_mib=} ;; esac
done
echo "E2E-GUEST: up, filling $mib MiB"
/bin/guest-marker fill "$seed" "$mib" &
while :; do sleep 3600; done
