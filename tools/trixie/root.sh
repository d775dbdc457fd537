#!/bin/bash
# Make (once) the Debian 13 "trixie" root that the trixie build of xen-kexec-load is built
# in, and print its path as the last line on stdout.
#
#   tools/trixie/root.sh
#
# The root is made with debootstrap from the Debian archive this machine's apt already
# uses (tools/apt-archive.sh; no host is named in this repository) and cached in
# $XEN_KEXEC_CACHE/trixie-root (default /var/cache/xen-kexec). It is keyed by the package
# list below plus RECIPE: when either changes, the root is made anew; otherwise it is
# reused as it is. Runs as root on Debian bookworm; installs debootstrap when missing.
#
# What the root holds: libxen-dev (Xen 4.20: libxenctrl.so.4.20 and xencontrol.pc),
# pkg-config, gcc and libc6-dev, the C++ runtime the Swift toolchain links against, the
# shared libraries the Swift 6.3 toolchain itself needs (it is built for Debian 12 and
# bind-mounted from /opt/swift, see build.sh), git for SwiftPM, binutils (objdump, used by
# a unit test), what the Authenticode tests sign and verify with (sbsigntool, openssl,
# osslsigncode, ovmf's snakeoil key; as tools/install-deps.sh installs on bookworm), for
# the dom0 initramfs of the XEN=stock-4.20 scenarios: kexec-tools and busybox-static, and
# crash (8.0.6 in trixie), which the dump scenarios run on the host through
# tools/e2e/crash.sh: Debian 12's crash 8.0.2 cannot build its task table on the dom0
# kernel (docs/dumps.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
SUITE=trixie
# Bump when the steps below change what the root holds.
RECIPE=1
PACKAGES=(
  libxen-dev pkg-config gcc libc6-dev binutils          # libxenctrl 4.20, the C toolchain
  libstdc++-14-dev libgcc-14-dev                        # what swiftc's link step finds via gcc
  libcurl4t64 libxml2 libsqlite3-0 libncurses6 libuuid1 zlib1g tzdata   # the toolchain's own libraries
  git ca-certificates                                   # SwiftPM clones its dependencies
  sbsigntool ovmf openssl osslsigncode                  # the Authenticode tests' signed kernels
  kexec-tools busybox-static                            # the 4.20 dom0 initramfs (peer, shell)
  crash                                                 # crash >= 8.0.4 for the dump scenarios' ps (tools/e2e/crash.sh)
)

exec 3>&1 1>&2   # stdout is reserved for the final path
log() { echo "trixie-root: $*" >&2; }
die() { echo "trixie-root: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"

ROOT="$CACHE/trixie-root"
STAMP="suite=$SUITE recipe=$RECIPE packages=$(printf '%s\n' "${PACKAGES[@]}" | sort | sha256sum | cut -c1-16)"
mkdir -p "$CACHE"
exec 9>"$CACHE/trixie-root.lock"
flock 9

if [ -f "$ROOT/.xen-kexec-stamp" ] && [ "$(cat "$ROOT/.xen-kexec-stamp")" = "$STAMP" ]; then
  log "cached root ($STAMP)"
  echo "$ROOT" >&3
  exit 0
fi

command -v debootstrap >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
    { apt-get update -qq >&2 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2; }
}
archive=$("$HERE/../apt-archive.sh" "$SUITE") || die "no Debian archive in this machine's apt sources"

log "debootstrap $SUITE into $ROOT.tmp (${#PACKAGES[@]} packages plus minbase); a few minutes"
start=$(date +%s)
rm -rf "$ROOT.tmp"
include=$(IFS=,; echo "${PACKAGES[*]}")
DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase --components=main \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  --include="$include" "$SUITE" "$ROOT.tmp" "$archive" >&2 ||
  die "debootstrap failed (see $ROOT.tmp/debootstrap/debootstrap.log)"
# The archive list inside the root, for apt-get in the chroot (same archive URI as above).
echo "deb $archive $SUITE main" > "$ROOT.tmp/etc/apt/sources.list"
rm -rf "$ROOT.tmp/var/cache/apt/archives/"*.deb
echo "$STAMP" > "$ROOT.tmp/.xen-kexec-stamp"
rm -rf "$ROOT"
mv "$ROOT.tmp" "$ROOT"
log "made in $(( $(date +%s) - start )) s: $(chroot "$ROOT" dpkg-query -W -f='${Package} ${Version}\n' libxen-dev kexec-tools | tr '\n' ' ')"
echo "$ROOT" >&3
