# Shared host-side settings for the e2e harness; sourced, never run.
# Everything big lives under $E2E (outside git).
XEN_KEXEC_CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
E2E="$XEN_KEXEC_CACHE/e2e"
OUT="$E2E/out"          # built artefacts: xen, kernels, initramfs images, the tool
LOGS="$E2E/logs"        # one serial log per scenario, plus build logs
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # tools/e2e
REPO="$(cd "$HERE/../.." && pwd)"

# Pinned inputs (see docs/e2e.md). The crash kernel and dom0 kernel are the same bzImage.
KERNEL_PKG=linux-image-6.1.0-56-amd64
KERNEL_VER=6.1.0-56-amd64
XEN_PKG=xen-hypervisor-4.17-amd64

# Debian 13 "trixie" (XEN=stock-4.20): its Xen 4.20 and its signed 6.12 kernel (dom0's and
# the crash kernel), fetched from trixie by trixie-inputs.sh; the bookworm bzImage above is
# the second crash kernel there (/boot/vmlinuz-crash-bookworm).
TRIXIE_KERNEL_PKG=linux-image-6.12.117+deb13-amd64
TRIXIE_KERNEL_VER=6.12.117+deb13-amd64
TRIXIE_XEN_PKG=xen-hypervisor-4.20-amd64

# The crash kernel's command line: serial console straight on the UART (Xen is
# gone by then), one CPU, and reset on panic so a failed crash kernel ends the run.
# no_timer_check: under TCG on a busy host Linux's IO-APIC timer test (arch/x86/kernel/apic/
# io_apic.c check_timer) can miss its ticks and panic "IO-APIC + timer doesn't work!"; the
# check proves nothing about the loader, so the crash kernels skip it.
CRASH_CMDLINE="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nr_cpus=1 irqpoll reset_devices panic=-1 no_timer_check rdinit=/init"

# UEFI firmware (package ovmf): the non-SMM build for both UEFI hosts, with a fresh copy
# of plain variables (uefi) or of the snakeoil ones, which enrol Debian's snakeoil
# certificate as PK, KEK and db and turn Secure Boot on (uefi-sb). See docs/uefi.md.
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
OVMF_VARS_SECURE_BOOT=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
SNAKEOIL_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key    # encrypted, password "snakeoil"
SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem

# What a second kernel prints when it found ACPI (Linux drivers/acpi/acpica/tbprint.c,
# drivers/acpi/bus.c) and what it prints when it did not (drivers/acpi/acpica/tbxfroot.c):
# the UEFI scenarios put these after "Executing kexec image" in EXPECT and in FORBID.
ACPI_OK_EXPECT='ACPI: RSDP 0x
ACPI: Interpreter enabled'
ACPI_MISSING_FORBID='A valid RSDP was not found
ACPI: Interpreter disabled'

# The crash path every crash scenario EXPECTs: dom0's panic marker and Xen's line before
# it runs the crash image (Xen common/shutdown.c hwdom_shutdown, common/kexec.c), and the
# crash kernel's /proc/vmcore check (vmcore-check.c) and its last marker
# (guest/init-crash.sh). Scenarios put their own lines (purgatory or Xen digest check,
# ACPI, e2e_loader=) between the two.
PANIC_EXPECT='E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0'
CRASH_DONE_EXPECT='E2E: vmcore ok:
E2E: CRASH KERNEL DONE'

mkdir -p "$OUT" "$LOGS"

log() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }

. "$HERE/axes.sh"   # axis_is, tagged, axes_apply: also sourced in dom0 (install_scenarios)

# A scenario file that declares AXES runs once per axis combination (docs/e2e.md "Axes"):
#   AXES='xen=4.17,4.20
#   xen=4.20 kernel=bookworm'
# Each line is a set of runs, the cross product of its comma-separated values; an axis a
# line leaves out keeps the file's own value. The first run of the first line is the file's
# own (its name is the file's); every other run is named from the file's by the values in
# which it differs from the file's own run: prefixes firmware (uefi-, sb-), xen (efi-), dom0
# (disk-), then suffixes xen (-4.17, -4.20), kernel (-bookworm-kernel), cpu (-la57, -sha-ni).
AXIS_DEFAULTS="xen=4.17 firmware=bios cpu=qemu64 kernel=dom0 dom0=initramfs"

# axis_affix AXIS=VALUE: "prefix:" or ":suffix" for a run's name; fails for a value with neither.
axis_affix() {
  case $1 in
    firmware=uefi) echo "uefi-:" ;;
    firmware=uefi-sb) echo "sb-:" ;;
    xen=efi) echo "efi-:" ;;
    dom0=disk) echo "disk-:" ;;
    xen=4.17) echo ":-4.17" ;;
    xen=4.20) echo ":-4.20" ;;
    kernel=bookworm) echo ":-bookworm-kernel" ;;
    cpu=la57) echo ":-la57" ;;
    cpu=sha-ni) echo ":-sha-ni" ;;
    *) return 1 ;;
  esac
}

# axis_runs FILE AXES: the runs of one scenario file, one a line: "RUN AXIS=VALUE..." (the
# values of every axis the file declares, in the order of AXIS_DEFAULTS).
axis_runs() {
  local file=$1 line word axis own="" run combo a v affix prefix suffix
  local -a combos values
  local -A base=() declared=() seen=()
  # The axes the file declares and its own run's values (the first value of the first line).
  while read -r line; do
    for word in $line; do
      axis=${word%%=*}
      declared[$axis]=1
      if [ -z "$own" ]; then base[$axis]=${word#*=}; base[$axis]=${base[$axis]%%,*}; fi
    done
    own=done
  done <<< "$2"
  for a in $AXIS_DEFAULTS; do
    axis=${a%%=*}
    [ -n "${declared[$axis]:-}" ] || continue
    [ -n "${base[$axis]:-}" ] || base[$axis]=${a#*=}
    unset "declared[$axis]"
  done
  [ ${#declared[@]} = 0 ] || die "scenario $file: unknown axis ${!declared[*]}"
  while read -r line; do
    [ -n "$line" ] || continue
    # The cross product of the line's values, each combination as "axis=value ..." words.
    combos=("")
    for word in $line; do
      local -a next=()
      IFS=, read -ra values <<< "${word#*=}"
      for combo in "${combos[@]}"; do
        for v in "${values[@]}"; do next+=("$combo ${word%%=*}=$v"); done
      done
      combos=("${next[@]}")
    done
    for combo in "${combos[@]}"; do
      local -A vals=()
      for a in "${!base[@]}"; do vals[$a]=${base[$a]}; done
      for word in $combo; do vals[${word%%=*}]=${word#*=}; done
      run="" prefix="" suffix=""
      for a in firmware xen dom0 kernel cpu; do
        [ -n "${vals[$a]:-}" ] && [ "${vals[$a]}" != "${base[$a]}" ] || continue
        affix=$(axis_affix "$a=${vals[$a]}") || die "scenario $file: no run name for $a=${vals[$a]}"
        prefix="$prefix${affix%%:*}"
      done
      for a in xen kernel cpu; do
        [ -n "${vals[$a]:-}" ] && [ "${vals[$a]}" != "${base[$a]}" ] || continue
        affix=$(axis_affix "$a=${vals[$a]}")
        suffix="$suffix${affix#*:}"
      done
      run="$prefix$file$suffix"
      [ -z "${seen[$run]:-}" ] || die "scenario $file: run $run twice in AXES"
      seen[$run]=1
      line=$run
      for a in $AXIS_DEFAULTS; do
        a=${a%%=*}
        [ -z "${vals[$a]:-}" ] || line="$line $a=${vals[$a]}"
      done
      echo "$line"
    done
  done <<< "$2"
}

# scenario_runs: every run of tools/e2e/scenarios/, one a line, sorted as the files are:
# "RUN FILE [AXIS=VALUE...]" (FILE without .sh; no values for a file without AXES).
scenario_runs() {
  local f file axes runs="" r dup
  for f in "$HERE"/scenarios/*.sh; do
    file=$(basename "$f" .sh)
    if grep -q '^AXES=' "$f"; then
      axes=$(RUN_AXES=""; . "$f" >/dev/null 2>&1; printf '%s' "${AXES:-}")
      r=$(axis_runs "$file" "$axes") || exit 1
      runs="$runs$(printf '%s\n' "$r" | awk -v file="$file" '{ $1 = $1 " " file; print }')"$'\n'
    else
      runs="$runs$file $file"$'\n'
    fi
  done
  # Sorted by RUN.sh, as a glob of one file per run would list them (crash-4.20 before crash).
  r=$(printf '%s' "$runs" | awk '{ print $1 ".sh\t" $0 }' | LC_ALL=C sort | cut -f 2-)
  dup=$(printf '%s\n' "$r" | cut -d ' ' -f 1 | uniq -d)
  [ -z "$dup" ] || die "two scenario files make the run(s) $dup"
  printf '%s\n' "$r"
}

# scenario_run RUN: the line of scenario_runs for RUN (fails when there is no such run).
scenario_run() {
  local f="$HERE/scenarios/$1.sh"
  if [ -f "$f" ] && ! grep -q '^AXES=' "$f"; then echo "$1 $1"; return; fi
  # SCENARIO_RUNS: scenario_runs' output, when the caller has it already (run-suite.sh).
  printf '%s\n' "${SCENARIO_RUNS:-$(scenario_runs)}" | awk -v run="$1" '$1 == run { print; found = 1 } END { exit !found }'
}

# install_scenarios DIR: the scenarios as dom0 reads them, into DIR (its /e2e): for every run,
# scenarios/RUN.sh, which init-dom0.sh (or disk-dom0.sh) sources by the name on dom0's command
# line (e2e_scenario=RUN). A file without AXES is copied as it is; a file with AXES goes to
# scenarios/axes/, and each of its runs gets a RUN.sh that sets RUN_AXES, reads the file and
# applies the values (axes.sh, installed as DIR/axes.sh), as load_scenario does on the host.
install_scenarios() {
  local run file values
  install -D -m 644 "$HERE/axes.sh" "$1/axes.sh"
  mkdir -p "$1/scenarios/axes"
  scenario_runs > "$1/scenarios/runs.txt" || return 1
  while read -r run file values; do
    if [ -z "$values" ]; then
      install -m 644 "$HERE/scenarios/$file.sh" "$1/scenarios/$run.sh"
      continue
    fi
    install -m 644 "$HERE/scenarios/$file.sh" "$1/scenarios/axes/$file.sh"
    printf '%s\n' "# $run: tools/e2e/scenarios/$file.sh with $values (written by tools/e2e/lib.sh install_scenarios)" \
      ". /e2e/axes.sh" "RUN_AXES='$values'" ". /e2e/scenarios/axes/$file.sh" "axes_apply" > "$1/scenarios/$run.sh"
  done < "$1/scenarios/runs.txt"
  rm -f "$1/scenarios/runs.txt"
}

# load_scenario RUN: the defaults every scenario starts from, then its file, then (for a run
# of a file with AXES) what the run's axis values set.
# Scenario files are plain sh (also sourced by busybox ash in dom0), so
# multi-marker settings are newline-separated strings, not arrays.
load_scenario() {
  local _scenario_run _scenario_file _scenario_knobs
  read -r _scenario_run _scenario_file RUN_AXES < <(scenario_run "$1") || die "no scenario $1 (no tools/e2e/scenarios/$1.sh, and no AXES makes it)"
  local f="$HERE/scenarios/$_scenario_file.sh"
  XEN=stock                  # stock: Debian's 4.17 | stock-4.20: Debian 13's 4.20 | efi: tools/e2e/xen-efi/build.sh | none: no Xen
  FIRMWARE=bios              # bios: SeaBIOS, Xen by multiboot | uefi: OVMF starts xen.efi | uefi-sb: same, Secure Boot on | uefi-sb-dbx: uefi-sb with the snakeoil crash kernel's hash in dbx
  XEN_SIGNED=yes             # uefi-sb only: no boots an unsigned xen.efi (the firmware must refuse it)
  CPU=qemu64                 # never "max" (SMAP under TCG kills PV dom0 without smap=0)
  QEMU_FROM=system           # system: bookworm's QEMU 7.2 | backports: bookworm-backports' (10.0, emulates SHA-NI; tools/e2e/qemu-backports.sh)
  MEM=2G
  SMP=1
  XEN_ARGS="dom0_mem=512M,max:512M crashkernel=256M@1G"   # DISK=yes: crashkernel=ESTIMATE@OFFSET reserves
                             # what `xen-kexec-load estimate` recommends (estimate_crashkernel)
  DOM0_ARGS=""               # extra dom0 (or bare kernel) command-line words
  DEBUG_KEY_AFTER=""         # marker after which Ctrl-A x3 + C is typed on the serial line
  STOP_AT=""                 # marker after which QEMU is stopped (a run that would otherwise wait forever)
  POWER_CUT_AT=""            # marker after whose first appearance QEMU is killed (SIGKILL) and the
                             # same machine (same disk) started again; the serial log goes on
  TIMEOUT=240                # seconds; a run is 20-30 s idle, ~50 s on a busy host
  NEEDS_TOOL=yes             # fail fast when xen-kexec-load did not build
  NEEDS_FIDELITY=no          # yes: boot the image that adds the test-only xen-kexec-fidelity (fidelity-*,
                             # fault-load), and fail fast when it did not build
  DISK=no                    # yes: boot the systemd dom0 from its disk (tools/e2e/build-disk.sh)
  REBOOTS=no                 # yes: a reset reboots the machine (no -no-reboot); set STOP_AT to end the run
  DEFAULT_RUN=yes            # no: run only when named (run-suite.sh NAME), not in the default run
  NEEDS_DEBUG_VMLINUX=no     # yes: the host check runs crash with the disk dom0 kernel's debug vmlinux
                             # (run-suite.sh runs fetch-debug-vmlinux.sh first; docs/dumps.md)
  EXPECT=""                  # markers that must appear, in this order
  FORBID=""                  # markers that must not appear anywhere
  unset -f host_check 2>/dev/null || true
  _scenario_knobs="$XEN $FIRMWARE $CPU $DISK ${KERNEL-}"
  # shellcheck source=/dev/null
  . "$f"
  if [ -n "$RUN_AXES" ]; then
    [ "$XEN $FIRMWARE $CPU $DISK ${KERNEL-}" = "$_scenario_knobs" ] \
      || die "scenario $_scenario_file sets XEN, FIRMWARE, CPU, DISK or KERNEL itself: its AXES do"
    axes_apply || die "scenario $_scenario_file: bad axis values ($RUN_AXES)"
  fi
  # The image with both static binaries (NEEDS_FIDELITY=yes) does not unpack in a 512 MiB
  # dom0, whose tmpfs root takes at most half the RAM (Linux mm/shmem.c,
  # shmem_default_max_blocks; build-initramfs.sh): such a scenario's dom0 gets 768 MiB, as
  # bench-load's does.
  if [ "$NEEDS_FIDELITY" = yes ]; then XEN_ARGS=${XEN_ARGS//dom0_mem=512M,max:512M/dom0_mem=768M,max:768M}; fi
}

# estimate_crashkernel MEM: the size (e.g. 304M) `xen-kexec-load estimate` recommends for the
# crash kernel and initrd the disk dom0's provision arms (build-disk.sh copies them out as
# $OUT/disk-kdump-vmlinuz and $OUT/disk-kdump-initrd) on a host with MEM of RAM. Its whole
# report goes to stderr.
estimate_crashkernel() {
  local out
  out=$("$OUT/xen-kexec-load" estimate --kernel "$OUT/disk-kdump-vmlinuz" --initrd "$OUT/disk-kdump-initrd" --host-ram "$1") || return 1
  printf '%s\n' "$out" >&2
  printf '%s\n' "$out" | sed -n 's/^recommended: crashkernel=\([0-9]*[MG]\) .*/\1/p' | grep .
}

# xen_image XEN: the multiboot hypervisor image for a scenario's XEN= setting (FIRMWARE=bios).
xen_image() {
  case "$1" in
    stock) echo "$OUT/xen-4.17-amd64" ;;
    stock-4.20) echo "$OUT/xen-4.20-amd64" ;;   # trixie-inputs.sh
    efi)   cat "$OUT/xen-efi.path" 2>/dev/null ;;   # written by run-suite.sh after building it
    none)  echo "" ;;
    *)     die "unknown XEN=$1" ;;
  esac
}

# dom0_boot XEN: what dom0 boots for a scenario's XEN= setting. Sets DOM0_KERNEL,
# DOM0_INITRD, DOM0_TOOL and DOM0_FIDELITY (the xen-kexec-load and xen-kexec-fidelity builds
# inside that initramfs): Debian 13's Xen 4.20 gets the trixie kernel and the trixie
# initramfs (trixie-inputs.sh), every other setting the bookworm ones; a scenario with
# NEEDS_FIDELITY=yes gets the image that carries xen-kexec-fidelity besides xen-kexec-load.
dom0_boot() {
  case "$1" in
    stock-4.20) DOM0_KERNEL="$OUT/trixie/vmlinuz" DOM0_INITRD="$OUT/trixie/initrd-dom0.gz"
                DOM0_TOOL="$OUT/trixie/xen-kexec-load" DOM0_FIDELITY="$OUT/trixie/xen-kexec-fidelity" ;;
    *)          DOM0_KERNEL="$OUT/vmlinuz" DOM0_INITRD="$OUT/initrd-dom0.gz"
                DOM0_TOOL="$OUT/xen-kexec-load" DOM0_FIDELITY="$OUT/xen-kexec-fidelity" ;;
  esac
  # The fidelity and fault-load scenarios boot the image that adds xen-kexec-fidelity to
  # xen-kexec-load (build-initramfs.sh, trixie-inputs.sh); the others never carry it.
  if [ "${NEEDS_FIDELITY:-no}" = yes ]; then DOM0_INITRD="${DOM0_INITRD%.gz}-fidelity.gz"; fi
}

# xen_efi_image XEN: the same hypervisor as an EFI application (FIRMWARE=uefi|uefi-sb).
xen_efi_image() {
  case "$1" in
    stock) echo "$OUT/xen-4.17-amd64.efi" ;;        # Debian's /boot/xen-4.17-amd64.efi (fetch-inputs.sh)
    efi)   cat "$OUT/xen-efi.efi.path" 2>/dev/null ;;  # xen.efi of the same build, written by run-suite.sh
    *)     die "no EFI image for XEN=$1" ;;
  esac
}
