#!/bin/bash
# The real-hypervisor end-to-end suite: Xen 4.17 + a dom0 under QEMU (TCG),
# crash kernels loaded by xen-kexec-load (and kexec-tools, the reference) that
# really boot. One command on a fresh Debian bookworm machine, as root:
#
#   tools/e2e/run-suite.sh [SCENARIO...]      (default: every run of tools/e2e/scenarios/*.sh
#                                              but bench-*: tools/e2e/expand.sh --list)
#
# Installs its apt packages, fetches the pinned Debian kernel and Xen, builds the
# tool and both initramfs images, runs the scenarios two VMs at a time and ends
# with the line "N passed, N failed" (exit 1 if any failed). Artefacts and logs
# go to $XEN_KEXEC_CACHE/e2e (default /var/cache/xen-kexec/e2e). See docs/e2e.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
JOBS=2   # two cores: one TCG VM per core
suite_start=$(date +%s)

SCENARIO_RUNS=$(scenario_runs)   # every run (lib.sh), read once for scenario_run and load_scenario
if [ $# -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=()
  # The bench-* scenarios are benchmarks (tools/bench/load-bench.sh runs them by name);
  # a scenario with DEFAULT_RUN=no runs only when named. The disk dom0's scenarios (DISK=yes, several systemd boots each) go first, so the
  # shorter ones run beside them instead of after them.
  # A scenario file with AXES makes several runs (crash, crash-4.20, ...; lib.sh scenario_runs).
  disk=() rest=()
  for s in $(cut -d ' ' -f 1 <<< "$SCENARIO_RUNS"); do
    case $s in bench-*) continue ;; esac
    read -r in_default is_disk < <(load_scenario "$s"; echo "$DEFAULT_RUN $DISK")
    [ "$in_default" = yes ] || continue
    if [ "$is_disk" = yes ]; then disk+=("$s"); else rest+=("$s"); fi
  done
  scenarios=("${disk[@]}" "${rest[@]}")
fi
for s in "${scenarios[@]}"; do scenario_run "$s" >/dev/null || die "no scenario $s"; done

step() {   # step NAME CMD...: run a build step with its output in $LOGS/NAME.log
  local name=$1 t0=$SECONDS; shift
  if "$@" >"$LOGS/$name.log" 2>&1; then
    log "$name done ($((SECONDS - t0)) s)"
  else
    log "$name FAILED ($((SECONDS - t0)) s); last lines of $LOGS/$name.log:"
    tail -n 20 "$LOGS/$name.log" >&2
    return 1
  fi
}

step setup-host "$HERE/setup-host.sh"
step fetch-inputs "$HERE/fetch-inputs.sh"
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then PATH="$PATH:/opt/swift/usr/bin"; fi
# A tool that does not build fails the scenarios that need it, not the whole suite.
step build-tool "$HERE/build-tool.sh" || true

# The patched hypervisor is built only when a selected scenario asks for XEN=efi;
# its build script prints the image's path as its last line.
for s in "${scenarios[@]}"; do
  if [ "$(load_scenario "$s"; echo "$XEN")" = efi ]; then
    rm -f "$OUT/xen-efi.path" "$OUT/xen-efi.efi.path"
    if step build-xen-efi bash -c '"$1" 2>&1 >"$2"' - "$HERE/xen-efi/build.sh" "$OUT/xen-efi.stdout"; then
      img=$(tail -n 1 "$OUT/xen-efi.stdout")
      # The same build's EFI application lies beside it (UEFI scenarios boot that one).
      echo "$(dirname "$img")/xen.efi" > "$OUT/xen-efi.efi.path"
      # QEMU's multiboot loader needs the plain image, not xen.gz.
      if gzip -t "$img" 2>/dev/null; then gunzip -c "$img" > "$OUT/xen-efi"; img="$OUT/xen-efi"; fi
      echo "$img" > "$OUT/xen-efi.path"
    fi
    break
  fi
done
step build-initramfs "$HERE/build-initramfs.sh"
# Debian 13 (XEN=stock-4.20): trixie's Xen 4.20 and kernel, the trixie build of the tool and
# a dom0 initramfs from the trixie root. Made only when a selected scenario asks for it; a
# failure fails those scenarios (no image), not the suite.
for s in "${scenarios[@]}"; do
  if [ "$(load_scenario "$s"; echo "$XEN")" = stock-4.20 ]; then
    step trixie-inputs "$HERE/trixie-inputs.sh" || true
    break
  fi
done
# The .deb and the systemd dom0's disk, only when a selected scenario says DISK=yes; a
# failure here fails those scenarios ("no disk dom0 image"), not the whole suite.
for s in "${scenarios[@]}"; do
  if [ "$(load_scenario "$s"; echo "$DISK")" = yes ]; then
    rm -f "$OUT/disk-dom0.img"
    step package-deb "$REPO/tools/package-deb.sh" "$OUT/xen-kexec-load" "$OUT/deb" \
      && step build-disk bash -c '"$1" "$2"/xen-kexec-load_*.deb' - "$HERE/build-disk.sh" "$OUT/deb" || true
    break
  fi
done
# The disk dom0 kernel's debug vmlinux (about 630 MB, cached by release) and the trixie root
# with Debian 13's crash (tools/e2e/crash.sh; cached) for the dump scenarios' crash checks; a
# failure fails those scenarios' host checks, not the suite.
for s in "${scenarios[@]}"; do
  if [ "$(load_scenario "$s"; echo "$NEEDS_DEBUG_VMLINUX")" = yes ]; then
    step debug-vmlinux "$HERE/fetch-debug-vmlinux.sh" || true
    step crash-root "$REPO/tools/trixie/root.sh" || true
    break
  fi
done

# Run the scenarios, at most $JOBS at a time; each runner stops its own QEMU.
declare -A running=()   # runner pid -> scenario
passed=0 failed=0
stop_all() { for p in "${!running[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
trap 'exit 130' INT TERM

reap() {   # wait for one runner, print its report, count it
  local pid rc=0
  wait -n -p pid "${!running[@]}" || rc=$?
  cat "$LOGS/${running[$pid]}.result"
  if [ "$rc" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  unset "running[$pid]"
}

log "running ${#scenarios[@]} scenarios, $JOBS at a time: ${scenarios[*]}"
for s in "${scenarios[@]}"; do
  while [ "${#running[@]}" -ge "$JOBS" ]; do reap; done
  "$HERE/run-scenario.sh" "$s" >"$LOGS/$s.result" 2>&1 &
  running[$!]=$s
done
while [ "${#running[@]}" -gt 0 ]; do reap; done
trap - EXIT

# Load time and peak RSS of each loader, as the scenarios measured them (docs/e2e.md).
for s in "${scenarios[@]}"; do
  tr -d '\r' < "$LOGS/$s.log" 2>/dev/null | sed -n "s/^E2E-FIGURE: /figure ($s): /p" || true
done
echo "suite wall time: $(( $(date +%s) - suite_start )) s (logs in $LOGS)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
