# efi-refusals: `load --efi` of kernels the crash-efi load type cannot take must be
# refused by the tool before any load hypercall: exit 65 and a message that names the
# header field. The copies are made here from /boot/vmlinuz-crash:
#   kern16-4a00  setup_sects 39 -> 36 at 0x1f1: kern16 = 37 * 512 = 0x4a00, not a
#                multiple of 4 KiB (the v2 Xen patch reads the header at the page start)
#   kern16-cut   the same and the 3 dropped sectors cut out, so the protected-mode part
#                still starts at kern16; the PE/COFF section table then points past the
#                end of the file, and the tool refuses it for that first
#   align-1m     kernel_alignment 0x100000 at 0x230 (Xen wants 2..16 MiB, 2 MiB multiples)
# Then the good kernel loads, so the log shows that Xen does print its kexec lines when a
# load reaches it. host_check: no "(XEN) kexec:" line before "E2E: refusals done".
XEN=efi
EXPECT='E2E: refuse kern16-4a00 rc=65
E2E: kern16-4a00 message names setup_sects
E2E: refuse kern16-cut rc=65
E2E: kern16-cut message names SizeOfRawData
E2E: refuse align-1m rc=65
E2E: align-1m message names kernel_alignment
E2E: status crash rc=3
E2E: refusals done
(XEN) kexec: image digest sha256
E2E: load good rc=0'

# poke FILE OFFSET OCTAL-BYTES: overwrite bytes in place (busybox printf knows \NNN).
poke() {
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# refuse NAME FILE FIELD: load FILE --efi; must exit 65 naming FIELD.
refuse() {
  "$TOOL" load "$2" --efi --initrd "$INITRD" > "/tmp/$1.out" 2>&1
  _rc=$?
  sed 's/^/  | /' "/tmp/$1.out"
  mark "refuse $1 rc=$_rc"
  [ "$_rc" = 65 ] || fail "refuse $1: rc=$_rc, expected 65"
  if grep -q "$3" "/tmp/$1.out"; then mark "$1 message names $3"; else fail "$1: message without $3"; fi
}

dom0() {
  need_tool || return 1
  cp "$KERNEL" /tmp/kern16-4a00
  poke /tmp/kern16-4a00 $((0x1f1)) '\044'      # setup_sects 36
  { dd if="$KERNEL" bs=512 count=37 2>/dev/null; dd if="$KERNEL" bs=512 skip=40 2>/dev/null; } > /tmp/kern16-cut
  poke /tmp/kern16-cut $((0x1f1)) '\044'
  cp "$KERNEL" /tmp/align-1m
  poke /tmp/align-1m $((0x230)) '\000\000\020\000'   # 0x00100000, little-endian

  refuse kern16-4a00 /tmp/kern16-4a00 setup_sects
  refuse kern16-cut /tmp/kern16-cut SizeOfRawData
  refuse align-1m /tmp/align-1m kernel_alignment
  status_is 3 crash
  mark "refusals done"
  expect 0 "load good" "$TOOL" load "$KERNEL" --efi --initrd "$INITRD" --command-line "$CRASH_CMDLINE"
}

host_check() {
  local before
  before=$(tr -d '\r' < "$1" | sed -n '/E2E: refusals done/q; /(XEN) kexec:/p')
  [ -z "$before" ] || { echo "Xen saw a load before the refusals were done: $(echo "$before" | head -n 1)"; return 1; }
  echo "3 refusals (exit 65), no (XEN) kexec: line before the good load"
}
