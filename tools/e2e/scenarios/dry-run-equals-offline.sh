# dry-run-equals-offline: in dom0, `range --json` (the host description) and
# `load --dry-run --json` (the plan made from the live host). Both go to the serial
# log between markers; host_check then runs `plan --host` offline on the build host
# with the same kernel, initrd and command line and requires the identical plan. The
# command line is the build-time one (CRASH_CMDLINE_BASE in dom0, CRASH_CMDLINE here),
# without the words init-dom0.sh adds for vmcore-check.
EXPECT='E2E: range rc=0
E2E: BEGIN host.json
E2E: END host.json
E2E: dry-run rc=0
E2E: BEGIN dry-run.json
E2E: END dry-run.json'

# Relative paths from a folder holding files of the same names, so that any path the
# plan may record is the same in dom0 and here.
DRY_RUN_ARGS='vmlinuz-crash --initrd initrd-crash.gz --type crash'

dom0() {
  need_tool || return 1
  cd /boot
  capture /tmp/host.json range "$TOOL" range --json
  show_file host.json /tmp/host.json
  # shellcheck disable=SC2086  # DRY_RUN_ARGS is a word list on purpose
  capture /tmp/dry.json dry-run "$TOOL" load $DRY_RUN_ARGS --command-line "$CRASH_CMDLINE_BASE" --dry-run --json
  show_file dry-run.json /tmp/dry.json
  status_is 3 crash   # a dry run loads nothing
}

host_check() {
  local dir="$E2E/$name"   # run-scenario.sh's scenario name (uefi-dry-run-equals-offline reuses this)
  rm -rf "$dir" && mkdir -p "$dir"
  "$HERE/extract-file.sh" "$1" host.json > "$dir/host.json" || return 1
  "$HERE/extract-file.sh" "$1" dry-run.json > "$dir/dry-run.json" || return 1
  cp "$DOM0_KERNEL" "$dir/vmlinuz-crash"   # the kernel in that dom0 image (lib.sh dom0_boot)
  cp "$OUT/initrd-crash.gz" "$dir/initrd-crash.gz"
  # shellcheck disable=SC2086
  (cd "$dir" && "$OUT/xen-kexec-load" plan $DRY_RUN_ARGS --command-line "$CRASH_CMDLINE" \
      --host host.json --json > offline.json) || { echo "offline plan failed: $(head -c 400 "$dir/offline.json")"; return 1; }
  # The requirement is byte equality; on a mismatch, a key-sorted diff shows where.
  if ! cmp -s "$dir/dry-run.json" "$dir/offline.json"; then
    echo "plans differ ($dir):"
    diff <(jq -S . "$dir/dry-run.json" 2>&1) <(jq -S . "$dir/offline.json" 2>&1) | head -n 20
    return 1
  fi
  echo "byte-identical plans, digest $(jq -r '.digest // empty' "$dir/offline.json")"
}
