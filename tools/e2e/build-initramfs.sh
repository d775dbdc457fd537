#!/bin/bash
# Build the initramfs images:
#   $OUT/initrd-crash.gz  busybox + /init (init-crash.sh) + vmcore-check
#   $OUT/initrd-dom0.gz   busybox + /init (init-dom0.sh) + scenarios + xen modules +
#                         xen-console-ring + guest/xen-ram-words.sh +
#                         kexec-tools, coreutils sha256sum and cat and GNU time
#                         (/opt/bench, for the figures),
#                         xen-kexec-load with its ldd closure +
#                         /boot/vmlinuz-crash, /boot/initrd-crash.gz and
#                         /boot/test-images/ (make-test-images.sh)
#   $OUT/initrd-dom0-fidelity.gz  the same plus the test-only xen-kexec-fidelity
#                         (NEEDS_FIDELITY=yes scenarios: fidelity-*, and fault-load's
#                         refused-reload and purgatory scenarios)
#   $OUT/initrd-dom0-sb.gz  /boot/test-images/vmlinuz-snakeoil, appended to dom0's image
#                         on Secure Boot hosts (FIRMWARE=uefi-sb)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# copy_bin ROOT BIN DEST: BIN at ROOT/DEST plus every library ldd names, at the
# same path (so ld.so finds them without a cache).
copy_bin() {
  local root=$1 bin=$2 dest=$3 lib
  install -D -m 755 "$bin" "$root$dest"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
    [ -e "$root$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$root$lib"
  done
}

# pack ROOT FILE: newc cpio, gzip -1 (the guest's decompression under TCG dominates).
pack() {
  (cd "$1" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$2.tmp"
  mv "$2.tmp" "$2"
}

busybox=/bin/busybox   # from busybox-static: no libraries needed

work="$E2E/initramfs"
rm -rf "$work" && mkdir -p "$work"

# --- the crash kernel's image
gcc -static -O2 -s -Wall -o "$OUT/vmcore-check" "$HERE/vmcore-check.c"
# dom0 reads Xen's console ring with it (the trixie dom0 image takes the same binary).
gcc -static -O2 -s -Wall -o "$OUT/xen-console-ring" "$HERE/xen-console-ring.c" \
  -lxenctrl -lxencall -lxenforeignmemory -lxendevicemodel -lxenevtchn -lxengnttab \
  -lxentoolcore -lxentoollog -lpthread -ldl
c="$work/crash"
install -D -m 755 "$busybox" "$c/bin/busybox"
install -D -m 755 "$HERE/guest/init-crash.sh" "$c/init"
install -D -m 755 "$OUT/vmcore-check" "$c/bin/vmcore-check"
mkdir -p "$c"/{proc,sys,dev,tmp,sbin,usr/bin,usr/sbin}   # --install -s needs the folders
pack "$c" "$OUT/initrd-crash.gz"

# --- dom0's image
d="$work/dom0"
install -D -m 755 "$busybox" "$d/bin/busybox"
install -D -m 755 "$HERE/guest/init-dom0.sh" "$d/init"
install -D -m 644 "$HERE/guest/lib.sh" "$d/e2e/lib.sh"
install -D -m 644 "$HERE/guest/bench.sh" "$d/e2e/bench.sh"
install -D -m 755 "$HERE/guest/xen-ram-words.sh" "$d/e2e/xen-ram-words.sh"
install -D -m 755 "$OUT/xen-console-ring" "$d/usr/bin/xen-console-ring"
printf 'CRASH_CMDLINE=%q\n' "$CRASH_CMDLINE" > "$d/e2e/env.sh"
install_scenarios "$d/e2e"   # one /e2e/scenarios/RUN.sh per run (lib.sh)
install -D -m 644 -t "$d/lib/modules" "$OUT"/modules/*.ko
copy_bin "$d" "$(command -v kexec)" /sbin/kexec
# For the figures (guest/bench.sh, guest/lib.sh measure): coreutils' sha256sum and cat, the
# baselines for one SHA-256 pass and one read, and GNU time, which reports ru_maxrss as the
# kernel gives it (busybox 1.35's `time -v` prints it four times too large: it converts the
# kilobytes as if they were pages). Busybox keeps its own applets under the usual names.
copy_bin "$d" /usr/bin/sha256sum /opt/bench/sha256sum
copy_bin "$d" /usr/bin/cat /opt/bench/cat
copy_bin "$d" /usr/bin/time /opt/bench/time
install -D -m 644 "$OUT/vmlinuz" "$d/boot/vmlinuz-crash"
install -D -m 644 "$OUT/initrd-crash.gz" "$d/boot/initrd-crash.gz"
# Derived test images (make-test-images.sh), for the scenarios that load them.
"$HERE/make-test-images.sh"
cp -r "$OUT/test-images" "$d/boot/test-images"
mkdir -p "$d"/{proc,sys,dev,tmp,run,sbin,usr/bin,usr/sbin}
# Two images from that tree: initrd-dom0.gz with xen-kexec-load only (what the package
# ships, no test tool), initrd-dom0-fidelity.gz with the test-only xen-kexec-fidelity added
# (the NEEDS_FIDELITY=yes scenarios, lib.sh dom0_boot). With both static binaries the image
# does not unpack in a 512 MiB dom0, whose tmpfs root takes at most half the RAM (Linux
# mm/shmem.c, shmem_default_max_blocks): Linux stops with "Initramfs unpacking failed: write
# error", leaving a half-written binary that exec refuses with ETXTBSY. So the scenarios that
# boot the second image get a 768 MiB dom0 (lib.sh load_scenario).
rm -f "$d"/usr/bin/xen-kexec-load "$d"/usr/bin/xen-kexec-fidelity
for tool in xen-kexec-load xen-kexec-fidelity; do
  if [ -x "$OUT/$tool" ]; then
    copy_bin "$d" "$OUT/$tool" "/usr/bin/$tool"
    strip "$d/usr/bin/$tool"   # symbols are half the size; behaviour is identical
  fi
  case $tool in
    xen-kexec-load) pack "$d" "$OUT/initrd-dom0.gz" ;;
    *)              pack "$d" "$OUT/initrd-dom0-fidelity.gz" ;;
  esac
done

# --- what only Secure Boot hosts need, appended to dom0's image there (uefi-host.sh):
# make-test-images.sh's test-images-sb/ (vmlinuz-snakeoil, the crash kernel re-signed with
# the snakeoil key that OVMF's Secure Boot variables trust (db), and crash-signed.uki) in
# /boot/test-images/. Linux unpacks concatenated cpio archives in order, so the other
# scenarios do not carry (and unpack) them.
sb="$work/dom0-sb"
mkdir -p "$sb/boot/test-images"
cp "$OUT"/test-images-sb/* "$sb/boot/test-images/"
# Its Authenticode SHA-256 as osslsigncode computes it, which FIRMWARE=uefi-sb-dbx enrolls
# in dbx (sb-revoked). (verify exits non-zero: the snakeoil CA is not in its trust store;
# the digest is printed anyway.)
{ osslsigncode verify -in "$sb/boot/test-images/vmlinuz-snakeoil" 2>/dev/null || true; } |
  sed -n 's/^Calculated message digest *: *//p' | tr -d ' \n' | tr 'A-F' 'a-f' > "$OUT/vmlinuz-snakeoil.authenticode-sha256"
[ "$(wc -c < "$OUT/vmlinuz-snakeoil.authenticode-sha256")" = 64 ] || die "no Authenticode SHA-256 of vmlinuz-snakeoil from osslsigncode"
pack "$sb" "$OUT/initrd-dom0-sb.gz"

log "initramfs: crash $(du -k "$OUT/initrd-crash.gz" | cut -f1) KiB, dom0 $(du -k "$OUT/initrd-dom0.gz" | cut -f1) KiB$([ -x "$OUT/xen-kexec-load" ] || echo ' (without xen-kexec-load)')"
