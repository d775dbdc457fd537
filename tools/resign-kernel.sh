#!/bin/bash
# Re-sign a kernel (or any PE image) with Debian's OVMF "snakeoil" key, the key whose
# certificate is in the `db` of OVMF_VARS_4M.snakeoil.fd (package ovmf; the key's password
# is `snakeoil`, see /usr/share/doc/ovmf/README.Debian).
#
#   tools/resign-kernel.sh IN OUT
#
# Strips every Authenticode signature IN carries (sbattach --remove), signs the result with
# the snakeoil key (sbsign), writes OUT, and checks it with `sbverify --cert`. The encrypted
# key is decrypted into a temporary file that is removed on exit. Override the key pair with
# RESIGN_KEY / RESIGN_CERT / RESIGN_PASS (e.g. a throwaway key made with openssl).
# Needs sbsigntool and openssl (tools/install-deps.sh); exits non-zero with what to install.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 IN OUT" >&2; exit 64; }
in=$1 out=$2
key=${RESIGN_KEY:-/usr/share/ovmf/PkKek-1-snakeoil.key}
cert=${RESIGN_CERT:-/usr/share/ovmf/PkKek-1-snakeoil.pem}
pass=${RESIGN_PASS-snakeoil}

for tool in sbsign sbattach sbverify openssl; do
  command -v "$tool" >/dev/null || { echo "resign-kernel: $tool is missing; run tools/install-deps.sh (packages sbsigntool, openssl)" >&2; exit 69; }
done
[ -r "$key" ] && [ -r "$cert" ] || { echo "resign-kernel: $key / $cert missing; install the ovmf package (tools/install-deps.sh)" >&2; exit 66; }
[ -r "$in" ] || { echo "resign-kernel: cannot read $in" >&2; exit 66; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"
if [ -n "$pass" ]; then
  openssl pkey -in "$key" -passin "pass:$pass" -out "$tmp/key.pem"
else
  cp "$key" "$tmp/key.pem"
fi
cp "$in" "$tmp/stripped"
# sbattach --remove drops one signature per call; loop until sbverify --list finds none.
while sbverify --list "$tmp/stripped" 2>/dev/null | grep -q '^signature '; do
  sbattach --remove "$tmp/stripped" >/dev/null
done
sbsign --key "$tmp/key.pem" --cert "$cert" --output "$tmp/signed" "$tmp/stripped" >/dev/null
sbverify --cert "$cert" "$tmp/signed" >/dev/null
mv "$tmp/signed" "$out"
echo "$out"
