# Host-side checks of what a crash kernel found on a UEFI host (scenarios/uefi-*.sh,
# sb-*.sh): ACPI at Xen's RSDP, and an e820 that is Xen's memory map with the crash
# region as the only RAM above 1 MiB. Sourced by a scenario's host_check (bash, on the
# host; never in dom0). Each check prints one line: the reason on failure (return 1),
# the evidence on success.

# second_kernel_lines LOG: the log after Xen hands over ("Executing kexec image"), i.e.
# what the crash kernel printed (serial logs end lines with \r).
second_kernel_lines() { tr -d '\r' < "$1" | sed -n '/Executing kexec image on cpu0/,$p'; }

# rsdp_matches_xen LOG: the crash kernel's "ACPI: RSDP 0x<addr>" (Linux
# drivers/acpi/acpica/tbprint.c) is the address Xen found, "(XEN) ACPI: RSDP <addr>"
# (Xen drivers/acpi/tables/tbxfroot.c via acpi_table_print).
rsdp_matches_xen() {
  local xen crash
  xen=$(tr -d '\r' < "$1" | sed -n 's/^(XEN) ACPI: RSDP \([0-9A-Fa-f]*\),.*/\1/p' | head -n 1)
  crash=$(second_kernel_lines "$1" | sed -n 's/.*ACPI: RSDP 0x\([0-9A-Fa-f]*\) .*/\1/p' | head -n 1)
  [ -n "$xen" ] || { echo "Xen printed no ACPI RSDP line"; return 1; }
  [ -n "$crash" ] || { echo "the crash kernel printed no 'ACPI: RSDP 0x...' line (Xen's RSDP is 0x$xen)"; return 1; }
  [ $((16#$xen)) = $((16#$crash)) ] || { echo "crash kernel RSDP 0x$crash, Xen's 0x$xen"; return 1; }
  printf 'RSDP 0x%x = Xen'"'"'s\n' $((16#$xen))
}

# The two maps as "START END TYPE" lines (decimal, inclusive ends, type names as Linux
# prints them), sorted, with touching ranges of one type merged: Linux sanitizes the
# table it was given before printing it (e820__update_table), Xen prints its own
# sanitized copy, so merging both sides compares the same thing.
#   Xen (arch/x86/e820.c print_e820_memory_map): " [0000000000100000, 0000000000805fff] (usable)"
#   Linux (arch/x86/kernel/e820.c e820__print_table): "BIOS-e820: [mem 0x...-0x...] usable"
xen_ram_map() {
  tr -d '\r' < "$1" | sed -n '/^(XEN) EFI RAM map:/,/^(XEN) [^ ]/p' |
    sed -n 's/^(XEN)  \[\([0-9a-f]*\), \([0-9a-f]*\)\] (\(.*\))$/\1 \2 \3/p' | merge_ranges
}
crash_kernel_e820() {
  second_kernel_lines "$1" | sed -n '/BIOS-provided physical RAM map:/,/^[^[]/p' |
    sed -n 's/.*BIOS-e820: \[mem 0x\([0-9a-f]*\)-0x\([0-9a-f]*\)\] \(.*\)$/\1 \2 \3/p' | merge_ranges
}
merge_ranges() {   # stdin: "HEXSTART HEXEND TYPE..." lines
  local a b t
  while read -r a b t; do echo "$((16#$a)) $((16#$b)) $t"; done | sort -n | {
    local s=-1 e=-1 ty=""
    while read -r a b t; do
      if [ "$s" -ge 0 ] && [ "$t" = "$ty" ] && [ "$a" = $((e + 1)) ]; then e=$b; continue; fi
      [ "$s" -lt 0 ] || echo "$s $e $ty"
      s=$a e=$b ty=$t
    done
    [ "$s" -lt 0 ] || echo "$s $e $ty"
  }
}

# e820_matches_xen LOG: the crash kernel's e820 is Xen's memory map with the crash
# region as the only RAM above 1 MiB (what Linux's crash_setup_memmap_entries gives a
# kdump kernel), compared range by range:
#   - every range of Xen's EFI RAM map that is not usable RAM (reserved, ACPI data,
#     ACPI NVS, ...) and lies above 1 MiB outside the crash region is in the crash
#     kernel's e820 with the same bounds and type;
#   - every usable range of the crash kernel lies below 1 MiB or inside the crash region
#     ("(XEN) Kdump: ...MB (...kB) at 0x..."), and inside usable RAM of Xen's map;
#   - any other range of the crash kernel is non-RAM and overlaps no RAM of Xen's map.
#     Xen's machine memory map (XENMEM_machine_memory_map, what loaders read) is its EFI
#     RAM map plus what Xen reserved on top, e.g. the IOAPIC and local APIC pages
#     (measured: fec00000-fec00fff and fee00000-feefffff); they are listed as "extra".
e820_matches_xen() {
  local xen crash region rs re xs xe xt cs ce ct kept=0 ram=0 inram extra=""
  xen=$(xen_ram_map "$1") crash=$(crash_kernel_e820 "$1")
  region=$(tr -d '\r' < "$1" | sed -n 's/^(XEN) Kdump: \([0-9]*\)MB ([0-9]*kB) at 0x\([0-9a-f]*\)$/\1 \2/p' | head -n 1)
  [ -n "$xen" ] || { echo "Xen printed no EFI RAM map"; return 1; }
  [ -n "$crash" ] || { echo "the crash kernel printed no BIOS-e820 table"; return 1; }
  [ -n "$region" ] || { echo "Xen printed no Kdump region"; return 1; }
  rs=$((16#${region#* })); re=$((rs + ${region% *} * 1048576 - 1))
  while read -r xs xe xt; do   # Xen's non-RAM ranges carried over unchanged
    [ "$xt" != usable ] && [ "$xs" -ge 1048576 ] || continue
    [ "$xs" -gt "$re" ] || [ "$xe" -lt "$rs" ] || continue
    grep -qx "$xs $xe $xt" <<< "$crash" ||
      { printf 'Xen range [%#x-%#x] %s is not in the crash kernel e820\n' "$xs" "$xe" "$xt"; return 1; }
    kept=$((kept + 1))
  done <<< "$xen"
  while read -r cs ce ct; do
    if [ "$ct" = usable ]; then   # RAM: low memory or the crash region, and RAM for Xen too
      inram=no
      while read -r xs xe xt; do
        [ "$xt" = usable ] && [ "$cs" -ge "$xs" ] && [ "$ce" -le "$xe" ] && inram=yes
      done <<< "$xen"
      if [ "$inram" = no ] || { [ "$ce" -ge 1048576 ] && { [ "$cs" -lt "$rs" ] || [ "$ce" -gt "$re" ]; }; }; then
        printf 'crash kernel RAM [%#x-%#x] is not RAM in Xen, or lies outside low memory and the crash region\n' "$cs" "$ce"
        return 1
      fi
      ram=$((ram + 1))
    elif ! grep -qx "$cs $ce $ct" <<< "$xen"; then
      while read -r xs xe xt; do
        if [ "$xt" = usable ] && [ "$cs" -le "$xe" ] && [ "$xs" -le "$ce" ]; then
          printf 'crash kernel range [%#x-%#x] %s overlaps RAM of Xen'"'"'s map [%#x-%#x]\n' "$cs" "$ce" "$ct" "$xs" "$xe"
          return 1
        fi
      done <<< "$xen"
      extra+=$(printf ' %x-%x' "$cs" "$ce")
    fi
  done <<< "$crash"
  printf 'e820: %d non-RAM ranges = Xen'"'"'s EFI RAM map, %d RAM ranges in low memory and crash region %#x-%#x, extra non-RAM:%s\n' \
    "$kept" "$ram" "$rs" "$re" "${extra:- none}"
}

# crash_kernel_acpi_ok LOG: both checks, on one line (run-scenario.sh shows the last
# line of host_check's output after PASS).
crash_kernel_acpi_ok() {
  local rsdp e820
  rsdp=$(rsdp_matches_xen "$1") || { echo "$rsdp"; return 1; }
  e820=$(e820_matches_xen "$1") || { echo "$e820"; return 1; }
  echo "$rsdp; $e820"
}
