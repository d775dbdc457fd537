#!/bin/bash
# Build the xen-kexec test hypervisor: Debian bookworm's Xen 4.17 source package with
# Debian's own patches, plus kexec-crash-efi.patch (KEXEC_TYPE_CRASH_EFI, segment digests).
#
#   tools/e2e/xen-efi/build.sh [--force]
#
# The last line on stdout is the path of the bootable multiboot hypervisor (the
# uncompressed ELF `xen/xen`, what `qemu-system-x86_64 -kernel` takes). The same build's
# EFI application, `xen.efi` (what UEFI firmware starts, see docs/uefi.md), is kept
# beside it in the same folder, and so is `xen-syms` (the ELF64 with symbols and DWARF, what
# `crash` reads a Xen crash with). Everything else goes to stderr. Results are cached in
# $XEN_KEXEC_CACHE/xen-efi/out/<sha256 of the patch>/ (default
# XEN_KEXEC_CACHE=/var/cache/xen-kexec); an unchanged patch is not rebuilt. --force
# rebuilds anyway. Runs non-interactively as root on Debian bookworm: installs its build
# tools with apt-get when they are missing and fetches the source package through a
# private deb-src list built from the archive URI in the machine's own apt configuration
# (tools/apt-archive.sh); the machine's apt sources stay untouched.
#
# Environment:
#   XEN_KEXEC_CACHE        cache root (default /var/cache/xen-kexec)
#   XEN_EFI_SRC_VERSION    source package version (default 4.17.5+72-g01140da4e8-1)
#   XEN_EFI_JOBS           make -j (default 2)
#   XEN_EFI_KEEP_WORK=1    keep the patched build tree (default: deleted after a build)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
TOP="$CACHE/xen-efi"
VERSION="${XEN_EFI_SRC_VERSION:-4.17.5+72-g01140da4e8-1}"
JOBS="${XEN_EFI_JOBS:-2}"
PATCH="$HERE/kexec-crash-efi.patch"
# Bump when the build steps below change in a way that changes the binary.
RECIPE=3   # 2: xen.efi is kept next to xen; 3: xen-syms has DWARF, xen.efi does not

FORCE=0
case "${1:-}" in
  --force) FORCE=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 64 ;;
esac

exec 3>&1 1>&2   # stdout is reserved for the final path
log() { echo "xen-efi: $*" >&2; }
die() { echo "xen-efi: error: $*" >&2; exit 1; }

[ -f "$PATCH" ] || die "missing $PATCH"
[ "$(id -u)" = 0 ] || die "must run as root (apt-get, cache under $CACHE)"

KEY="$(sha256sum "$PATCH" | cut -d' ' -f1)"
OUT="$TOP/out/$KEY"
STAMP="source=$VERSION recipe=$RECIPE"
mkdir -p "$TOP/out"

# One build at a time (CI and a harness may call this concurrently).
exec 9>"$TOP/lock"
flock 9

if [ "$FORCE" = 0 ] && [ -f "$OUT/xen" ] && [ -f "$OUT/xen.efi" ] && [ -f "$OUT/xen-syms" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then
  log "cached build for patch sha256 $KEY"
  echo "$OUT/xen" >&3
  exit 0
fi

# --- build tools ------------------------------------------------------------------
need=()
for pair in gcc:build-essential make:build-essential flex:flex bison:bison python3:python3 \
            dpkg-source:dpkg-dev patch:patch xz:xz-utils lsb_release:lsb-release; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' ')
  log "installing $pkgs"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends $pkgs >&2; then
    apt-get update -qq >&2 || log "apt-get update reported errors; trying with the lists it has"
    apt-get install -y -qq --no-install-recommends $pkgs >&2
  fi
fi

# --- source package (downloaded and unpacked once) ------------------------------
SRC="$TOP/src/$VERSION"
TREE="$SRC/tree"
if [ ! -f "$TREE/.unpacked" ]; then
  APT="$TOP/apt"
  mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$SRC"
  # The archive is the one this machine's apt already uses (no host is named in this repo).
  archive=$("$HERE/../../apt-archive.sh" bookworm) || die "no Debian archive in this machine's apt sources"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive bookworm main" \
    > "$APT/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
           -o APT::Sandbox::User=root -o Acquire::Languages=none)
  dsc="$SRC/xen_${VERSION#*:}.dsc"
  if [ ! -f "$dsc" ]; then
    log "fetching source package xen=$VERSION (private deb-src list in $APT)"
    apt-get "${aptopts[@]}" update -qq >&2
    ( cd "$SRC" && apt-get "${aptopts[@]}" source --download-only -qq "xen=$VERSION" >&2 ) ||
      die "apt-get source xen=$VERSION failed (bookworm main may have moved on; set XEN_EFI_SRC_VERSION)"
  fi
  log "unpacking $(basename "$dsc") with Debian's quilt patches"
  rm -rf "$TREE" "$TREE.tmp"
  dpkg-source -x "$dsc" "$TREE.tmp" >&2
  touch "$TREE.tmp/.unpacked"
  mv "$TREE.tmp" "$TREE"
fi

# --- patched build tree -------------------------------------------------------------
WORK="$TOP/work/$KEY"
rm -rf "$WORK"
mkdir -p "$TOP/work"
cp -a "$TREE" "$WORK"
log "applying $(basename "$PATCH") (sha256 $KEY)"
( cd "$WORK" && patch -p1 --batch --forward < "$PATCH" >&2 ) || die "the patch does not apply to xen $VERSION"

# Debian's hypervisor config (debian/rules: xen-kconfig + olddefconfig), kexec on.
cp "$WORK/debian/xen-kconfig" "$WORK/xen/.config"
make -C "$WORK/xen" olddefconfig >&2
grep -qx 'CONFIG_KEXEC=y' "$WORK/xen/.config" || die "CONFIG_KEXEC is not enabled"
# DWARF in xen-syms, for `crash xen-syms <dump>` (docs/dumps.md "Xen's own crash"). Xen 4.17's
# xen/Kconfig.debug offers DEBUG_INFO (xen/Makefile: CFLAGS-$(CONFIG_DEBUG_INFO) += -g) only
# `if DEBUG || EXPERT`; EXPERT is taken, not DEBUG (asserts, extra printks). EXPERT also makes
# GDBSX (default y in that block) and the scheduler choice visible: GDBSX is kept off and the
# default scheduler stays credit2 (its choice symbol is now written out), checked below.
cp "$WORK/xen/.config" "$WORK/config.release"
printf '%s\n' CONFIG_EXPERT=y CONFIG_DEBUG_INFO=y '# CONFIG_GDBSX is not set' >> "$WORK/xen/.config"
make -C "$WORK/xen" olddefconfig >&2
changed=$({ diff "$WORK/config.release" "$WORK/xen/.config" || true; } | sed -n 's/^[<>] \(CONFIG_[A-Z0-9_]*=.*\)/\1/p' | sort | tr '\n' ' ')
[ "$changed" = "CONFIG_DEBUG_INFO=y CONFIG_EXPERT=y CONFIG_SCHED_CREDIT2_DEFAULT=y " ] \
  || die "debug info changes more of the config than EXPERT and DEBUG_INFO: $changed"
grep -qx 'CONFIG_SCHED_DEFAULT="credit2"' "$WORK/xen/.config" || die "the default scheduler is no longer credit2"
# xen.efi stays without the DWARF: GNU ld ignores NOLOAD for PE output, so the debug sections
# would be loaded by the firmware (xen/include/xen/xen.lds.h, DECL_DEBUG). xen/arch/x86/arch.mk
# adds --strip-debug to EFI_LDFLAGS only when the linker fails without it; add it always.
sed -i 's/^EFI_LDFLAGS := \(.*--subsystem=10\)$/EFI_LDFLAGS := \1 --strip-debug/' "$WORK/xen/arch/x86/arch.mk"
grep -q '^EFI_LDFLAGS := .*--strip-debug$' "$WORK/xen/arch/x86/arch.mk" || die "could not add --strip-debug to xen.efi's EFI_LDFLAGS"

# The banner reads "(Debian $DEB_VERSION)": mark the build so logs show which Xen ran.
export DEB_VERSION="$VERSION+xenkexec.${KEY:0:12}"
export DEB_MAINTAINER="xen-kexec test build <xen-kexec-e2e@localhost>"
log "building the hypervisor (make -j$JOBS); about 2-4 minutes on 2 cores"
start=$(date +%s)
make -C "$WORK/xen" -j"$JOBS" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
log "built in $(( $(date +%s) - start )) s"
[ -f "$WORK/xen/xen" ] || die "no xen/xen after the build"
# Xen links xen.efi only when the linker can emit PE32+ (Debian's binutils can).
[ -f "$WORK/xen/xen.efi" ] || die "no xen/xen.efi after the build (does ld support i386pep?)"
readelf -S "$WORK/xen/xen-syms" | grep -q ' \.debug_info ' || die "xen-syms has no .debug_info"
! objdump -h "$WORK/xen/xen.efi" | grep -q ' \.debug_' || die "xen.efi has .debug_* sections"

rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
cp "$WORK/xen/xen" "$WORK/xen/xen.efi" "$WORK/xen/xen-syms" "$WORK/xen/.config" "$OUT.tmp/"
mv "$OUT.tmp/.config" "$OUT.tmp/config"
cp "$PATCH" "$OUT.tmp/kexec-crash-efi.patch"
echo "$STAMP" > "$OUT.tmp/stamp"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
[ "${XEN_EFI_KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"

log "hypervisor: $OUT/xen and $OUT/xen.efi, symbols with DWARF: $OUT/xen-syms (Xen $DEB_VERSION)"
echo "$OUT/xen" >&3
