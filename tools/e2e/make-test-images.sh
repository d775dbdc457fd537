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
#               NUL-terminated as the format requires. Used by scenarios/efi-elf-envelope.sh.
#   crash.uki   a real Unified Kernel Image: Debian's systemd-stub (linuxx64.efi.stub of
#               package systemd-boot-efi, fetched by name) with sections added by objcopy
#               (bookworm's systemd 252 has no ukify): .osrel, .cmdline = the crash command
#               line plus e2e_image=uki, .linux = the signed bzImage, .initrd = the crash
#               initramfs followed by a second cpio holding /e2e-initrd-id = "uki" (the
#               crash init prints it), and .e2e-long-name, a section name longer than 8
#               bytes that objcopy writes as /N into the COFF string table. Used by
#               scenarios/efi-uki.sh and scenarios/uki-crash.sh.
#
# For Secure Boot hosts only, in $OUT/test-images-sb/ (build-initramfs.sh appends them to
# dom0's image there): vmlinuz-snakeoil and crash-signed.uki (below).
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

"$REPO/tools/fetch-debian.sh" systemd-boot-efi > "$tmp/stub-dir"
stub="$(cat "$tmp/stub-dir")/usr/lib/systemd/boot/efi/linuxx64.efi.stub"
mkdir -p "$tmp/id" && printf 'uki\n' > "$tmp/id/e2e-initrd-id"
(cd "$tmp/id" && echo e2e-initrd-id | cpio -o -H newc --quiet) | gzip -1 > "$tmp/id.gz"
cat "$OUT/initrd-crash.gz" "$tmp/id.gz" > "$tmp/initrd-uki.gz"
printf '%s' "$CRASH_CMDLINE e2e_loader=xen-kexec-load e2e_image=uki" > "$tmp/cmdline-uki"
printf 'ID=debian\nPRETTY_NAME="xen-kexec e2e UKI"\n' > "$tmp/osrel"
printf 'a section whose name is longer than 8 bytes\n' > "$tmp/long"
# make_uki LINUX OUT: the UKI around LINUX. Section addresses as systemd's documentation
# places them for objcopy, above the stub's own sections; .initrd goes above the end of
# .linux, on a 16 MiB boundary.
make_uki() {
  local linux_vma=0x2000000 initrd_vma
  initrd_vma=$(printf '0x%x' $(( (linux_vma + $(stat -c %s "$1") + 0xffffff) & ~0xffffff )))
  objcopy --long-section-names enable \
    --add-section .osrel="$tmp/osrel" --change-section-vma .osrel=0x20000 \
    --add-section .cmdline="$tmp/cmdline-uki" --change-section-vma .cmdline=0x30000 \
    --add-section .e2e-long-name="$tmp/long" --change-section-vma .e2e-long-name=0x40000 \
    --add-section .linux="$1" --change-section-vma .linux=$linux_vma \
    --add-section .initrd="$tmp/initrd-uki.gz" --change-section-vma .initrd="$initrd_vma" \
    "$stub" "$2"
}
make_uki "$OUT/vmlinuz" "$dir/crash.uki"

# For Secure Boot hosts only (build-initramfs.sh appends them to dom0's image there):
#   vmlinuz-snakeoil  the crash kernel re-signed with the snakeoil key (db trusts it);
#   crash-signed.uki  the same UKI around vmlinuz-snakeoil, the whole UKI signed with the
#                     snakeoil key, so both signatures verify (sb-uki-cmdline-tampered), and
#                     crash-signed.uki.cmdline-offset, where its "e2e_image=uki" starts.
sb="$OUT/test-images-sb"
rm -rf "$sb" && mkdir -p "$sb"
"$REPO/tools/resign-kernel.sh" "$OUT/vmlinuz" "$sb/vmlinuz-snakeoil" >/dev/null
make_uki "$sb/vmlinuz-snakeoil" "$tmp/uki-snakeoil-linux"
"$REPO/tools/resign-kernel.sh" "$tmp/uki-snakeoil-linux" "$sb/crash-signed.uki" >/dev/null 2>&1
python3 -c 'import sys; print(open(sys.argv[1], "rb").read().find(b"e2e_image=uki"))' "$sb/crash-signed.uki" \
  > "$sb/crash-signed.uki.cmdline-offset"

log "test images: $(cd "$dir" && ls | tr '\n' ' ')"
