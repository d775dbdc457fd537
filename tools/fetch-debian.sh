#!/bin/bash
# Fetch Debian packages by name into a cache folder outside git and unpack them.
#
#   tools/fetch-debian.sh [--suite SUITE] PACKAGE[:ARCH] ...
#
# Each package is downloaded with `apt-get download` into $XEN_KEXEC_CACHE/debs and
# unpacked with `dpkg -x` into $XEN_KEXEC_CACHE/pkg/PACKAGE (":ARCH" dropped from the
# folder name). Already-unpacked packages are left alone. Prints the unpack folder of
# each package, one per line. Foreign architectures (":i386") are added to dpkg first.
#
# --only PATH (one package) extracts only PATH (a path inside the package, e.g.
# ./usr/lib/debug/boot/vmlinux-6.1.0-57-amd64) and deletes the .deb afterwards: for large
# packages of which one file is needed (fetch-debug-vmlinux.sh). The folder is refilled
# on every call; the caller moves the file out.
#
# --suite SUITE takes the packages from another Debian release (e.g. trixie) through a
# private apt list in $XEN_KEXEC_CACHE/apt-SUITE, built from the archive URI in this
# machine's own apt configuration (tools/apt-archive.sh); the machine's apt sources stay
# untouched. Package names carry their release (xen-hypervisor-4.20-amd64,
# linux-image-6.12.117+deb13-amd64), so the unpack folders do not collide.
set -euo pipefail
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
mkdir -p "$CACHE/debs" "$CACHE/pkg"
apt_opts=()
only=""
if [ "${1:-}" = --only ]; then only=${2:?--only needs a path}; shift 2; fi
if [ "${1:-}" = --suite ]; then
  suite=${2:?--suite needs a release name}; shift 2
  papt="$CACHE/apt-$suite"
  mkdir -p "$papt/lists/partial" "$papt/cache/archives/partial"
  archive=$("$(dirname "$0")/apt-archive.sh" "$suite")
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive $suite main" > "$papt/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$papt/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$papt/lists" -o "Dir::Cache=$papt/cache"
            -o APT::Sandbox::User=root -o Acquire::Languages=none)
  if [ -z "$(ls "$papt/lists" | grep -v -e lock -e partial)" ]; then
    apt-get "${apt_opts[@]}" update -qq >&2
  fi
fi
[ $# -gt 0 ] || { echo "usage: $0 [--suite SUITE] PACKAGE[:ARCH] ..." >&2; exit 64; }

need_update=0
for spec in "$@"; do
  case "$spec" in
    *:*) arch="${spec#*:}"
         if ! dpkg --print-foreign-architectures | grep -qx "$arch" && [ "$arch" != "$(dpkg --print-architecture)" ]; then
           dpkg --add-architecture "$arch"; need_update=1
         fi ;;
  esac
done
if [ ${#apt_opts[@]} = 0 ] && { [ "$need_update" = 1 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; }; then
  apt-get update -qq >&2 || echo "fetch-debian: apt-get update reported errors; trying with the lists it has" >&2
fi

for spec in "$@"; do
  name="${spec%%:*}"
  dest="$CACHE/pkg/$name"
  if [ -n "$only" ]; then
    ( cd "$CACHE/debs" && rm -f "${name}"_*.deb && apt-get "${apt_opts[@]}" download -qq "$spec" >&2 )
    deb=$(ls "$CACHE/debs/${name}"_*.deb | head -1)
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg-deb --fsys-tarfile "$deb" | tar -C "$dest" -x "$only"
    rm -f "$deb"
    echo "$dest"
    continue
  fi
  if [ ! -f "$dest/.unpacked" ]; then
    ( cd "$CACHE/debs" && rm -f "${name}"_*.deb && apt-get "${apt_opts[@]}" download -qq "$spec" >&2 ) || {
      apt-get "${apt_opts[@]}" update -qq >&2 || echo "fetch-debian: apt-get update reported errors; trying with the lists it has" >&2
      ( cd "$CACHE/debs" && apt-get "${apt_opts[@]}" download -qq "$spec" >&2 )
    }
    deb=$(ls "$CACHE/debs/${name}"_*.deb | head -1)
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg -x "$deb" "$dest"
    basename "$deb" > "$dest/.unpacked"
  fi
  echo "$dest"
done
