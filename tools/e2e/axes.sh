# Scenario axes: one scenario file, several runs (docs/e2e.md "Axes"). Plain sh, sourced by
# lib.sh on the host (bash) and, in dom0, by the run files install_scenarios writes (busybox
# ash, or bash in the disk dom0); never run.
#
# RUN_AXES holds the run's value of every axis its file declares, one AXIS=VALUE word each
# (e.g. "xen=4.20 kernel=dom0"); it is set before the scenario file is read. The axes and
# what each value sets:
#   xen       4.17 (XEN=stock) | 4.20 (XEN=stock-4.20, the trixie dom0) | efi (XEN=efi, the test Xen)
#   firmware  bios | uefi | uefi-sb | uefi-sb-dbx (FIRMWARE=the same)
#   cpu       qemu64 (CPU=qemu64) | la57 (CPU=qemu64,+la57)
#             | sha-ni (CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt,+sha-ni on bookworm-backports'
#               QEMU 10, QEMU_FROM=backports: bookworm's 7.2 does not emulate the SHA extensions)
#   kernel    dom0 (the crash kernel is dom0's own, guest/lib.sh's KERNEL)
#             | bookworm (KERNEL=/boot/vmlinuz-crash-bookworm, Debian 12's 6.1 in the trixie image)
#   dom0      initramfs (DISK=no) | disk (DISK=yes, the systemd dom0 of build-disk.sh)

# axis_is AXIS=VALUE: true when this run has that value.
axis_is() {
  case " $RUN_AXES " in *" $1 "*) return 0 ;; esac
  return 1
}

# tagged "AXIS=VALUE..." TEXT: TEXT with the tag "[AXIS=VALUE...] " before each of its lines,
# for a shared multi-line constant (e.g. $ACPI_OK_EXPECT) that only some runs expect.
tagged() {
  local line out="" sep=""
  [ -n "$2" ] || return 0
  while IFS= read -r line; do
    out="$out$sep[$1] $line"
    sep='
'
  done <<EOF
$2
EOF
  printf '%s' "$out"
}

# axes_keep NAME: the variable NAME (a newline-separated list such as EXPECT) cut to this
# run's lines: untagged lines, and lines tagged "[AXIS=VALUE ...] " whose every AXIS=VALUE
# is this run's, without their tag.
axes_keep() {
  local value line conds c keep out="" sep=""
  eval "value=\$$1"
  while IFS= read -r line; do
    case $line in
      \[*=*\]\ *)
        conds=${line%%] *}
        conds=${conds#\[}
        line=${line#*] }
        keep=yes
        for c in $conds; do axis_is "$c" || keep=no; done
        [ "$keep" = yes ] || continue ;;
    esac
    out="$out$sep$line"
    sep='
'
  done <<EOF
$value
EOF
  eval "$1=\$out"
}

# axes_apply: after the scenario file: the setting of each of the run's axis values, and
# EXPECT and FORBID cut to the run's lines.
axes_apply() {
  local a
  for a in $RUN_AXES; do
    case $a in
      xen=4.17) XEN=stock ;;
      xen=4.20) XEN=stock-4.20 ;;
      xen=efi) XEN=efi ;;
      firmware=bios|firmware=uefi|firmware=uefi-sb|firmware=uefi-sb-dbx) FIRMWARE=${a#firmware=} ;;
      cpu=qemu64) CPU=qemu64 ;;
      cpu=la57) CPU=qemu64,+la57 ;;
      cpu=sha-ni) CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt,+sha-ni; QEMU_FROM=backports ;;
      kernel=dom0) ;;
      kernel=bookworm) KERNEL=/boot/vmlinuz-crash-bookworm ;;
      dom0=initramfs) DISK=no ;;
      dom0=disk) DISK=yes ;;
      *) echo "e2e: unknown axis value $a" >&2; return 1 ;;
    esac
  done
  axes_keep EXPECT
  axes_keep FORBID
}
