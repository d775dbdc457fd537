#!/bin/bash
# Benchmark of `xen-kexec-load plan`: the real bookworm kernel with a 64 MiB initrd, 256M@1G.
# Builds -c release, prints wall time and peak RSS (/usr/bin/time -v) of a crash-efi and a
# crash plan, the payload size, and the SHA-256-only baseline (sha256sum of the same bytes).
# Goal: peak RSS <= payload + 16 MiB, time dominated by SHA-256.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
KERNEL="$CACHE/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"
[ -f "$KERNEL" ] || { echo "missing $KERNEL: run tools/fetch-debian.sh linux-image-6.1.0-56-amd64" >&2; exit 66; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
head -c $((64 << 20)) /dev/urandom > "$TMP/initrd"
swift build -c release --product xen-kexec-load >/dev/null
BIN="$(swift build -c release --show-bin-path)/xen-kexec-load"
payload=$(( $(stat -c %s "$KERNEL") + $(stat -c %s "$TMP/initrd") ))
echo "payload: $payload bytes ($((payload >> 20)) MiB: kernel + 64 MiB initrd)"
measure() {  # label, command...
  local label="$1"; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$TMP/time" || { cat "$TMP/time" >&2; exit 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$TMP/time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$TMP/time" | awk '{print $NF}')
  printf '%-28s wall %8s  peak RSS %7d KiB (%4d MiB over payload)\n' "$label" "$wall" "$rss" $(( (rss * 1024 - payload) >> 20 ))
}
cat "$KERNEL" "$TMP/initrd" > /dev/null  # warm the page cache
for i in 1 2 3; do
  measure "plan --efi (run $i)" "$BIN" plan "$KERNEL" --initrd "$TMP/initrd" --efi --crash-region 256M@1G
done
measure "plan (crash, purgatory)" "$BIN" plan "$KERNEL" --initrd "$TMP/initrd" --crash-region 256M@1G
measure "sha256sum baseline" sha256sum "$KERNEL" "$TMP/initrd"
