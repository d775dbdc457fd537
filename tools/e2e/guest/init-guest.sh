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
# What the guest's kernel leaves free (a pattern larger than that is cut short by the OOM
# killer), and guest-marker's end if it ever ends (it sleeps once the memory is filled), so
# dom0 fails at once instead of waiting for a fill that stopped (dump-lib.sh dump_start_guest).
# (shell built-ins only: the guest's busybox has the applets build-disk.sh links, no grep)
mem=""
while read -r k v u; do
  case "$k" in MemTotal:|MemAvailable:) mem="$mem ${k%:} $v $u" ;; esac
done < /proc/meminfo
echo "E2E-GUEST: up, filling $mib MiB;$mem"
(/bin/guest-marker fill "$seed" "$mib"; echo "E2E-GUEST: guest-marker ended rc=$?") &
while :; do sleep 3600; done
