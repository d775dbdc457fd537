#!/bin/bash
# Run Debian 13's crash (8.0.6 in trixie) on a dump, for what Debian 12's crash 8.0.2 cannot
# read on the dom0 kernel: its task table (`ps`; docs/dumps.md "crash's `ps` on our dumps").
#
#   tools/e2e/crash.sh --version
#   tools/e2e/crash.sh NAMELIST DUMP COMMANDS-FILE     (crash's output on stdout)
#
# NAMELIST is dom0's debug vmlinux or a Xen's xen-syms: it keeps its file name inside the
# root, because crash chooses hypervisor mode from the name `xen-syms` (crash main.c
# check_xen_hyper). The dump scenarios run both through here (dump-lib.sh).
#
# crash 8.0.2 reads SIZE(pid) bytes of each struct pid and then pid.numbers[0].ns past them,
# so on Linux with the flexible `struct upid numbers[]` (6.1.0-57's layout, Linux commit
# b69f0aeb0689) it drops every task (crash task.c refresh_xarray_task_table); crash 8.0.4
# reads SIZE(pid) + SIZE(upid) (crash commit 88580068b7dd). Debian 12 has 8.0.2 only, and
# trixie's crash needs trixie's libc, so it runs in the cached trixie root of
# tools/trixie/root.sh (its PACKAGES list holds crash; made once, a few minutes, when
# missing), chrooted in a private mount namespace (nothing stays mounted): VMLINUX and DUMP
# are bind-mounted read-only onto files in a tmpfs /tmp of the root, the root itself is not
# written. COMMANDS-FILE holds crash commands, one a line, ending with `quit`. crash runs at
# most 300 s.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "crash.sh: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (chroot, mounts)"
root=$("$HERE/../trixie/root.sh" 2>/dev/null | tail -n 1) && [ -x "$root/usr/bin/crash" ] \
  || die "no crash in the trixie root (tools/trixie/root.sh)"
if [ "${1:-}" = --version ]; then
  chroot "$root" dpkg-query -W -f='crash ${Version}\n' crash
  exit 0
fi
[ $# = 3 ] || die "usage: $0 NAMELIST DUMP COMMANDS-FILE"
for f in "$@"; do [ -s "$f" ] || die "$f: missing or empty"; done
namelist=$(basename "$1")
case $namelist in dump|cmds|*/*|.*) die "$1: a namelist named '$namelist' would clash in the root" ;; esac
timeout 300 unshare --mount --propagation private bash -euc '
  root=$1 namelist=$2
  mount -t tmpfs tmpfs "$root/tmp"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mkdir "$root/tmp/crash"
  for f in "$namelist" dump cmds; do : > "$root/tmp/crash/$f"; done
  mount --bind -o ro "$3" "$root/tmp/crash/$namelist"
  mount --bind -o ro "$4" "$root/tmp/crash/dump"
  mount --bind -o ro "$5" "$root/tmp/crash/cmds"
  exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp TERM=dumb \
    crash -s -i /tmp/crash/cmds "/tmp/crash/$namelist" /tmp/crash/dump
' - "$root" "$namelist" "$(readlink -f "$1")" "$(readlink -f "$2")" "$(readlink -f "$3")" < /dev/null
