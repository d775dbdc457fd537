# dry-run-equals-offline: in dom0, `range --json` (the host description) and, for each load
# type in DRY_RUNS, `load --dry-run --json` (the plan made from the live host). All go to
# the serial log between markers; host_check then runs `plan --host` offline on the build
# host with the same kernel, initrd, load type and command line, and requires the
# identical plan, byte for byte, for every type. The command line is the build-time one
# (CRASH_CMDLINE_BASE in dom0, CRASH_CMDLINE here), without the words init-dom0.sh adds
# for vmcore-check.
# Runs (AXES, docs/e2e.md "Axes"): dry-run-equals-offline on Debian's Xen 4.17 proves
# `--type crash` and `--type default` in one boot; dry-run-equals-offline-4.20 the same on
# Debian 13's Xen 4.20 (the trixie build's dry run in dom0 against the bookworm build's
# offline plan, same 6.12 kernel); efi-dry-run-equals-offline on the test Xen (XEN=efi,
# which takes KEXEC_TYPE_CRASH_EFI) adds `--efi` before the classic types;
# uefi-dry-run-equals-offline on a UEFI host (Debian's xen.efi under OVMF), where the host
# description `range --json` gives (now with how the host booted and where its RSDP is) must
# let `plan --host` reproduce dom0's dry run.
AXES='xen=4.17,4.20,efi
firmware=uefi'

# One dry run per line, NAME:ARGS, with relative paths from a folder holding files of the
# same names, so that any path the plan may record is the same in dom0 and here.
DRY_RUNS='crash:vmlinuz-crash --initrd initrd-crash.gz --type crash
default:vmlinuz-crash --initrd initrd-crash.gz --type default'
if axis_is xen=efi; then
  DRY_RUNS="efi:vmlinuz-crash --initrd initrd-crash.gz --efi
$DRY_RUNS"
fi

# dry_run_expect: EXPECT for the host description and each dry run in DRY_RUNS.
dry_run_expect() {
  EXPECT='E2E: range rc=0
E2E: BEGIN host.json
E2E: END host.json'
  while IFS= read -r _run; do
    [ -n "$_run" ] || continue
    EXPECT="$EXPECT
E2E: dry-run ${_run%%:*} rc=0
E2E: BEGIN dry-run-${_run%%:*}.json
E2E: END dry-run-${_run%%:*}.json"
  done <<EOF
$DRY_RUNS
EOF
}
dry_run_expect
EXPECT="[firmware=uefi] (XEN) Bootloader: EFI
[firmware=uefi] E2E: dom0 firmware: UEFI
$EXPECT"

dom0() {
  need_tool || return 1
  cd /boot
  capture /tmp/host.json range "$TOOL" range --json
  show_file host.json /tmp/host.json
  while IFS= read -r _run; do
    [ -n "$_run" ] || continue
    # shellcheck disable=SC2086  # the arguments are a word list on purpose
    capture "/tmp/dry-${_run%%:*}.json" "dry-run ${_run%%:*}" \
      "$TOOL" load ${_run#*:} --command-line "$CRASH_CMDLINE_BASE" --dry-run --json </dev/null
    show_file "dry-run-${_run%%:*}.json" "/tmp/dry-${_run%%:*}.json"
  done <<EOF
$DRY_RUNS
EOF
  status_is 3 crash     # a dry run loads nothing
  status_is 3 default
}

host_check() {
  local dir="$E2E/$name" run type args digests=""   # run-scenario.sh's run name
  rm -rf "$dir" && mkdir -p "$dir"
  "$HERE/extract-file.sh" "$1" host.json > "$dir/host.json" || return 1
  cp "$DOM0_KERNEL" "$dir/vmlinuz-crash"   # the kernel in that dom0 image (lib.sh dom0_boot)
  cp "$OUT/initrd-crash.gz" "$dir/initrd-crash.gz"
  while IFS= read -r run; do
    [ -n "$run" ] || continue
    type=${run%%:*} args=${run#*:}
    "$HERE/extract-file.sh" "$1" "dry-run-$type.json" > "$dir/dry-run-$type.json" || return 1
    # shellcheck disable=SC2086
    (cd "$dir" && "$OUT/xen-kexec-load" plan $args --command-line "$CRASH_CMDLINE" \
        --host host.json --json > "offline-$type.json") \
      || { echo "offline $type plan failed: $(head -c 400 "$dir/offline-$type.json")"; return 1; }
    # The requirement is byte equality; on a mismatch, a key-sorted diff shows where.
    if ! cmp -s "$dir/dry-run-$type.json" "$dir/offline-$type.json"; then
      echo "$type plans differ ($dir):"
      diff <(jq -S . "$dir/dry-run-$type.json" 2>&1) <(jq -S . "$dir/offline-$type.json" 2>&1) | head -n 20
      return 1
    fi
    digests="$digests, $type $(jq -r '.digest // "(no digest)"' "$dir/offline-$type.json" | cut -c1-16)"
  done <<EOF
$DRY_RUNS
EOF
  echo "byte-identical plans$digests"
}
