#!/bin/bash
# Check the Debian package tools/package-deb.sh built (docs/packaging.md):
#   - `dpkg-deb -c`: exactly the expected files, in their Debian paths, with their modes,
#   - the control file: name, architecture, Depends on libxenctrl's package as
#     dpkg-shlibdeps computed it, /etc/default/xen-kexec-load a conffile,
#   - the man page is gzipped troff, the binary runs (--version) and needs no Swift runtime,
#   - no test hooks: neither its help nor its strings name a fault-injection switch, the
#     debug builds' --sysfs-root or the retired XEN_KEXEC_LOAD_SYSFS_ROOT,
#   - lintian: no error, and every remaining tag is listed in docs/packaging.md.
# Usage: tools/check-deb.sh PATH/xen-kexec-load_VERSION_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:?usage: $0 DEB}
[ -f "$deb" ] || { echo "check-deb: no $deb" >&2; exit 66; }
fail() { echo "check-deb: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# --- contents: "MODE PATH" of every regular file, sorted
expected="-rwxr-xr-x ./usr/sbin/xen-kexec-load
-rw-r--r-- ./etc/default/xen-kexec-load
-rw-r--r-- ./lib/systemd/system/xen-kexec-load.service
-rw-r--r-- ./lib/systemd/system/kdump-tools-dump.service.d/xen-kexec-load.conf
-rwxr-xr-x ./usr/lib/xen-kexec-load/kdump-args
-rw-r--r-- ./lib/udev/rules.d/99-xen-kexec-load.rules
-rw-r--r-- ./usr/share/bash-completion/completions/xen-kexec-load
-rw-r--r-- ./usr/share/doc/xen-kexec-load/changelog.gz
-rw-r--r-- ./usr/share/doc/xen-kexec-load/copyright
-rw-r--r-- ./usr/share/fish/vendor_completions.d/xen-kexec-load.fish
-rw-r--r-- ./usr/share/man/man8/xen-kexec-load.8.gz
-rw-r--r-- ./usr/share/zsh/vendor-completions/_xen-kexec-load"
actual=$(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { print $1, $6 }' | sort -k2)
if [ "$actual" != "$(echo "$expected" | sort -k2)" ]; then
  diff -u <(echo "$expected" | sort -k2) <(echo "$actual") >&2 || true
  fail "contents differ from the expected list (- expected, + found)"
fi
owners=$(dpkg-deb -c "$deb" | awk '{ print $2 }' | sort -u)
[ "$owners" = "root/root" ] || fail "files not owned by root/root: $owners"
echo "check-deb: contents: $(echo "$actual" | wc -l) files in their Debian paths"

# --- control
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = xen-kexec-load ] || fail "Package is '$(field Package)'"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
name=$(basename "$deb")
[ "$name" = "xen-kexec-load_$(field Version)_amd64.deb" ] || fail "file name $name does not match Version $(field Version)"
depends=$(field Depends)
# The package owning the libxenctrl the binary links (by file name: /lib is /usr/lib on bookworm).
dpkg-deb -x "$deb" "$tmp/root"
soname=$(objdump -p "$tmp/root/usr/sbin/xen-kexec-load" | awk '$1 == "NEEDED" && $2 ~ /^libxenctrl\.so/ { print $2 }')
[ -n "$soname" ] || fail "the packaged binary does not link libxenctrl"
libpkg=$(dpkg -S "*/$soname" 2>/dev/null | awk -F: 'NR == 1 { print $1 }')
[ -n "$libpkg" ] || fail "cannot tell which package ships libxenctrl on this host"
echo "$depends" | grep -Eq "(^|, )$libpkg( |,|$)" || fail "Depends ($depends) lacks $libpkg (libxenctrl)"
echo "$depends" | grep -Eq '(^|, )libc6 ' || fail "Depends ($depends) lacks libc6"
if readelf -V "$tmp/root/usr/sbin/xen-kexec-load" | grep -q GLIBC_ABI_DT_RELR; then
  libc_min=$(echo "$depends" | sed -n 's/.*libc6 (>= \([^)]*\)).*/\1/p')
  dpkg --compare-versions "${libc_min:-0}" ge 2.36 \
    || fail "the binary uses packed relocations (GLIBC_ABI_DT_RELR) but Depends asks for libc6 >= ${libc_min:-nothing}, not 2.36"
fi
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$tmp" ./conffiles
[ "$(cat "$tmp/conffiles")" = /etc/default/xen-kexec-load ] || fail "conffiles: $(cat "$tmp/conffiles")"
echo "check-deb: control: version $(field Version), Depends: $depends; conffile /etc/default/xen-kexec-load"

# --- the payload works
gzip -dc "$tmp/root/usr/share/man/man8/xen-kexec-load.8.gz" | head -c 4096 | grep -q '^\.Dt XEN-KEXEC-LOAD 8' \
  || fail "man page is not the gzipped xen-kexec-load(8)"
"$tmp/root/usr/sbin/xen-kexec-load" --version >/dev/null || fail "the packaged binary does not run"
if ldd "$tmp/root/usr/sbin/xen-kexec-load" | grep -Eq 'libswift|libFoundation|libdispatch'; then
  fail "the packaged binary needs the Swift runtime: $(ldd "$tmp/root/usr/sbin/xen-kexec-load" | grep -E 'swift|Foundation|dispatch')"
fi
echo "check-deb: payload: binary runs, no Swift runtime needed, man page gzipped"

# --- no test hooks. The fault injections live in the test-only xen-kexec-fidelity
# (`fault-load`), and --sysfs-root, which moves the root dom0 is read under (Dom0), exists
# only in debug builds (Package.swift, XEN_KEXEC_TEST_HOOKS).
bin="$tmp/root/usr/sbin/xen-kexec-load"
{ "$bin" --help; "$bin" load --help; "$bin" load --help-hidden; } > "$tmp/help" 2>&1 || true
grep -q -- '--initrd' "$tmp/help" || fail "load --help did not print the load options"
strings -a "$bin" > "$tmp/strings"
for hook in unsafe-skip-preflight unsafe-arch no-restore unsafe-corrupt-purgatory-digest sysfs-root XEN_KEXEC_LOAD_SYSFS_ROOT; do
  ! grep -qF -- "$hook" "$tmp/help" || fail "the packaged binary's help names the test hook $hook"
  ! grep -qF -- "$hook" "$tmp/strings" || fail "the packaged binary contains the string $hook (a test hook)"
done
echo "check-deb: no test hooks: help and strings name no fault injection, --sysfs-root or XEN_KEXEC_LOAD_SYSFS_ROOT"

# --- lintian: errors fail; every other tag must be explained in docs/packaging.md
lint=$(lintian --fail-on none --display-info --pedantic "$deb" 2>"$tmp/lintian.err") \
  || fail "lintian did not run: $(cat "$tmp/lintian.err")"
echo "$lint" | sed 's/^/  lintian: /'
if echo "$lint" | grep -q '^E: '; then fail "lintian reported errors"; fi
for tag in $(echo "$lint" | awk -F': ' '/^[WIPX]: / { split($3, t, " "); print t[1] }' | sort -u); do
  grep -q "\`$tag\`" docs/packaging.md || fail "lintian tag $tag is not listed with a reason in docs/packaging.md"
done
echo "check-deb: lintian: no errors; $(echo "$lint" | grep -c '^[WIPX]: ' || true) remaining tags, each explained in docs/packaging.md"
