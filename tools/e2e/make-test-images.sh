#!/bin/bash
# Derived kernel images that scenarios need in dom0 but that busybox cannot build
# there. Writes them into $OUT/test-images/; build-initramfs.sh copies that folder
# to /boot/test-images/ in the dom0 image. Kept to what must be made on the host:
# byte patches of /boot/vmlinuz-crash are cheaper to make in dom0 with dd (every
# file here makes every scenario's initramfs bigger and slower to unpack).
#
#   crash.elf   an ELF envelope (docs/image-formats.md, the kexec zboot container):
#               .kernel = the signed bzImage, .initrd = the crash initramfs,
#               .cmdline = the crash command line plus the word e2e_image=envelope,
#               NUL-terminated as the format requires. Used by scenarios/efi-uki.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir="$OUT/test-images"
rm -rf "$dir" && mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%s\0' "$CRASH_CMDLINE e2e_loader=xen-kexec-load e2e_image=envelope" > "$tmp/cmdline"
# objcopy needs some input file: a binary one gives an ELF64 relocatable file (no
# program headers, as the envelope requires); its .data section and symbols go away.
objcopy -I binary -O elf64-x86-64 --strip-all --remove-section .data \
  --add-section .kernel="$OUT/vmlinuz" \
  --add-section .initrd="$OUT/initrd-crash.gz" \
  --add-section .cmdline="$tmp/cmdline" \
  "$tmp/cmdline" "$dir/crash.elf"

log "test images: $(cd "$dir" && ls | tr '\n' ' ')"
