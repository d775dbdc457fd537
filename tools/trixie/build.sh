#!/bin/bash
# Build xen-kexec-load (and the test-only xen-kexec-fidelity the e2e suite runs in dom0) for
# Debian 13 "trixie" (Xen 4.20, libxenctrl.so.4.20) and run the unit tests there, in the cached trixie root of tools/trixie/root.sh, with the same
# Swift 6.3 toolchain the bookworm build uses (/opt/swift, built for Debian 12; it runs
# unchanged on trixie's glibc 2.41 and finds every library it needs in the root).
#
#   tools/trixie/build.sh [--no-test]
#
# Prints the path of the trixie xen-kexec-load (release, Swift stdlib linked in statically) as
# the last line on stdout; xen-kexec-fidelity lies beside it. The binaries need trixie's glibc and libxenctrl.so.4.20: it runs on
# trixie, not on bookworm. Everything lives in $XEN_KEXEC_CACHE/trixie-build (default
# /var/cache/xen-kexec), never in the repository's .build:
#   src/                 a copy of the working tree (tracked and untracked, not ignored files)
#   scratch-release/     the release build      scratch-debug/  the unit-test build
#   out/xen-kexec-load, out/xen-kexec-fidelity  the binaries    home/  SwiftPM's caches
# Inside the root (a private mount namespace, so nothing stays mounted): /opt/swift and the
# package mirror /opt/swift-packages read-only, the test kernels ($XEN_KEXEC_CACHE/pkg)
# read-only at /var/cache/xen-kexec/pkg ($XEN_KEXEC_CACHE inside the root), and the
# machine's git url.*.insteadOf rules in the root's /etc/gitconfig so SwiftPM resolves the
# dependencies exactly as it does outside.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
SWIFT="${SWIFT_TOOLCHAIN:-/opt/swift}"
PKGMIRROR=/opt/swift-packages
WORK="$CACHE/trixie-build"

TEST=1
case "${1:-}" in
  --no-test) TEST=0 ;;
  "") ;;
  *) echo "usage: $0 [--no-test]" >&2; exit 64 ;;
esac

exec 3>&1 1>&2   # stdout is reserved for the final path
log() { echo "trixie-build: $*" >&2; }
die() { echo "trixie-build: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (chroot, mounts)"
[ -x "$SWIFT/usr/bin/swift" ] || die "no Swift toolchain at $SWIFT (set SWIFT_TOOLCHAIN)"

t0=$(date +%s)
ROOT=$("$HERE/root.sh" | tail -n 1)
mkdir -p "$WORK"/{src,home,out}
exec 9>"$WORK/lock"
flock 9

# The source: what the working tree holds now. tar keeps mtimes, so an unchanged file
# stays unchanged for SwiftPM's incremental build.
rm -rf "$WORK/src" && mkdir -p "$WORK/src"
git -C "$REPO" ls-files -z --cached --others --exclude-standard |
  (cd "$REPO" && tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$WORK/src"

# The git rules that map the dependencies' URLs to the local mirror.
: > "$ROOT/etc/gitconfig"
git config --get-regexp '^url\..*\.insteadof$' | while read -r key value; do
  git config --file "$ROOT/etc/gitconfig" --add "$key" "$value"
done

# Test kernels for the unit tests (the same pinned packages as on bookworm).
[ "$TEST" = 0 ] || XEN_KEXEC_CACHE="$CACHE" "$REPO/tools/fetch-test-kernels.sh" >/dev/null

mkdir -p "$ROOT/opt/swift" "$ROOT$PKGMIRROR" "$ROOT/build" "$ROOT/var/cache/xen-kexec/pkg"
inner=$(cat <<'EOF'
set -euo pipefail
cd /build/src
rel=(-c release --static-swift-stdlib --scratch-path /build/scratch-release)
s=$(date +%s)
for product in xen-kexec-load xen-kexec-fidelity; do
  swift build "${rel[@]}" --product "$product"
  cp "$(swift build "${rel[@]}" --show-bin-path)/$product" "/build/out/$product.tmp"
  mv "/build/out/$product.tmp" "/build/out/$product"
  libs=$(ldd "/build/out/$product")   # (not piped into grep -q: pipefail and SIGPIPE)
  case "$libs" in *'libxenctrl.so.4.20 '*) ;; *) echo "trixie-build: $product does not link libxenctrl.so.4.20" >&2; exit 1 ;; esac
done
echo "trixie-build: release build $(( $(date +%s) - s )) s" >&2
if [ "$TEST" = 1 ]; then
  s=$(date +%s)
  swift build --build-tests --scratch-path /build/scratch-debug
  echo "trixie-build: test build $(( $(date +%s) - s )) s" >&2
  s=$(date +%s)
  swift test --skip-build --scratch-path /build/scratch-debug
  echo "trixie-build: unit tests $(( $(date +%s) - s )) s" >&2
fi
EOF
)
rm -f "$WORK/out/xen-kexec-load" "$WORK/out/xen-kexec-fidelity"
unshare --mount --propagation private bash -euc '
  root=$1 swift=$2 mirror=$3 work=$4 cache=$5 test=$6 inner=$7
  mount --bind -o ro "$swift" "$root/opt/swift"
  mount --bind -o ro "$mirror" "$root$mirror"
  mount --bind "$work" "$root/build"
  mount --bind -o ro "$cache/pkg" "$root/var/cache/xen-kexec/pkg"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount -t tmpfs tmpfs "$root/tmp"
  exec chroot "$root" /usr/bin/env -i HOME=/build/home TEST="$test" XEN_KEXEC_CACHE=/var/cache/xen-kexec \
    PATH=/opt/swift/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb \
    /bin/bash -c "$inner"
' - "$ROOT" "$SWIFT" "$PKGMIRROR" "$WORK" "$CACHE" "$TEST" "$inner" >&2

log "done in $(( $(date +%s) - t0 )) s: $(chroot "$ROOT" dpkg-query -W -f='libxen-dev ${Version}' libxen-dev), $(git -C "$REPO" log -1 --format='%h %s')"
echo "$WORK/out/xen-kexec-load" >&3
