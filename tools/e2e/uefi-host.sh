# The UEFI host of a scenario (FIRMWARE=uefi|uefi-sb): OVMF in two pflash units and an
# EFI system partition that starts Xen as \EFI\BOOT\BOOTX64.EFI, the firmware's default
# boot path. Sourced by run-scenario.sh after load_scenario; never run.
#
# Xen's EFI loader reads its configuration from the file named like its own image with
# ".cfg" (BOOTX64.cfg) in the same folder, and loads kernel= and ramdisk= from there too
# (Xen docs/misc/efi.pandoc). Everything a run needs is built afresh under
# $E2E/uefi/NAME/: the ESP folder, which QEMU presents as a FAT disk (a read-only "fat:"
# drive), and a copy of the variable store, so no run sees another's EFI variables.

# uefi_boot_args NAME: fills the array uefi_args with QEMU's firmware and disk options;
# when an input is missing, sets uefi_error to the reason and returns 1.
uefi_boot_args() {
  local name=$1 run="$E2E/uefi/$1" efi vars
  efi=$(xen_efi_image "$XEN")
  [ -s "$efi" ] || { uefi_error="no EFI hypervisor image for XEN=$XEN (${efi:-not built})"; return 1; }
  case "$FIRMWARE" in
    uefi)    vars=$OVMF_VARS ;;
    uefi-sb|uefi-sb-dbx) vars=$OVMF_VARS_SECURE_BOOT
             if [ "$XEN_SIGNED" = yes ]; then
               efi=$("$HERE/sign-efi.sh" "$efi") || { uefi_error="cannot sign $efi (sign-efi.sh)"; return 1; }
             fi ;;
    *)       uefi_error="unknown FIRMWARE=$FIRMWARE"; return 1 ;;
  esac
  [ -r "$OVMF_CODE" ] && [ -r "$vars" ] || { uefi_error="no OVMF firmware ($OVMF_CODE, $vars): install ovmf"; return 1; }

  rm -rf "$run" && mkdir -p "$run/esp/EFI/BOOT"
  local boot="$run/esp/EFI/BOOT"
  # Hard links when the cache is one file system: the ESP costs no copies.
  cp -l "$efi" "$boot/BOOTX64.EFI" 2>/dev/null || cp "$efi" "$boot/BOOTX64.EFI"
  cp -l "$OUT/vmlinuz" "$boot/vmlinuz" 2>/dev/null || cp "$OUT/vmlinuz" "$boot/vmlinuz"
  if [ "$FIRMWARE" != uefi ]; then
    # Secure Boot hosts also get the snakeoil-signed kernel (build-initramfs.sh): Linux
    # unpacks concatenated cpio archives one after the other.
    cat "$OUT/initrd-dom0.gz" "$OUT/initrd-dom0-sb.gz" > "$boot/initrd-dom0.gz"
  else
    cp -l "$OUT/initrd-dom0.gz" "$boot/initrd-dom0.gz" 2>/dev/null || cp "$OUT/initrd-dom0.gz" "$boot/initrd-dom0.gz"
  fi
  # The same Xen and dom0 command lines as the multiboot path (run-scenario.sh).
  cat > "$boot/BOOTX64.cfg" <<CFG
[global]
default=xen

[xen]
options=console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all $XEN_ARGS
kernel=vmlinuz console=hvc0 earlyprintk=xen e2e_scenario=$name $DOM0_ARGS
ramdisk=initrd-dom0.gz
CFG
  if [ "$FIRMWARE" = uefi-sb-dbx ]; then
    # The snakeoil variables with the snakeoil-signed crash kernel's image hash in dbx
    # (virt-fw-vars from PyPI virt-firmware, tools/install-deps.sh): the firmware still
    # boots the snakeoil-signed xen.efi; dom0 sees the revocation in efivarfs.
    local hash
    hash=$(cat "$OUT/vmlinuz-snakeoil.authenticode-sha256" 2>/dev/null) || { uefi_error="no $OUT/vmlinuz-snakeoil.authenticode-sha256 (build-initramfs.sh)"; return 1; }
    python3 -c 'import sys; from virt.firmware.vars import main; sys.argv[0] = "virt-fw-vars"; sys.exit(main())' \
      --input "$vars" --output "$run/OVMF_VARS.fd" --add-dbx-hash 605dab50-e046-4300-abb6-3dd810dd8b23 "$hash" >/dev/null 2>&1 ||
      { uefi_error="virt-fw-vars could not enroll $hash in dbx"; return 1; }
  else
    cp "$vars" "$run/OVMF_VARS.fd"
  fi
  uefi_args=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$run/OVMF_VARS.fd"
             -drive "if=virtio,format=raw,readonly=on,file=fat:$run/esp")
}
