#!/bin/bash
# The recipe of the disk dom0's base root file system (sourced by build-disk.sh). The
# cache key is this file's hash: changing the package list or the recipe rebuilds it.
#
# build_base ROOT ARCHIVE: debootstrap bookworm into ROOT with systemd as init, Debian's
# kernel and initrd (initramfs-tools' default MODULES=most, so the virtio disk driver is
# in), the Xen toolstack (libxenctrl, xenstored, proc-xen.mount) and kdump-tools, with its
# kdump initrd (MODULES=most) and Debian's defaults in /etc/default/kdump-tools.
DISK_SUITE=bookworm
DISK_PACKAGES=(
  systemd systemd-sysv udev dbus       # systemd as init
  linux-image-amd64 initramfs-tools    # dom0's kernel and its Debian initrd
  xen-utils-4.17 xenstore-utils        # the Xen toolstack: libxenctrl, proc-xen.mount, xenstored
  kdump-tools makedumpfile kexec-tools # the dump side (build-disk.sh disables its loader unit)
  e2fsprogs procps less                # fsck for the root disk, ps, a pager for journalctl
)

build_base() {
  local root=$1 archive=$2 include
  include=$(IFS=,; echo "${DISK_PACKAGES[*]}")
  debootstrap --variant=minbase --include="$include" "$DISK_SUITE" "$root" "$archive"
  # Bring the tree to the versions this machine has (its updates and security suites):
  # the package's Depends: come from this machine's libxenctrl, so the dom0 needs at least
  # that version. The machine's own Debian apt sources are used for this, then dropped.
  mkdir -p "$root/etc/apt/host.d"
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -qs 'debian' "$f" && cp "$f" "$root/etc/apt/host.d/"
  done
  chroot "$root" apt-get -o Dir::Etc::SourceParts=/etc/apt/host.d -o Dir::Etc::SourceList=/dev/null update \
    || echo "disk-base: apt-get update reported errors; upgrading with the lists it has"
  # kdump-tools' kernel hook builds its kdump initrd with MODULES=dep, which needs the
  # running system's /sys: it is skipped here (run-parts runs only executable hooks); the
  # kdump initrd belongs to the booted dom0.
  chmod -x "$root/etc/kernel/postinst.d/kdump-tools"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -o Dir::Etc::SourceParts=/etc/apt/host.d \
    -o Dir::Etc::SourceList=/dev/null -y dist-upgrade
  chmod +x "$root/etc/kernel/postinst.d/kdump-tools"
  rm -rf "$root/etc/apt/host.d"
  # Keep only the newest kernel (the upgrade may have added one).
  local old
  old=$(chroot "$root" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'linux-image-[0-9]*' \
    | awk '$1 == "ii" { print $2 }' | sort -V | head -n -1)
  [ -z "$old" ] || chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -y purge $old
  # The kdump initrd, as kdump-tools' kernel hook makes it (a copy of /etc/initramfs-tools
  # with KDUMP=y, mkinitramfs -d, the links /var/lib/kdump/vmlinuz and initrd.img) but with
  # MODULES=most: the hook's MODULES=dep reads the running system's /sys, which a chroot
  # does not have, and would miss the crash kernel's virtio disk driver.
  local kver kd=/var/lib/kdump
  kver=$(basename "$(ls -d "$root"/lib/modules/*/ | sort -V | tail -n 1)")
  rm -rf "$root$kd/initramfs-tools"; mkdir -p "$root$kd"
  cp -pr "$root/etc/initramfs-tools" "$root$kd/"
  mkdir -p "$root$kd/initramfs-tools/conf.d"
  echo MODULES=most > "$root$kd/initramfs-tools/conf.d/zzz-kdump"
  echo KDUMP=y >> "$root$kd/initramfs-tools/initramfs.conf"
  chroot "$root" mkinitramfs -d "$kd/initramfs-tools" -o "$kd/initrd.img-$kver" "$kver"
  ln -sfn "/boot/vmlinuz-$kver" "$root$kd/vmlinuz"
  ln -sfn "$kd/initrd.img-$kver" "$root$kd/initrd.img"
  # Debian's defaults, with the crash kernel's command-line words written out (the file
  # only names them in a comment): systemd.unit=kdump-tools-dump.service makes the crash
  # kernel save the dump and reboot.
  sed -i 's/^#KDUMP_CMDLINE_APPEND=/KDUMP_CMDLINE_APPEND=/' "$root/etc/default/kdump-tools"
  grep -q '^KDUMP_CMDLINE_APPEND=.*systemd.unit=kdump-tools-dump.service' "$root/etc/default/kdump-tools" \
    || { echo "disk-base: /etc/default/kdump-tools has no KDUMP_CMDLINE_APPEND to enable" >&2; return 1; }
  # Root on the first virtio disk; no swap; a name in the logs.
  echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' > "$root/etc/fstab"
  echo xen-kexec-dom0 > "$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 xen-kexec-dom0\n' > "$root/etc/hosts"
  # No login prompt on the console the judge reads.
  ln -sf /dev/null "$root/etc/systemd/system/serial-getty@hvc0.service"
  ln -sf /dev/null "$root/etc/systemd/system/getty@tty1.service"
  # The journal persists on disk, so a later boot (or the host) can read earlier boots.
  mkdir -p "$root/var/log/journal"
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/*_Packages "$root"/var/cache/apt/*.bin
}
