#!/bin/bash
# Sign an EFI application (a xen.efi) with Debian's snakeoil Secure Boot key, the key
# whose certificate OVMF_VARS_4M.snakeoil.fd enrols in PK, KEK and db (ovmf's
# README.Debian). Prints the signed copy's path on stdout.
#
#   tools/e2e/sign-efi.sh IMAGE
#
# The copy is cached in $E2E/signed/<sha256 of IMAGE and the certificate>.efi, so an
# unchanged image is signed once. The key ships encrypted (password "snakeoil"); it is
# decrypted once into $E2E/signed/ (mode 0600, outside git) because sbsign cannot ask
# for a password. sbverify checks every new signature against the certificate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
img=${1:?usage: sign-efi.sh IMAGE}
[ -s "$img" ] || die "no EFI image $img"
[ -r "$SNAKEOIL_KEY" ] && [ -r "$SNAKEOIL_CERT" ] || die "no snakeoil key/certificate (package ovmf)"

dir="$E2E/signed"
mkdir -p "$dir"
exec 9>"$dir/lock"
flock 9   # two VMs start at once; both may want the same signed copy

signed="$dir/$(cat "$img" "$SNAKEOIL_CERT" | sha256sum | cut -d' ' -f1).efi"
if [ ! -s "$signed" ]; then
  key="$dir/snakeoil.key"
  if [ ! -s "$key" ]; then
    (umask 077 && openssl rsa -in "$SNAKEOIL_KEY" -passin pass:snakeoil -out "$key.tmp" 2>/dev/null) ||
      die "cannot decrypt $SNAKEOIL_KEY"
    mv "$key.tmp" "$key"
  fi
  # sbsign warns about Xen's section layout ("gaps between PE/COFF sections"); the
  # signature covers the image as the firmware hashes it, which sbverify checks.
  sbsign --key "$key" --cert "$SNAKEOIL_CERT" --output "$signed.tmp" "$img" >/dev/null 2>&1 ||
    die "sbsign failed for $img"
  sbverify --cert "$SNAKEOIL_CERT" "$signed.tmp" >/dev/null 2>&1 || die "sbverify rejects the signed $img"
  mv "$signed.tmp" "$signed"
fi
echo "$signed"
