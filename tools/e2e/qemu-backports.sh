#!/bin/bash
# QEMU from bookworm-backports (10.0 when written), whose TCG emulates the SHA extensions
# (bookworm's QEMU 7.2 does not), for the scenarios that set QEMU_FROM=backports: fetched by
# package name from this machine's own Debian archive (tools/apt-archive.sh) through a private
# apt list, unpacked (not installed: the rest of the suite keeps the system's QEMU) and cached
# under $XEN_KEXEC_CACHE/qemu-backports/VERSION/, keyed by the package version.
#
#   tools/e2e/qemu-backports.sh      prints the path of the unpacked qemu-system-x86_64
#
# Its run-time libraries are bookworm's (qemu-system-x86's Depends, the same names as 7.2's),
# so the binary runs as unpacked; run-scenario.sh passes -L with the unpacked firmware data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}/qemu-backports"
apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
printf 'deb %s bookworm-backports main\n' "$("$here/../apt-archive.sh" bookworm)" > "$apt_dir/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o APT::Sandbox::User=root)
# The list is read again at most once a day; the unpacked QEMU is reused while the version holds.
if [ -z "$(find "$apt_dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
  apt-get -qq "${opts[@]}" update >&2
fi
version=$(apt-cache "${opts[@]}" show qemu-system-x86 2>/dev/null | awk '/^Version: .*bpo/ { print $2; exit }')
[ -n "$version" ] || { echo "qemu-backports: bookworm-backports has no qemu-system-x86" >&2; exit 1; }
root="$cache/${version//[:~+]/_}/root"
if [ ! -x "$root/usr/bin/qemu-system-x86_64" ]; then
  work=$(mktemp -d "$cache/unpack.XXXXXX")
  (cd "$work" && apt-get -qq "${opts[@]}" download \
    "qemu-system-x86=$version" "qemu-system-common=$version" "qemu-system-data=$version" >&2)
  mkdir -p "$work/root"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  missing=$(ldd "$work/root/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }' | tr '\n' ' ')
  [ -z "$missing" ] || { echo "qemu-backports: $version needs libraries this machine lacks: $missing" >&2; exit 1; }
  mkdir -p "$(dirname "$root")"
  rm -rf "$root"
  mv "$work/root" "$root"
  rm -rf "$work"
fi
echo "$root/usr/bin/qemu-system-x86_64"
