#!/bin/bash
# The real dom0 on a virtual disk (docs/e2e.md "The disk dom0"): Debian bookworm with
# systemd as init, installed by debootstrap, then the project's .deb installed in it.
#
#   tools/e2e/build-disk.sh DEB
#   tools/e2e/build-disk.sh --base     only step 1 (tools/test-all.sh runs it in the
#                                      background while the Swift builds run)
#
# 1. The base root file system (recipe and package list: disk-base.sh) is built once and
#    cached as $E2E/disk/base-KEY/rootfs.tar, KEY being the hash of disk-base.sh. Its
#    kernel and Debian initrd are copied next to it.
# 2. Every run: the tar is unpacked, DEB is installed in a chroot with `dpkg -i` +
#    `apt-get -f install` and the unit enabled as README says
#    (`systemctl enable xen-kexec-load.service`), the e2e files are added, and
#    `mkfs.ext4 -d` turns the tree into $OUT/disk-dom0.img (no loop mount needed).
#    $OUT/disk-vmlinuz and $OUT/disk-initrd are the kernel and initrd the QEMU
#    multiboot line boots as dom0.
# The archive comes from this machine's apt configuration (tools/apt-archive.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
deb=${1:?usage: $0 DEB | --base}
[ "$deb" = --base ] || [ -f "$deb" ] || die "no package $deb"

. "$HERE/disk-base.sh"
key=$(sha256sum "$HERE/disk-base.sh" | cut -c1-16)
base="$E2E/disk/base-$key"

cache_base() {   # build the base tree, keep its tar, kernel and initrd under $base
  local tmp="$E2E/disk/tmp-$key" kver archive t0=$SECONDS
  rm -rf "$tmp"; mkdir -p "$tmp/root"
  archive=$(bash "$REPO/tools/apt-archive.sh" "$DISK_SUITE")
  log "debootstrap $DISK_SUITE (${#DISK_PACKAGES[@]} packages and their dependencies) from the machine's apt archive"
  build_base "$tmp/root" "$archive" >&2
  kver=$(basename "$(ls -d "$tmp"/root/lib/modules/*/ | sort -V | tail -n 1)")
  [ -s "$tmp/root/boot/vmlinuz-$kver" ] && [ -s "$tmp/root/boot/initrd.img-$kver" ] \
    || die "debootstrap left no kernel/initrd for $kver in /boot"
  cp "$tmp/root/boot/vmlinuz-$kver" "$tmp/vmlinuz"
  cp "$tmp/root/boot/initrd.img-$kver" "$tmp/initrd"
  echo "$kver" > "$tmp/kernel-version"
  tar -C "$tmp/root" --numeric-owner --xattrs -cf "$tmp/rootfs.tar" .
  rm -rf "$tmp/root"
  rm -rf "$E2E"/disk/base-*; mv "$tmp" "$base"
  log "base cached in $base ($(du -sh "$base/rootfs.tar" | cut -f1), $((SECONDS - t0)) s)"
}

[ -s "$base/rootfs.tar" ] || cache_base
[ "$deb" != --base ] || exit 0
rm -f "$OUT/disk-dom0.img"   # never boot a stale disk

# --- per run: the package, the unit enabled, the e2e hooks; then the disk image
work="$E2E/disk/run"
rm -rf "$work"; mkdir -p "$work/root"
root="$work/root"
tar -C "$root" --numeric-owner --xattrs -xf "$base/rootfs.tar"
cp "$deb" "$root/tmp/"
# apt-get install ./FILE.deb refuses in a chroot without /proc ("Pathname to install is not
# absolute"); dpkg -i and apt-get -f install (dependencies, none missing here) do the same.
chroot "$root" env DEBIAN_FRONTEND=noninteractive sh -c \
  'dpkg -i "/tmp/$1" && apt-get install -f -y -q --no-download' - "$(basename "$deb")" >&2
rm -f "$root/tmp/$(basename "$deb")"
chroot "$root" systemctl enable xen-kexec-load.service >&2
# kdump-tools' loader unit cannot arm Xen's crash slot, so it is disabled, not masked:
# its dump unit runs /etc/init.d/kdump-tools, and Debian's /lib/lsb/init-functions.d/
# 40-systemd makes an init script exit 0 at once when its own .service is masked, so a
# masked kdump-tools.service would save no dump (docs/provisioning.md).
chroot "$root" systemctl disable kdump-tools.service >&2
chroot "$root" dpkg-query -W -f='${Package} ${Version} ${Status}\n' xen-kexec-load >&2
# The e2e hooks: a unit that runs the scenario's dom0 function after boot.
rm -rf "$root/e2e/scenarios"
install_scenarios "$root/e2e"   # one /e2e/scenarios/RUN.sh per run (lib.sh)
install -m 755 "$HERE/guest/disk-dom0.sh" "$root/e2e/disk-dom0.sh"
install -m 644 "$HERE/guest/e2e-disk.service" "$root/etc/systemd/system/e2e-disk.service"
chroot "$root" systemctl enable e2e-disk.service >&2
# The dump scenarios' guest (docs/dumps.md): a PV domU booting dom0's own kernel with a
# busybox initramfs whose /init runs guest-marker, which fills guest memory with a pattern
# generated from a seed given on the guest's command line (no file holds the pattern).
# guest-marker is also on the host ($OUT/guest-marker) and in dom0 (/e2e/guest-marker):
# the crash kernel counts the pattern's pages in /proc/vmcore before the dump is saved.
gcc -static -O2 -s -Wall -o "$OUT/guest-marker" "$HERE/guest-marker.c"
g="$work/guest"
mkdir -p "$g/bin" "$g/proc" "$g/sys" "$g/dev"
cp /bin/busybox "$g/bin/busybox"
for a in sh mount sleep cat echo; do ln -s busybox "$g/bin/$a"; done
install -m 755 "$OUT/guest-marker" "$g/bin/guest-marker"
install -m 755 "$HERE/guest/init-guest.sh" "$g/init"
mkdir -p "$root/e2e/guest"
(cd "$g" && find . | cpio -o -H newc --quiet | gzip -9) > "$root/e2e/guest/initrd.gz"
install -m 755 "$OUT/guest-marker" "$root/e2e/guest-marker"
install -m 644 "$HERE/guest/dump-lib.sh" "$root/e2e/dump-lib.sh"
# xenconsoled logs the guest's console (/var/log/xen/console/guest-NAME.log), where the
# scenario reads what guest-marker printed. Debian's /etc/init.d/xen reads XENCONSOLED_ARGS.
# xenconsoled opens the log with O_CREAT but never makes its directory (Xen
# tools/console/daemon/io.c create_domain_log), and Debian's packages ship /var/log/xen only.
echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console"' >> "$root/etc/default/xen"
mkdir -p "$root/var/log/xen/console"
# In the crash kernel, before kdump-tools saves the dump: how many of the guest's pattern
# pages /proc/vmcore holds (the control for the dump's check, which must find none).
install -D -m 644 "$HERE/guest/e2e-vmcore-marker.conf" \
  "$root/etc/systemd/system/kdump-tools-dump.service.d/e2e-vmcore-marker.conf"

# The crash kernel and initrd provision arms on this disk (kdump-tools' links
# /var/lib/kdump/vmlinuz and initrd.img, resolved in the tree): a disk scenario whose
# XEN_ARGS say crashkernel=ESTIMATE reserves what `xen-kexec-load estimate` recommends for
# them (lib.sh estimate_crashkernel).
cp "$root$(chroot "$root" readlink -f /var/lib/kdump/vmlinuz)" "$OUT/disk-kdump-vmlinuz"
cp "$root$(chroot "$root" readlink -f /var/lib/kdump/initrd.img)" "$OUT/disk-kdump-initrd"

img="$OUT/disk-dom0.img"
rm -f "$img"
truncate -s 3G "$img.tmp"
mkfs.ext4 -q -F -L xkdom0 -d "$root" "$img.tmp" >&2
mv "$img.tmp" "$img"
cp "$base/vmlinuz" "$OUT/disk-vmlinuz"
cp "$base/initrd" "$OUT/disk-initrd"
rm -rf "$work"
log "disk dom0: $img (kernel $(cat "$base/kernel-version"), $(du -h "$img" | cut -f1) used)"
