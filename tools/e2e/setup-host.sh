#!/bin/bash
# Install the Debian packages the harness needs on the host. Idempotent: when all
# are installed already it does not touch apt at all (fast, works offline).
set -euo pipefail

PACKAGES=(
  qemu-system-x86   # the virtual machine (TCG; KVM does not work on these hosts)
  busybox-static    # shell and tools inside both initramfs images
  kexec-tools       # the reference loader (peer scenario) and its ldd closure
  libxen-dev pkg-config  # libxenctrl (+ its .pc) for building the tool and for the dom0 image
  cpio gzip         # initramfs images
  gcc libc6-dev     # vmcore-check, linked static
  binutils          # strip for the tool copy in the dom0 image
  socat             # types Xen's debug key on the serial socket
  jq                # compares the dry-run and offline plans
  ca-certificates   # swift package resolution over https
  ovmf              # UEFI firmware for FIRMWARE=uefi|uefi-sb (plain and snakeoil Secure Boot variables)
  sbsigntool        # sbsign: signs xen.efi with the snakeoil key for FIRMWARE=uefi-sb
  openssl           # decrypts the snakeoil key once into the cache
  debootstrap dpkg-dev e2fsprogs  # the systemd dom0's disk (build-disk.sh), the .deb (dpkg-shlibdeps)
  makedumpfile crash  # the dump scenarios read the saved dumps on the host (docs/dumps.md)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # A half-synced mirror for one index must not stop us; install reports what is really missing.
  # Another apt run (a parallel build) may hold dpkg's lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq || echo "e2e: apt-get update reported errors; trying with the lists it has" >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
