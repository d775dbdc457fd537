#!/bin/bash
# Install what building and testing xen-kexec needs on a fresh Debian bookworm machine
# (Swift 6.3 itself is expected at /opt/swift or on PATH). Idempotent; run as root.
set -euo pipefail
pkgs=(
  libxen-dev pkg-config         # libxenctrl headers + xencontrol.pc (the CXenCtrl system library)
  binutils gcc libc6-dev        # objdump for the purgatory test, gcc for the vmcore checker
  qemu-system-x86 busybox-static kexec-tools cpio xz-utils zstd time  # the real-Xen suite
  systemd                       # systemd-analyze verify for the unit file
  debootstrap e2fsprogs         # the trixie root and the disk dom0 (built in the background from the start: tools/test-all.sh)
  dpkg-dev lintian              # the Debian package: dpkg-shlibdeps, lintian (tools/package-deb.sh, check-deb.sh)
  sbsigntool ovmf openssl osslsigncode  # Authenticode tests: sbverify/sbsign, the snakeoil key (tools/resign-kernel.sh), a second image-hash implementation
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  apt-get update -qq || echo "install-deps: apt-get update reported errors; trying with the lists it has" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# virt-fw-vars (PyPI virt-firmware) enrolls a dbx entry into a copy of OVMF's Secure Boot
# variables for the sb-revoked scenario (tools/e2e/uefi-host.sh, FIRMWARE=uefi-sb-dbx).
if ! python3 -c 'import virt.firmware.vars' 2>/dev/null; then
  echo "install-deps: installing virt-firmware (PyPI)" >&2
  python3 -m pip install -q --disable-pip-version-check virt-firmware==26.10 >&2
fi
