#!/bin/bash
# The disk dom0 kernel's debug vmlinux, for `crash` in the dump scenarios (docs/dumps.md).
#
#   tools/e2e/fetch-debug-vmlinux.sh
#
# The release is the disk base's (build-disk.sh writes $E2E/disk/base-*/kernel-version).
# linux-image-RELEASE-dbg (about 860 MB) is fetched by package name from the machine's apt
# configuration (tools/fetch-debian.sh --only), only ./usr/lib/debug/boot/vmlinux-RELEASE
# (about 630 MB) is kept, as $XEN_KEXEC_CACHE/dbg/RELEASE/vmlinux, and the .deb is deleted.
# A cached vmlinux is reused. Prints its path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ver=$(cat "$E2E"/disk/base-*/kernel-version 2>/dev/null | head -n 1)
[ -n "$ver" ] || die "no disk base yet (tools/e2e/build-disk.sh --base): its kernel release is unknown"
dest="$XEN_KEXEC_CACHE/dbg/$ver"
if [ ! -s "$dest/vmlinux" ]; then
  mkdir -p "$dest"
  t0=$SECONDS
  dir=$("$REPO/tools/fetch-debian.sh" --only "./usr/lib/debug/boot/vmlinux-$ver" "linux-image-$ver-dbg" | tail -n 1)
  mv "$dir/usr/lib/debug/boot/vmlinux-$ver" "$dest/vmlinux.tmp"
  rm -rf "$dir"
  mv "$dest/vmlinux.tmp" "$dest/vmlinux"
  log "debug vmlinux of $ver cached in $dest ($(du -h "$dest/vmlinux" | cut -f1), $((SECONDS - t0)) s)"
fi
echo "$dest/vmlinux"
