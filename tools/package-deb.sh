#!/bin/bash
# Build the Debian package xen-kexec-load_<version>_amd64.deb from an already built
# release binary (docs/packaging.md).
#
#   tools/package-deb.sh BINARY [OUT-DIR]
#
# BINARY is `swift build -c release --static-swift-stdlib --product xen-kexec-load`'s
# output (tools/e2e/build-tool.sh builds exactly that into $XEN_KEXEC_CACHE/e2e/out), so
# the package needs no Swift toolchain on the host. OUT-DIR defaults to the current folder.
# Prints the path of the .deb as its last line.
#
# Version: the binary's own `--version` (the CLI's declared version) + "+git<commit date
# YYYYMMDD>.<short commit>", e.g. 0.1.0+git20261128.23cdc4d; a working tree with
# uncommitted changes gets ".dirty" appended. Depends: computed by dpkg-shlibdeps from the
# binary's dynamic libraries (libxenctrl, libc, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ $# -ge 1 ] || { echo "usage: $0 BINARY [OUT-DIR]" >&2; exit 64; }
bin=$1
out=${2:-.}
[ -x "$bin" ] || { echo "package-deb: $bin is not an executable (build it: tools/e2e/build-tool.sh)" >&2; exit 66; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

pkg=xen-kexec-load
arch=$(dpkg --print-architecture)
base=$("$bin" --version)
case "$base" in [0-9]*) ;; *) echo "package-deb: '$bin --version' printed '$base', not a version" >&2; exit 65 ;; esac
version="$base+git$(git log -1 --format=%cd --date=format:%Y%m%d).$(git rev-parse --short=7 HEAD)"
git diff --quiet HEAD -- 2>/dev/null || version="$version.dirty"
# Maintainer: DEBFULLNAME/DEBEMAIL when set (as dch uses them), else HEAD's author.
if [ -n "${DEBEMAIL:-}" ]; then maintainer="${DEBFULLNAME:-xen-kexec developers} <$DEBEMAIL>"
else maintainer=$(git log -1 --format='%an <%ae>'); fi

# Reproducible: file times in the archive are the commit time (dpkg-deb honours this).
export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
root="$work/root"

# --- files, in their Debian paths (bookworm: units and udev rules under /lib)
install -D -m 755 "$bin" "$root/usr/sbin/$pkg"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/sbin/$pkg"
install -D -m 644 dist/xen-kexec-load.service "$root/lib/systemd/system/$pkg.service"
install -D -m 644 dist/99-xen-kexec-load.rules "$root/lib/udev/rules.d/99-$pkg.rules"
install -D -m 644 dist/xen-kexec-load.default "$root/etc/default/$pkg"
# kdump-tools' dump unit, on a Xen host: makedumpfile's Xen mode (docs/dumps.md).
install -D -m 644 dist/kdump-tools-dump.conf "$root/lib/systemd/system/kdump-tools-dump.service.d/$pkg.conf"
install -D -m 755 dist/kdump-args "$root/usr/lib/$pkg/kdump-args"
install -d "$root/usr/share/man/man8"
gzip -9n < docs/xen-kexec-load.8 > "$root/usr/share/man/man8/$pkg.8.gz"
install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
# bash-completion sources the file: no "#!" line.
"$bin" --generate-completion-script bash | sed '1{/^#!/d}' > "$root/usr/share/bash-completion/completions/$pkg"
"$bin" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_$pkg"
"$bin" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/$pkg.fish"
doc="$root/usr/share/doc/$pkg"
install -d "$doc"
install -m 644 dist/deb/copyright "$doc/copyright"
# A native package (no Debian revision): its changelog is changelog.gz. It names the commit,
# not its subject: lintian spell-checks the changelog, and a subject cut to fit a line once
# ended in "defaul" (spelling-error-in-changelog failed check-deb.sh).
date_rfc=$(TZ=UTC git log -1 --format=%cd --date=format-local:'%a, %d %b %Y %H:%M:%S +0000')
gzip -9n > "$doc/changelog.gz" <<EOF
$pkg ($version) unstable; urgency=medium

  * Built from commit $(git rev-parse HEAD).

 -- $maintainer  $date_rfc
EOF
chmod 644 "$doc/changelog.gz" "$root"/usr/share/*/*/* "$root"/usr/share/man/man8/*
find "$root" -type d -exec chmod 755 {} +

# --- control files
install -d "$root/DEBIAN"
echo "/etc/default/$pkg" > "$root/DEBIAN/conffiles"
install -m 755 dist/deb/postinst dist/deb/prerm dist/deb/postrm "$root/DEBIAN/"

# dpkg-shlibdeps reads debian/control from the current folder: give it a minimal one.
mkdir -p "$work/src/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$pkg" "$pkg" > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/sbin/$pkg" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# The release binary's relocations are packed (DT_RELR, Package.swift): it needs glibc's
# GLIBC_ABI_DT_RELR version (glibc 2.36), which no imported symbol carries, so
# dpkg-shlibdeps does not see it. Raise libc6's minimum to 2.36 when it is lower.
if readelf -V "$root/usr/sbin/$pkg" | grep -q GLIBC_ABI_DT_RELR; then
  libc_min=$(echo "$depends" | sed -n 's/.*libc6 (>= \([^)]*\)).*/\1/p')
  if [ -n "$libc_min" ] && dpkg --compare-versions "$libc_min" lt 2.36; then
    depends=$(echo "$depends" | sed "s/libc6 (>= $libc_min)/libc6 (>= 2.36)/")
  fi
fi
size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
{
  echo "Package: $pkg"
  echo "Version: $version"
  echo "Architecture: $arch"
  echo "Maintainer: $maintainer"
  echo "Installed-Size: $size"
  echo "Depends: $depends"
  echo "Suggests: kdump-tools, makedumpfile"
  echo "Section: admin"
  echo "Priority: optional"
  echo "Description: load Linux crash kernels into the Xen hypervisor"
  sed 's/^/ /' dist/deb/description
} > "$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

deb="$out/${pkg}_${version}_${arch}.deb"
rm -f "$out/${pkg}"_*_"$arch".deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
