#!/bin/bash
# Fetch the pinned Debian kernel and hypervisor by package name and put the pieces
# the VMs boot into $OUT: the gunzipped multiboot Xen, Debian's xen.efi, the bzImage,
# the dom0 modules.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mapfile -t dirs < <("$REPO/tools/fetch-debian.sh" "$KERNEL_PKG" "$XEN_PKG")
kdir="${dirs[0]}" xdir="${dirs[1]}"

# QEMU's multiboot loader wants the ELF32 image, not Debian's .gz.
xen_gz=$(ls "$xdir"/boot/xen-4.17-amd64.gz)
if [ ! -s "$OUT/xen-4.17-amd64" ] || [ "$xen_gz" -nt "$OUT/xen-4.17-amd64" ]; then
  gunzip -c "$xen_gz" > "$OUT/xen-4.17-amd64.tmp" && mv "$OUT/xen-4.17-amd64.tmp" "$OUT/xen-4.17-amd64"
fi

# UEFI hosts (FIRMWARE=uefi|uefi-sb) boot the same Xen build as an EFI application.
cp -u "$xdir/boot/xen-4.17-amd64.efi" "$OUT/xen-4.17-amd64.efi"

# The same signed bzImage is dom0's kernel and the crash kernel.
cp -u "$kdir/boot/vmlinuz-$KERNEL_VER" "$OUT/vmlinuz"

# dom0 needs privcmd (hypercalls), xenfs (/proc/xen) and evtchn; Debian builds them as modules.
mkdir -p "$OUT/modules"
xen_mods="$kdir/lib/modules/$KERNEL_VER/kernel/drivers/xen"
for m in xen-privcmd.ko xenfs/xenfs.ko xen-evtchn.ko; do
  cp -u "$xen_mods/$m" "$OUT/modules/"
done
# On UEFI hosts dom0 reads the firmware's signature databases (db, dbx) through efivarfs,
# also a module in Debian's kernel.
cp -u "$kdir/lib/modules/$KERNEL_VER/kernel/fs/efivarfs/efivarfs.ko" "$OUT/modules/"
log "inputs ready: $(cat "$kdir/.unpacked"), $(cat "$xdir/.unpacked")"
