#!/bin/bash
# Fetch Debian packages by name into a cache folder outside git and unpack them.
#
#   tools/fetch-debian.sh PACKAGE[:ARCH] ...
#
# Each package is downloaded with `apt-get download` into $XEN_KEXEC_CACHE/debs and
# unpacked with `dpkg -x` into $XEN_KEXEC_CACHE/pkg/PACKAGE (":ARCH" dropped from the
# folder name). Already-unpacked packages are left alone. Prints the unpack folder of
# each package, one per line. Foreign architectures (":i386") are added to dpkg first.
set -euo pipefail
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
mkdir -p "$CACHE/debs" "$CACHE/pkg"
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE[:ARCH] ..." >&2; exit 64; }

need_update=0
for spec in "$@"; do
  case "$spec" in
    *:*) arch="${spec#*:}"
         if ! dpkg --print-foreign-architectures | grep -qx "$arch" && [ "$arch" != "$(dpkg --print-architecture)" ]; then
           dpkg --add-architecture "$arch"; need_update=1
         fi ;;
  esac
done
if [ "$need_update" = 1 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
  apt-get update -qq >&2 || echo "fetch-debian: apt-get update reported errors; trying with the lists it has" >&2
fi

for spec in "$@"; do
  name="${spec%%:*}"
  dest="$CACHE/pkg/$name"
  if [ ! -f "$dest/.unpacked" ]; then
    ( cd "$CACHE/debs" && rm -f "${name}"_*.deb && apt-get download -qq "$spec" >&2 ) || {
      apt-get update -qq >&2 || echo "fetch-debian: apt-get update reported errors; trying with the lists it has" >&2
      ( cd "$CACHE/debs" && apt-get download -qq "$spec" >&2 )
    }
    deb=$(ls "$CACHE/debs/${name}"_*.deb | head -1)
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg -x "$deb" "$dest"
    basename "$deb" > "$dest/.unpacked"
  fi
  echo "$dest"
done
