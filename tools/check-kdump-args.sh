#!/bin/bash
# dist/kdump-args on crafted files (docs/dumps.md): the MAKEDUMP_ARGS it writes for a Xen
# dump, for a dump without Xen's note, with XEN_KEXEC_DUMP_GUESTS=yes/no, with no vmcore.
# Prints one line per case and "check-kdump-args: N passed"; exits 1 on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
n=0
case_() {   # case_ NAME VMCORE-TEXT DEFAULTS-TEXT EXPECTED-ENV
  printf '%s' "$2" > "$t/vmcore"; printf '%s\n' "$3" > "$t/defaults"
  [ "$2" != none ] || rm -f "$t/vmcore"
  KDUMP_ARGS_VMCORE="$t/vmcore" KDUMP_ARGS_DEFAULTS="$t/defaults" KDUMP_ARGS_ENV="$t/run/env" \
    sh dist/kdump-args > "$t/out"
  got=$(cat "$t/run/env")
  [ "$got" = "$4" ] || { echo "check-kdump-args: $1: wrote '$got', expected '$4' ($(cat "$t/out"))" >&2; exit 1; }
  n=$((n + 1)); echo "check-kdump-args: $1: '$got'"
}
xen=$'\177ELF....CORE....Xen.....VMCOREINFO_XEN\0OSRELEASE=4.17.7'
case_ "Xen dump" "$xen" "" 'MAKEDUMP_ARGS="-X -E -d 31"'
case_ "Xen dump, XEN_KEXEC_DUMP_GUESTS=no" "$xen" "XEN_KEXEC_DUMP_GUESTS=no" 'MAKEDUMP_ARGS="-X -E -d 31"'
case_ "Xen dump, XEN_KEXEC_DUMP_GUESTS=yes" "$xen" "XEN_KEXEC_DUMP_GUESTS=yes" ""
case_ "Xen dump, XEN_KEXEC_DUMP_GUESTS=\"true\"" "$xen" 'XEN_KEXEC_DUMP_GUESTS="true"' ""
case_ "bare-metal dump (no Xen note)" $'\177ELF....CORE....VMCOREINFO\0OSRELEASE=6.1.0' "" ""
case_ "no /proc/vmcore" none "" ""
echo "check-kdump-args: $n passed"
