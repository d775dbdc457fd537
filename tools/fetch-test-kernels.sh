#!/bin/bash
# Fetch the real Debian kernels the tests pin (and the systemd-stub the real-UKI tests wrap
# around one), by package name, into the cache outside git
# ($XEN_KEXEC_CACHE, default /var/cache/xen-kexec) with tools/fetch-debian.sh.
#
#   tools/fetch-test-kernels.sh
#
# Prints the path of each kernel image; exits non-zero if one is missing or is not the
# pinned Debian version. Provenance and the header values the tests assert:
# Tests/Fixtures/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"

# package[:arch]                   Debian version  kernel image inside the package
pinned=(
  "linux-image-6.1.0-56-amd64        6.1.192-2  boot/vmlinuz-6.1.0-56-amd64"
  "linux-image-6.1.0-56-cloud-amd64  6.1.192-2  boot/vmlinuz-6.1.0-56-cloud-amd64"
  "linux-image-6.1.0-50-686:i386     6.1.176-1  boot/vmlinuz-6.1.0-50-686"
  "systemd-boot-efi                  252.39-1~deb12u2  usr/lib/systemd/boot/efi/linuxx64.efi.stub"
)

specs=()
for line in "${pinned[@]}"; do read -r spec _ _ <<<"$line"; specs+=("$spec"); done
XEN_KEXEC_CACHE="$CACHE" tools/fetch-debian.sh "${specs[@]}" >/dev/null

status=0
for line in "${pinned[@]}"; do
  read -r spec version path <<<"$line"
  dest="$CACHE/pkg/${spec%%:*}"
  got=$(cat "$dest/.unpacked" 2>/dev/null || echo "nothing")
  case "$got" in
    *"_${version}_"*) ;;
    *) echo "fetch-test-kernels: $dest holds $got, the tests pin version $version" >&2; status=1 ;;
  esac
  if [ -f "$dest/$path" ]; then
    echo "$dest/$path"
  else
    echo "fetch-test-kernels: missing $dest/$path" >&2; status=1
  fi
done
exit $status
