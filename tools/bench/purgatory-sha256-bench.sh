#!/bin/bash
# Native throughput of the purgatory's SHA-256 against kexec-tools' own: 64 MiB of random bytes
# (in memory) hashed by our scalar routine, our SHA-NI routine (both the bytes the purgatory
# carries, run by xen-kexec-purgatory-bench, a test-only executable that is not in the .deb)
# and kexec-tools' util_lib/sha256.c built with -O2 from Debian's kexec-tools source package
# (tools/bench/kexec-tools-source.sh; the routine kexec-tools' purgatory runs in
# verify_sha256_digest). Each is the best of RUNS in CPU seconds of its own process, so other
# load on a shared machine does not count; the three digests must agree with sha256sum.
# Prints a Markdown table: MiB/s and the ratio to kexec-tools' C.
#
#   tools/bench/purgatory-sha256-bench.sh [MIB] [RUNS]     (defaults 64, 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB="${1:-64}"; RUNS="${2:-5}"
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
TREE="$(XEN_KEXEC_CACHE="$CACHE" tools/bench/kexec-tools-source.sh)"
VERSION="$(dpkg-parsechangelog -l "$TREE/debian/changelog" -S Version 2>/dev/null || basename "$(dirname "$TREE")")"

TMP="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
gcc -O2 -I"$TREE/util_lib/include" -o "$TMP/kexec-tools-sha256" tools/bench/kexec-tools-sha256-main.c "$TREE/util_lib/sha256.c"
# A debug build is enough: the timed call runs the purgatory's generated machine code, which
# the Swift compiler's optimisation level does not touch.
swift build --product xen-kexec-purgatory-bench >&2
OURS="$(swift build --show-bin-path)/xen-kexec-purgatory-bench"
head -c $((MIB << 20)) /dev/urandom > "$TMP/data"
expected="$(sha256sum "$TMP/data" | cut -d' ' -f1)"

{ "$TMP/kexec-tools-sha256" "$TMP/data" "$RUNS"; "$OURS" "$TMP/data" "$RUNS"; } > "$TMP/results"
grep -q '^kexec-tools-c ' "$TMP/results" || { cat "$TMP/results" >&2; exit 1; }
while read -r name seconds digest; do
  [ -z "${digest:-}" ] || [ "$digest" = "$expected" ] || { echo "$name: digest $digest, sha256sum $expected" >&2; exit 1; }
done < <(grep -v unavailable "$TMP/results")

echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); sha_ni: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no); $MIB MiB, best of $RUNS (CPU s); kexec-tools $VERSION util_lib/sha256.c, gcc -O2"
echo
echo "| SHA-256 of $MIB MiB | CPU s | MiB/s | × kexec-tools' C |"
echo "| --- | --- | --- | --- |"
awk -v mib="$MIB" '
  / unavailable/ { missing = missing $0 "\n"; next }
  { name[++n] = $1; s[n] = $2; if ($1 == "kexec-tools-c") base = $2 }
  END {
    label["kexec-tools-c"] = "kexec-tools util_lib/sha256.c (C, -O2)"
    label["scalar"] = "purgatory, scalar path"
    label["sha-ni"] = "purgatory, SHA-NI path"
    for (i = 1; i <= n; i++) printf "| %s | %.3f | %.0f | %.2f× |\n", label[name[i]], s[i], mib / s[i], base / s[i]
    if (missing != "") printf "\n%s", missing
  }' "$TMP/results"
