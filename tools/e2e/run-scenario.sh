#!/bin/bash
# Boot one scenario in QEMU and judge it from its serial log.
#
#   tools/e2e/run-scenario.sh NAME
#
# Prints "PASS NAME (12.3 s)" or "FAIL NAME (12.3 s): reason" (+ the log's tail),
# exits 0/1. The serial log is $LOGS/NAME.log. Needs the artefacts that
# run-suite.sh builds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
name=$1
load_scenario "$name"
dom0_boot "$XEN"
# A machine busy with other work may need longer than the scenario's own limit.
TIMEOUT=${XEN_KEXEC_E2E_TIMEOUT:-$TIMEOUT}

logf="$LOGS/$name.log"
sock="$LOGS/$name.sock"
rm -f "$logf" "$sock"
start=$(date +%s.%N)

result() {   # result PASS|FAIL [reason]
  printf '%s %s (%s s)%s\n' "$1" "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" "${2:+: $2}"
  if [ "$1" = FAIL ] && [ -s "$logf" ]; then
    echo "---- last 40 lines of $logf"
    tail -n 40 "$logf" | tr -d '\r'
    echo "----"
  fi
  [ "$1" = PASS ]
  exit
}

if [ "$NEEDS_TOOL" = yes ] && [ ! -x "$DOM0_TOOL" ]; then
  result FAIL "xen-kexec-load did not build (see $LOGS/build-tool.log, $LOGS/trixie-inputs.log)"
fi
if [ "$NEEDS_FIDELITY" = yes ] && [ ! -x "$DOM0_FIDELITY" ]; then
  result FAIL "xen-kexec-fidelity did not build (see $LOGS/build-tool.log, $LOGS/trixie-inputs.log)"
fi

# crashkernel=ESTIMATE in XEN_ARGS (disk scenarios): the size `xen-kexec-load estimate`
# recommends for the disk's crash kernel and initrd on a host of $MEM (lib.sh
# estimate_crashkernel); its report is kept as $LOGS/NAME.estimate.
if [[ $XEN_ARGS == *crashkernel=ESTIMATE* ]]; then
  est=$(estimate_crashkernel "$MEM" 2>"$LOGS/$name.estimate") \
    || result FAIL "xen-kexec-load estimate failed: $(tail -n 3 "$LOGS/$name.estimate")"
  XEN_ARGS=${XEN_ARGS//crashkernel=ESTIMATE/crashkernel=$est}
fi

# --- the QEMU command line
machine=pc                           # SeaBIOS
[ "$FIRMWARE" = bios ] || machine=q35   # OVMF is built for q35
qemu=(qemu-system-x86_64)
if [ "$QEMU_FROM" = backports ]; then
  # bookworm-backports' QEMU, unpacked beside the system's one, with its own firmware data.
  qemu_bin=$("$HERE/qemu-backports.sh" 2>"$LOGS/$name.qemu-backports.out") \
    || result FAIL "QEMU from bookworm-backports: $(tail -n 3 "$LOGS/$name.qemu-backports.out")"
  qemu=("$qemu_bin" -L "$(dirname "$qemu_bin")/../share/qemu")
fi
qemu+=(-accel tcg -cpu "$CPU" -m "$MEM" -smp "$SMP"
      -machine "$machine" -nodefaults -display none -monitor none)
# A reset ends the run (-no-reboot), unless the scenario boots again after one (REBOOTS=yes:
# QEMU reloads the same -kernel/-initrd on reset; STOP_AT ends that run).
[ "$REBOOTS" = yes ] || qemu+=(-no-reboot)
if [ -n "$POWER_CUT_AT" ]; then
  # The second QEMU (after the power cut) appends to the same serial log.
  qemu+=(-chardev "file,id=ser0,path=$logf,append=on" -serial chardev:ser0)
elif [ -n "$DEBUG_KEY_AFTER" ]; then
  # A socket lets us type on the serial line; logfile= still records everything.
  qemu+=(-chardev "socket,id=ser0,path=$sock,server=on,wait=off,logfile=$logf" -serial chardev:ser0)
else
  qemu+=(-serial "file:$logf")
fi
if [ "$FIRMWARE" != bios ]; then
  # OVMF starts Xen from an EFI system partition (uefi-host.sh); Xen reads its own
  # command line, dom0's and the ramdisk from BOOTX64.cfg there.
  [ "$XEN" != none ] || result FAIL "FIRMWARE=$FIRMWARE needs a hypervisor (XEN=none)"
  . "$HERE/uefi-host.sh"
  uefi_boot_args "$name" || result FAIL "$uefi_error"
  qemu+=("${uefi_args[@]}")
elif [ "$XEN" = none ]; then
  # The dom0 kernel and image booted bare: no hypervisor at all.
  qemu+=(-kernel "$OUT/vmlinuz" -initrd "$OUT/initrd-dom0.gz"
         -append "console=ttyS0,115200 panic=-1 e2e_scenario=$name $DOM0_ARGS")
elif [ "$DISK" = yes ]; then
  # The systemd dom0 on a disk (tools/e2e/build-disk.sh): Debian's kernel and initrd from
  # the image, root on this scenario's own copy of the disk (kept for host checks).
  xen=$(xen_image "$XEN")
  [ -s "$xen" ] || result FAIL "no hypervisor image for XEN=$XEN"
  [ -s "$OUT/disk-dom0.img" ] || result FAIL "no disk dom0 image (see $LOGS/build-disk.log)"
  disk="$LOGS/$name.disk.img"
  cp --sparse=always "$OUT/disk-dom0.img" "$disk"
  dom0_cmdline="root=/dev/vda ro console=hvc0 earlyprintk=xen e2e_scenario=$name $DOM0_ARGS"
  qemu+=(-kernel "$xen"
         -append "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all $XEN_ARGS"
         -initrd "$OUT/disk-vmlinuz ${dom0_cmdline//,/,,},$OUT/disk-initrd"
         -drive "file=$disk,if=virtio,format=raw")
else
  xen=$(xen_image "$XEN")
  [ -s "$xen" ] || result FAIL "no hypervisor image for XEN=$XEN"
  dom0_cmdline="console=hvc0 earlyprintk=xen e2e_scenario=$name $DOM0_ARGS"
  # Multiboot modules are comma-separated in -initrd: commas inside a module's
  # command line must be doubled.
  qemu+=(-kernel "$xen"
         -append "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all $XEN_ARGS"
         -initrd "$DOM0_KERNEL ${dom0_cmdline//,/,,},$DOM0_INITRD")
fi

# --- run it, bounded in time; the watcher also types the debug key when asked
"${qemu[@]}" </dev/null >"$LOGS/$name.qemu.out" 2>&1 &
qpid=$!
trap 'kill "$qpid" 2>/dev/null || true' EXIT
deadline=$(( $(date +%s) + TIMEOUT ))
typed=no timed_out=no cut=no
stop_qemu() {   # SIGTERM, then SIGKILL if QEMU is still there 2 s later
  kill "$qpid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$qpid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$qpid" 2>/dev/null || true
}
while kill -0 "$qpid" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    timed_out=yes
    stop_qemu
    break
  fi
  # A run whose last word is a marker that leaves the machine waiting (e.g. the
  # firmware refusing to boot) ends on that marker, not on the time limit.
  if [ -n "$STOP_AT" ] && grep -qF -- "$STOP_AT" "$logf" 2>/dev/null; then
    sleep 0.5   # let the rest of that line reach the log
    stop_qemu
    break
  fi
  # A power cut: QEMU killed (SIGKILL: nothing flushed, as when the power goes) the first
  # time the marker appears, then the same machine started again on the same disk.
  if [ -n "$POWER_CUT_AT" ] && [ "$cut" = no ] && grep -qF -- "$POWER_CUT_AT" "$logf" 2>/dev/null; then
    kill -9 "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    printf '\nE2E-HOST: power cut: QEMU killed (SIGKILL) after "%s"; the machine starts again\n' "$POWER_CUT_AT" >> "$logf"
    cut=yes
    "${qemu[@]}" </dev/null >>"$LOGS/$name.qemu.out" 2>&1 &
    qpid=$!
    continue
  fi
  if [ -n "$DEBUG_KEY_AFTER" ] && [ "$typed" = no ] && grep -qF -- "$DEBUG_KEY_AFTER" "$logf" 2>/dev/null; then
    "$HERE/type-debug-key.sh" "$sock" C
    typed=yes
  fi
  sleep 0.3
done
wait "$qpid" 2>/dev/null || true
trap - EXIT
rm -f "$sock"

# --- judge from the whole log, after QEMU is gone (the last markers land
# within ~0.1 s of the reset that ends the run)
[ "$timed_out" = no ] || result FAIL "timed out after $TIMEOUT s"
[ -s "$logf" ] || result FAIL "empty serial log (QEMU said: $(head -c 300 "$LOGS/$name.qemu.out"))"
if ! why=$("$HERE/check-log.sh" "$logf" "$EXPECT" "$FORBID"); then
  result FAIL "$why"
fi
note=""
if declare -F host_check >/dev/null; then
  if ! note=$(host_check "$logf" 2>&1); then
    result FAIL "host check: $(echo "$note" | tail -n 5)"
  fi
fi
result PASS "$(echo "$note" | tail -n 1)"
