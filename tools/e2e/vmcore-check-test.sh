#!/bin/bash
# Host-side test of the crash kernel's dump check (vmcore-check.c) and of the dom0 script
# that tells it what to expect (guest/xen-ram-words.sh), without booting anything:
#
#   tools/e2e/vmcore-check-test.sh
#
# 1. xen-ram-words.sh on Xen's boot messages as Xen 4.17 prints them on a BIOS host
#    ("Xen-e820 RAM map") and on a UEFI host ("EFI RAM map"), copied from e2e serial logs.
# 2. vmcore-check on crafted ELF core files (written by perl below: one PT_NOTE with the
#    notes Xen writes, PT_LOADs as given) against a crafted command line: a complete dump
#    passes; a missing range, a short range, the crash region dumped, a range that is not
#    RAM, overlapping segments, no expectation on the command line each fail with their
#    own reason and without "vmcore ok".
# Prints one line per case and "vmcore-check-test: N passed, N failed"; exit 1 on a failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
ko() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/vmcore-check" "$HERE/vmcore-check.c"

# --- 1. the expectation, from Xen's own words
words_case() {   # words_case NAME WANT  (Xen's messages on stdin)
  local got
  got=$("$HERE/guest/xen-ram-words.sh" || true)
  if [ "$got" = "$2" ]; then ok "xen-ram-words: $1"; else ko "xen-ram-words: $1" "got '$got', want '$2'"; fi
}
words_case "BIOS host (Xen-e820 RAM map)" \
  "e2e_xen_ram=0-9fbff,100000-7ffdffff e2e_xen_crash=0x40000000+262144k" <<'EOF2'
(XEN) CPU Vendor: AMD, Family 15 (0xf), Model 107 (0x6b), Stepping 1 (raw 00060fb1)
(XEN) Xen-e820 RAM map:
(XEN)  [0000000000000000, 000000000009fbff] (usable)
(XEN)  [000000000009fc00, 000000000009ffff] (reserved)
(XEN)  [00000000000f0000, 00000000000fffff] (reserved)
(XEN)  [0000000000100000, 000000007ffdffff] (usable)
(XEN)  [000000007ffe0000, 000000007fffffff] (reserved)
(XEN)  [00000000fffc0000, 00000000ffffffff] (reserved)
(XEN)  [000000fd00000000, 000000ffffffffff] (reserved)
(XEN) Kdump: 256MB (262144kB) at 0x40000000
(XEN) New Xen image base address: 0x7f800000
EOF2
words_case "UEFI host (EFI RAM map, ACPI and reserved entries left out)" \
  "e2e_xen_ram=0-9ffff,100000-805fff,900000-7ea9ffff,7f7fe000-7fef3fff e2e_xen_crash=0x140000000+524288k" <<'EOF2'
(XEN) EFI RAM map:
(XEN)  [0000000000000000, 000000000009ffff] (usable)
(XEN)  [0000000000100000, 0000000000805fff] (usable)
(XEN)  [0000000000806000, 0000000000807fff] (ACPI NVS)
(XEN)  [0000000000900000, 000000007ea9ffff] (usable)
(XEN)  [000000007eaa0000, 000000007eba1fff] (reserved)
(XEN)  [000000007f76c000, 000000007f77dfff] (ACPI data)
(XEN)  [000000007f7fe000, 000000007fef3fff] (usable)
(XEN)  [00000000ffc00000, 00000000ffffffff] (reserved)
(XEN) Kdump: 512MB (524288kB) at 0x140000000
EOF2
words_case "no Kdump line (no crash region): nothing printed" "" <<'EOF2'
(XEN) Xen-e820 RAM map:
(XEN)  [0000000000000000, 000000000009fbff] (usable)
EOF2

# --- 2. the check, on crafted dumps
# core FILE "PADDR+SIZE ..." (hex): an ET_CORE file whose PT_LOADs hold those ranges (data
# 0x5a, so pages are not zero), after one PT_NOTE with Xen's four notes.
core() {
  perl -e '
    use strict;
    my ($file, @loads) = @ARGV;
    sub note { my ($name, $type, $desc) = @_; my $n = $name . "\0";
      my $pad = sub { my $s = shift; $s . ("\0" x ((4 - length($s) % 4) % 4)) };
      return pack("VVV", length($n), length($desc), $type) . $pad->($n) . $pad->($desc); }
    my $notes = note("CORE", 1, "\0" x 336) . note("Xen", 0x1000002, "\0" x 32)
              . note("Xen", 0x1000001, "\0" x 80) . note("VMCOREINFO_XEN", 0, "PAGESIZE=4096\n");
    # DOM0_NOTE: the text of dom0'"'"'s Linux VMCOREINFO note, added after Xen'"'"'s.
    $notes .= note("VMCOREINFO", 0, $ENV{DOM0_NOTE}) if defined $ENV{DOM0_NOTE};
    my $phnum = 1 + @loads;
    my $off = 64 + 56 * $phnum;
    my $ph = pack("VVQ<Q<Q<Q<Q<Q<", 4, 0, $off, 0, 0, length($notes), length($notes), 4);
    my $data_off = ($off + length($notes) + 4095) & ~4095;
    my @chunks;
    for my $l (@loads) {
      my ($pa, $size) = map { hex } split /\+/, $l;
      $ph .= pack("VVQ<Q<Q<Q<Q<Q<", 1, 7, $data_off, 0, $pa, $size, $size, 4096);
      push @chunks, [$data_off, $size];
      $data_off += $size;
    }
    my $eh = "\x7fELF" . pack("CCCC", 2, 1, 1, 0) . ("\0" x 8)
           . pack("vvVQ<Q<Q<Vvvvvvv", 4, 62, 1, 0, 64, 0, 0, 64, 56, $phnum, 0, 0, 0);
    open(my $f, ">", $file) or die; binmode $f;
    print $f $eh, $ph, $notes;
    for my $c (@chunks) { seek($f, $c->[0], 0); print $f ("\x5a" x $c->[1]); }
    close $f;' "$@"
}
# The host of these cases: RAM [0, 0x9fc00), [0x100000, 0x400000), [0x500000, 0x600000);
# crash region [0x200000, 0x300000) (1024 kB at 0x200000).
WORDS="e2e_xen_ram=0-9fbff,100000-3fffff,500000-5fffff e2e_xen_crash=0x200000+1024k"
COMPLETE="0+9fc00 100000+100000 300000+100000 500000+100000"

check_case() {   # check_case NAME WANT(ok|BAD) WHY-SUBSTRING CMDLINE LOADS
  local name=$1 want=$2 why=$3 cmdline=$4 loads=$5 out rc=0
  # shellcheck disable=SC2086  # LOADS is a word list
  core "$tmp/core" $loads
  printf 'console=ttyS0 %s elfcorehdr=0x4fe00000\n' "$cmdline" > "$tmp/cmdline"
  out=$("$tmp/vmcore-check" "$tmp/core" "$tmp/cmdline") || rc=$?
  if [ "$want" = ok ]; then
    if [ "$rc" = 0 ] && grep -q '^E2E: vmcore ok:' <<< "$out" && ! grep -q 'vmcore BAD' <<< "$out"; then
      ok "vmcore-check: $name"
    else ko "vmcore-check: $name" "rc=$rc: $(grep 'vmcore BAD' <<< "$out")"; fi
  else
    if [ "$rc" = 1 ] && ! grep -q 'vmcore ok' <<< "$out" && grep -qF "E2E: vmcore BAD: $why" <<< "$out"; then
      ok "vmcore-check: $name ($(grep -o 'vmcore BAD: .*' <<< "$out" | cut -c1-110))"
    else ko "vmcore-check: $name" "rc=$rc, want BAD '$why': $(tail -n 1 <<< "$out")"; fi
  fi
}
check_case "complete dump" ok "" "$WORDS" "$COMPLETE"
check_case "complete dump, a range split in two segments, out of order" ok "" "$WORDS" \
  "500000+80000 0+9fc00 580000+80000 100000+100000 300000+100000"
check_case "a RAM range missing" BAD "incomplete: Xen's RAM [0x500000,0x600000) is in no PT_LOAD" "$WORDS" \
  "0+9fc00 100000+100000 300000+100000"
check_case "a range one page short" BAD "coverage differs: PT_LOAD union has [0x300000,0x3ff000) where" "$WORDS" \
  "0+9fc00 100000+100000 300000+ff000 500000+100000"
check_case "the crash region dumped" BAD "PT_LOAD [0x100000,0x400000) overlaps the crash region [0x200000,0x300000)" "$WORDS" \
  "0+9fc00 100000+300000 500000+100000"
check_case "a segment that is not RAM" BAD "PT_LOAD [0x700000,0x701000) is not RAM in Xen's map" "$WORDS" \
  "$COMPLETE 700000+1000"
check_case "overlapping segments" BAD "two PT_LOAD segments overlap" "$WORDS" \
  "0+9fc00 100000+100000 300000+100000 500000+100000 580000+1000"
check_case "no expectation on the command line" BAD "no e2e_xen_ram= or e2e_xen_crash= on the command line" "" "$COMPLETE"
check_case "a malformed expectation" BAD "e2e_xen_ram= is not a list of hex START-END ranges" \
  "e2e_xen_ram=0-9fbff,100000 e2e_xen_crash=0x200000+1024k" "$COMPLETE"
# dom0's Linux VMCOREINFO note (after Xen's): its OSRELEASE= is printed; without it, nothing.
DOM0_NOTE=$'OSRELEASE=6.1.0-41-amd64\nBUILD-ID=0123\nPAGESIZE=4096\n' core "$tmp/core" $COMPLETE
printf '%s\n' "$WORDS" > "$tmp/cmdline"
out=$("$tmp/vmcore-check" "$tmp/core" "$tmp/cmdline" || true)
if grep -qx 'E2E: vmcore dom0 vmcoreinfo OSRELEASE=6.1.0-41-amd64' <<< "$out" && grep -q '^E2E: vmcore ok:.* VMCOREINFO=1' <<< "$out"; then
  ok "vmcore-check: dom0's VMCOREINFO note"
else ko "vmcore-check: dom0's VMCOREINFO note" "$(grep 'dom0\|vmcore ok\|BAD' <<< "$out")"; fi
core "$tmp/core" $COMPLETE
out=$("$tmp/vmcore-check" "$tmp/core" "$tmp/cmdline" || true)
if ! grep -q 'dom0 vmcoreinfo' <<< "$out" && grep -q '^E2E: vmcore ok:' <<< "$out"; then
  ok "vmcore-check: no dom0 note, no dom0 line"
else ko "vmcore-check: no dom0 note, no dom0 line" "$(grep 'dom0\|vmcore ok\|BAD' <<< "$out")"; fi

# A PT_LOAD whose bytes are not all in the file (a truncated dump).
core "$tmp/core" $COMPLETE
truncate -s -4096 "$tmp/core"
printf '%s\n' "$WORDS" > "$tmp/cmdline"
if out=$("$tmp/vmcore-check" "$tmp/core" "$tmp/cmdline"); then ko "vmcore-check: truncated dump" "passed"
elif grep -q 'vmcore BAD: segment .* runs past the file size' <<< "$out"; then ok "vmcore-check: truncated dump"
else ko "vmcore-check: truncated dump" "$(tail -n 1 <<< "$out")"; fi

echo "vmcore-check-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
