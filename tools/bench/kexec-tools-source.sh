#!/bin/bash
# Fetch and unpack Debian's kexec-tools source package once, cached by version under
# $XEN_KEXEC_CACHE/kexec-tools-src/VERSION/tree, and print that tree's path. The bench builds
# kexec-tools' own SHA-256 (util_lib/sha256.c) from it to compare the purgatory's routines with.
#
#   tools/bench/kexec-tools-source.sh [VERSION]
#
# VERSION defaults to the candidate `apt-cache policy kexec-tools` names (bookworm's). The
# source comes through a private deb-src list whose archive URI is read from this machine's
# own apt configuration (tools/apt-archive.sh); no host is named in this repository.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
log() { echo "kexec-tools-source: $*" >&2; }
die() { log "$*"; exit 1; }

VERSION="${1:-$(apt-cache policy kexec-tools 2>/dev/null | awk '/Candidate:/ { print $2 }')}"
[ -n "$VERSION" ] && [ "$VERSION" != "(none)" ] || die "no kexec-tools version known to apt; pass one"
TOP="$CACHE/kexec-tools-src"
SRC="$TOP/${VERSION//:/_}"
TREE="$SRC/tree"
if [ ! -f "$TREE/.unpacked" ]; then
  command -v dpkg-source >/dev/null || die "needs dpkg-source (apt-get install dpkg-dev)"
  APT="$TOP/apt"
  mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$SRC"
  suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  archive=$("$HERE/../apt-archive.sh" "$suite") || die "no Debian archive in this machine's apt sources"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive $suite main" > "$APT/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
           -o APT::Sandbox::User=root -o Acquire::Languages=none)
  dsc="$SRC/kexec-tools_${VERSION#*:}.dsc"
  if [ ! -f "$dsc" ]; then
    log "fetching source package kexec-tools=$VERSION (private deb-src list in $APT)"
    apt-get "${aptopts[@]}" update -qq >&2
    ( cd "$SRC" && apt-get "${aptopts[@]}" source --download-only -qq "kexec-tools=$VERSION" >&2 ) ||
      die "apt-get source kexec-tools=$VERSION failed (pass a version the archive has)"
  fi
  log "unpacking $(basename "$dsc")"
  rm -rf "$TREE" "$TREE.tmp"
  dpkg-source -x "$dsc" "$TREE.tmp" >&2
  touch "$TREE.tmp/.unpacked"
  mv "$TREE.tmp" "$TREE"
fi
[ -f "$TREE/util_lib/sha256.c" ] || die "no util_lib/sha256.c in $TREE"
echo "$TREE"
