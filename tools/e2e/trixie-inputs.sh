#!/bin/bash
# Everything the XEN=stock-4.20 scenarios boot, from Debian 13 "trixie", into $OUT:
#   $OUT/xen-4.20-amd64          trixie's xen-hypervisor-4.20-amd64, gunzipped (multiboot ELF)
#   $OUT/trixie/vmlinuz          trixie's signed 6.12 kernel (dom0 and crash kernel)
#   $OUT/trixie/modules/         its xen-privcmd, xenfs, xen-evtchn (xz-decompressed: busybox
#                                insmod passes no MODULE_INIT_COMPRESSED_FILE)
#   $OUT/trixie/xen-kexec-load   the trixie build of the tool (tools/trixie/build.sh)
#   $OUT/trixie/xen-kexec-fidelity  the trixie build of the test-only fidelity tool
#   $OUT/trixie/initrd-dom0.gz   the dom0 initramfs: trixie's busybox, kexec-tools and the
#                                trixie tools, each with its ldd closure from the trixie root
#                                (libxenctrl.so.4.20, glibc 2.41); /boot/vmlinuz-crash is the
#                                trixie kernel, /boot/vmlinuz-crash-bookworm the bookworm one
#   $OUT/trixie/initrd-dom0-fidelity.gz  the same plus xen-kexec-fidelity (NEEDS_FIDELITY=yes)
# Needs build-initramfs.sh's crash initramfs and its static xen-console-ring in $OUT (not its test images: no 4.20 scenario
# loads one). Packages are fetched by name (tools/fetch-debian.sh --suite trixie); the root
# comes from tools/trixie/root.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
T="$OUT/trixie"
mkdir -p "$T"
rm -f "$T/xen-kexec-load" "$T/xen-kexec-fidelity" "$T/initrd-dom0.gz"   # never boot a stale tool or image

mapfile -t dirs < <("$REPO/tools/fetch-debian.sh" --suite trixie "$TRIXIE_KERNEL_PKG" "$TRIXIE_XEN_PKG")
kdir="${dirs[0]}" xdir="${dirs[1]}"
xen_gz="$xdir/boot/xen-4.20-amd64.gz"
if [ ! -s "$OUT/xen-4.20-amd64" ] || [ "$xen_gz" -nt "$OUT/xen-4.20-amd64" ]; then
  gunzip -c "$xen_gz" > "$OUT/xen-4.20-amd64.tmp" && mv "$OUT/xen-4.20-amd64.tmp" "$OUT/xen-4.20-amd64"
fi
cp -u "$kdir/boot/vmlinuz-$TRIXIE_KERNEL_VER" "$T/vmlinuz"
mkdir -p "$T/modules"
xen_mods="$kdir/usr/lib/modules/$TRIXIE_KERNEL_VER/kernel/drivers/xen"
for m in xen-privcmd xenfs/xenfs xen-evtchn; do
  xz -dc "$xen_mods/$m.ko.xz" > "$T/modules/$(basename "$m").ko"
done

root=$("$REPO/tools/trixie/root.sh" | tail -n 1)
if bin=$("$REPO/tools/trixie/build.sh" --no-test | tail -n 1); then
  cp "$bin" "$T/xen-kexec-load"
  cp "$(dirname "$bin")/xen-kexec-fidelity" "$T/xen-kexec-fidelity"
else
  log "the trixie build of xen-kexec-load failed; the dom0 image goes without it"
fi

# copy_from_root DEST SRC DEST_PATH: SRC (a path inside the trixie root) at DEST/DEST_PATH,
# plus every library the root's ldd names, at the same path.
copy_from_root() {
  local dest=$1 src=$2 path=$3 lib
  install -D -m 755 "$root$src" "$dest$path"
  for lib in $(chroot "$root" ldd "$src" 2>/dev/null | grep -o '/[^ ]*' || true); do
    [ -e "$dest$lib" ] || install -D -m 755 "$root$(chroot "$root" readlink -f "$lib")" "$dest$lib"
  done
}

d="$E2E/initramfs/dom0-trixie"
rm -rf "$d" && mkdir -p "$d"
install -D -m 755 "$root$(chroot "$root" readlink -f /bin/busybox)" "$d/bin/busybox"
install -D -m 755 "$HERE/guest/init-dom0.sh" "$d/init"
install -D -m 644 "$HERE/guest/lib.sh" "$d/e2e/lib.sh"
install -D -m 755 "$HERE/guest/xen-ram-words.sh" "$d/e2e/xen-ram-words.sh"
install -D -m 755 "$OUT/xen-console-ring" "$d/usr/bin/xen-console-ring"
printf 'CRASH_CMDLINE=%q\n' "$CRASH_CMDLINE" > "$d/e2e/env.sh"
install_scenarios "$d/e2e"   # one /e2e/scenarios/RUN.sh per run (lib.sh)
install -D -m 644 -t "$d/lib/modules" "$T"/modules/*.ko
copy_from_root "$d" /usr/sbin/kexec /sbin/kexec
install -D -m 644 "$T/vmlinuz" "$d/boot/vmlinuz-crash"
install -D -m 644 "$OUT/vmlinuz" "$d/boot/vmlinuz-crash-bookworm"
install -D -m 644 "$OUT/initrd-crash.gz" "$d/boot/initrd-crash.gz"
mkdir -p "$d"/{proc,sys,dev,tmp,run,sbin,usr/bin,usr/sbin}
# Two images, as build-initramfs.sh makes them: initrd-dom0.gz with xen-kexec-load only,
# initrd-dom0-fidelity.gz with xen-kexec-fidelity added (booted with a 768 MiB dom0: with
# both binaries it does not unpack in 512 MiB).
rm -f "$d"/usr/bin/xen-kexec-load "$d"/usr/bin/xen-kexec-fidelity
for tool in xen-kexec-load xen-kexec-fidelity; do
  if [ -x "$T/$tool" ]; then
    install -m 755 "$T/$tool" "$root/tmp/$tool"
    copy_from_root "$d" "/tmp/$tool" "/usr/bin/$tool"
    rm -f "$root/tmp/$tool"
    strip "$d/usr/bin/$tool"
    grep -q libxenctrl.so.4.20 < <(find "$d" -name 'libxenctrl.so*') || die "no libxenctrl.so.4.20 in the trixie dom0 image"
  fi
  case $tool in xen-kexec-load) img=initrd-dom0.gz ;; *) img=initrd-dom0-fidelity.gz ;; esac
  (cd "$d" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$T/$img.tmp"
  mv "$T/$img.tmp" "$T/$img"
done

log "trixie inputs: $(cat "$kdir/.unpacked"), $(cat "$xdir/.unpacked"), kexec-tools $(chroot "$root" dpkg-query -W -f='${Version}' kexec-tools), dom0 image $(du -k "$T/initrd-dom0.gz" | cut -f1) KiB$([ -x "$T/xen-kexec-load" ] || echo ' (without xen-kexec-load)')"
