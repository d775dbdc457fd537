#!/bin/bash
# Benchmark of `xen-kexec-load plan` natively (no Xen, no VM): the real bookworm kernel with a
# 1 MiB and a 64 MiB initrd of random bytes, crash region 256M@1G. Three interleaved runs of
# `plan --type crash` (own purgatory), `plan --efi` and coreutils `sha256sum` of the same
# bytes (the one-SHA-256-pass baseline); prints a Markdown table of medians, the ratio to
# sha256sum and peak RSS (GNU time, getrusage ru_maxrss: it counts the file pages the tool maps
# or reads as well as its anonymous memory), and how much the peak RSS grows from the 1 MiB to
# the 64 MiB initrd (a plan that streams its files grows by a bounded buffer, not by 63 MiB).
#
#   tools/bench/plan-bench.sh [BINARY]
#
# BINARY defaults to the release build the e2e suite boots ($XEN_KEXEC_CACHE/e2e/out), else
# `swift build -c release` here.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
KERNEL="$CACHE/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"
[ -f "$KERNEL" ] || { echo "missing $KERNEL: run tools/fetch-debian.sh linux-image-6.1.0-56-amd64" >&2; exit 66; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
BIN="${1:-$CACHE/e2e/out/xen-kexec-load}"
if [ ! -x "$BIN" ]; then
  swift build -c release --product xen-kexec-load >/dev/null
  BIN="$(swift build -c release --show-bin-path)/xen-kexec-load"
fi
# Inputs in memory (tmpfs), as in dom0: disk traffic from other work on the host stays out.
TMP="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
cp "$KERNEL" "$TMP/vmlinuz"; KERNEL="$TMP/vmlinuz"
head -c $((1 << 20)) /dev/urandom > "$TMP/initrd-1M"
head -c $((64 << 20)) /dev/urandom > "$TMP/initrd-64M"
cat "$KERNEL" "$TMP"/initrd-* > /dev/null   # warm the page cache

# run NAME CMD...: one run; appends "NAME wall_s rss_kb user_s sys_s" to $TMP/runs.
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
  echo "$name $(cat "$TMP/time")" >> "$TMP/runs"
}
for size in 1M 64M; do
  for round in 1 2 3; do
    run "plan-crash-$size" "$BIN" plan "$KERNEL" --initrd "$TMP/initrd-$size" --type crash --crash-region 256M@1G
    run "plan-efi-$size" "$BIN" plan "$KERNEL" --initrd "$TMP/initrd-$size" --efi --crash-region 256M@1G
    run "sha256sum-$size" sha256sum "$KERNEL" "$TMP/initrd-$size"
  done
done

echo "binary: $BIN ($(stat -c %s "$BIN") bytes); payload: kernel $(stat -c %s "$KERNEL") bytes + initrd; inputs in $(df --output=fstype "$TMP" | tail -n 1)"
echo
echo "| command (natively) | initrd | median wall s (runs) | × sha256sum | median CPU s (user + sys) | × sha256sum | peak RSS MiB | RSS growth 1M → 64M |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
awk '
  { n[$1]++; w[$1, n[$1]] = $2; c_[$1, n[$1]] = $4 + $5; if ($3 > r[$1]) r[$1] = $3; if (!seen[$1]++) order[++k] = $1 }
  function median(name) { return med(name, 0) }
  function cpu(name) { return med(name, 1) }
  function med(name, usecpu,   a, i, j, t, c) {
    c = n[name]; for (i = 1; i <= c; i++) a[i] = usecpu ? c_[name, i] : w[name, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= k; i++) {
      name = order[i]; size = name; sub(/.*-/, "", size); stem = name; sub(/-[^-]*$/, "", stem)
      runs = ""; for (j = 1; j <= n[name]; j++) runs = runs (j > 1 ? ", " : "") w[name, j]
      sha = median("sha256sum-" size); shacpu = cpu("sha256sum-" size)
      label = stem == "plan-crash" ? "`plan --type crash`" : stem == "plan-efi" ? "`plan --efi`" : "coreutils `sha256sum`"
      growth = size == "64M" ? sprintf("%+.1f MiB", (r[name] - r[stem "-1M"]) / 1024) : ""
      printf "| %s | %s | **%.2f** (%s) | %.2f | %.2f | %.2f | %.1f | %s |\n", label, size, median(name), runs, (sha > 0 ? median(name) / sha : 0), cpu(name), (shacpu > 0 ? cpu(name) / shacpu : 0), r[name] / 1024, growth
    }
  }' "$TMP/runs"
